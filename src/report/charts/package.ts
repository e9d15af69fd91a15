/**
 * Adds chart parts to a workbook exceljs has serialised: per sheet with charts one drawing
 * (xl/drawings/drawingN.xml) and its charts (xl/charts/chartN.xml), the relationships between
 * sheet, drawing and charts, the sheet's <drawing> element and the content types. Parts are
 * added in a fixed order, so the same workbook gives the same bytes.
 */
import type ExcelJS from 'exceljs';
import type JSZip from 'jszip';
import { chartXml, xmlText } from './chart-xml.js';
import { drawingXml } from './drawing-xml.js';
import { chartsOf } from './spec.js';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DRAWING_TYPE = 'application/vnd.openxmlformats-officedocument.drawing+xml';
const CHART_TYPE = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';
/** Folder entries would be parts of their own to some readers: only files are added. */
const NO_FOLDERS = { createFolders: false } as const;

/** Elements a worksheet may have after <drawing>, in schema order: it goes before the first present. */
const AFTER_DRAWING = ['legacyDrawing', 'legacyDrawingHF', 'drawingHF', 'picture', 'oleObjects', 'controls', 'webPublishItems', 'tableParts', 'extLst'];

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const unescapeXml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

async function text(zip: JSZip, path: string): Promise<string | null> {
  const f = zip.file(path);
  return f ? f.async('string') : null;
}

/** Sheet name → its part's path, from the workbook and its relationships. */
async function sheetParts(zip: JSZip): Promise<Map<string, string>> {
  const wb = (await text(zip, 'xl/workbook.xml')) ?? '';
  const rels = (await text(zip, 'xl/_rels/workbook.xml.rels')) ?? '';
  const targets = new Map([...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => [attr(m[0], 'Id'), attr(m[0], 'Target')]));
  const out = new Map<string, string>();
  for (const m of wb.matchAll(/<sheet\b[^>]*>/g)) {
    const target = targets.get(attr(m[0], 'r:id'));
    if (target) out.set(unescapeXml(attr(m[0], 'name') ?? ''), target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  return out;
}

/** The relationships part with one more relationship, and that relationship's id (one not yet used). */
function withRelationship(rels: string | null, type: string, target: string): { xml: string; id: string } {
  const xml = rels ?? `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}"></Relationships>`;
  const used = new Set([...xml.matchAll(/\sId="([^"]*)"/g)].map((m) => m[1]));
  let n = used.size + 1;
  while (used.has(`rId${n}`)) n++;
  const id = `rId${n}`;
  const rel = `<Relationship Id="${id}" Type="${type}" Target="${xmlText(target)}"/>`;
  return {
    xml: xml.includes('</Relationships>')
      ? xml.replace('</Relationships>', `${rel}</Relationships>`)
      : xml.replace(/<Relationships([^>]*)\/>/, `<Relationships$1>${rel}</Relationships>`),
    id,
  };
}

function withDrawingElement(sheet: string, relId: string): string {
  if (/<drawing\b/.test(sheet)) throw new Error('the sheet already has a drawing: charts cannot be added beside exceljs images');
  const el = `<drawing r:id="${relId}"/>`;
  let at = sheet.lastIndexOf('</worksheet>');
  for (const name of AFTER_DRAWING) {
    const i = sheet.search(new RegExp(`<${name}[\\s/>]`));
    if (i >= 0 && i < at) at = i;
  }
  const out = sheet.slice(0, at) + el + sheet.slice(at);
  return /<worksheet\b[^>]*\sxmlns:r=/.test(out) ? out : out.replace(/<worksheet\b/, `<worksheet xmlns:r="${REL}"`);
}

const relsPathOf = (part: string) => part.replace(/([^/]+)$/, '_rels/$1.rels');

/** The workbook's bytes with every sheet's charts (chartsOf) added; unchanged when no sheet has any. */
export async function addChartParts(bytes: Buffer, wb: ExcelJS.Workbook): Promise<Buffer> {
  const withCharts = wb.worksheets.filter((ws) => chartsOf(ws).length > 0);
  if (withCharts.length === 0) return bytes;
  // loaded on the first workbook with charts: ~60 modules a run without one does not load
  const { default: Zip } = await import('jszip');
  const zip = await Zip.loadAsync(bytes, NO_FOLDERS);
  const parts = await sheetParts(zip);
  const overrides: string[] = [];
  let chartNo = zip.file(/^xl\/charts\/chart\d+\.xml$/).length;
  let drawingNo = zip.file(/^xl\/drawings\/drawing\d+\.xml$/).length;
  for (const ws of withCharts) {
    const part = parts.get(ws.name);
    if (!part) throw new Error(`sheet "${ws.name}" is not in the written workbook`);
    const drawing = `xl/drawings/drawing${++drawingNo}.xml`;
    let drawingRels: string | null = null;
    const relIds: string[] = [];
    for (const chart of chartsOf(ws)) {
      const path = `xl/charts/chart${++chartNo}.xml`;
      zip.file(path, chartXml(ws, chart), NO_FOLDERS);
      overrides.push(`<Override PartName="/${path}" ContentType="${CHART_TYPE}"/>`);
      const r = withRelationship(drawingRels, `${REL}/chart`, `../charts/chart${chartNo}.xml`);
      [drawingRels, relIds[relIds.length]] = [r.xml, r.id];
    }
    zip.file(drawing, drawingXml(chartsOf(ws), relIds), NO_FOLDERS);
    zip.file(relsPathOf(drawing), drawingRels!, NO_FOLDERS);
    overrides.push(`<Override PartName="/${drawing}" ContentType="${DRAWING_TYPE}"/>`);
    const sheetRel = withRelationship(await text(zip, relsPathOf(part)), `${REL}/drawing`, `../drawings/drawing${drawingNo}.xml`);
    zip.file(relsPathOf(part), sheetRel.xml, NO_FOLDERS);
    zip.file(part, withDrawingElement((await text(zip, part))!, sheetRel.id));
  }
  const types = (await text(zip, '[Content_Types].xml'))!;
  zip.file('[Content_Types].xml', types.replace('</Types>', `${overrides.join('')}</Types>`));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
