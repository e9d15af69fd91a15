/**
 * Adds chart parts to a workbook exceljs has serialised: per sheet with charts one drawing
 * (xl/drawings/drawingN.xml) and its charts (xl/charts/chartN.xml), the relationships between
 * sheet, drawing and charts, the sheet's <drawing> element and the content types. Parts are
 * added in a fixed order, so the same workbook gives the same bytes.
 */
import type ExcelJS from 'exceljs';
import type { Parts } from '../zip.js';
import { chartXml, xmlText } from './chart-xml.js';
import { drawingXml } from './drawing-xml.js';
import { chartsOf } from './spec.js';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DRAWING_TYPE = 'application/vnd.openxmlformats-officedocument.drawing+xml';
const CHART_TYPE = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';

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

function text(parts: Parts, path: string): string | null {
  const p = parts.get(path);
  return p === undefined ? null : p.toString();
}

/** Sheet name → its part's path, from the workbook and its relationships. */
function sheetParts(parts: Parts): Map<string, string> {
  const wb = text(parts, 'xl/workbook.xml') ?? '';
  const rels = text(parts, 'xl/_rels/workbook.xml.rels') ?? '';
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

const countParts = (parts: Parts, re: RegExp) => [...parts.keys()].filter((k) => re.test(k)).length;

/** Adds every sheet's charts (chartsOf) to a workbook's parts, in place: new parts after exceljs's, changed ones where they were. */
export function addChartParts(parts: Parts, wb: ExcelJS.Workbook): void {
  const sheets = sheetParts(parts);
  const overrides: string[] = [];
  let chartNo = countParts(parts, /^xl\/charts\/chart\d+\.xml$/);
  let drawingNo = countParts(parts, /^xl\/drawings\/drawing\d+\.xml$/);
  for (const ws of wb.worksheets.filter((w) => chartsOf(w).length > 0)) {
    const part = sheets.get(ws.name);
    if (!part) throw new Error(`sheet "${ws.name}" is not in the written workbook`);
    const drawing = `xl/drawings/drawing${++drawingNo}.xml`;
    let drawingRels: string | null = null;
    const relIds: string[] = [];
    for (const chart of chartsOf(ws)) {
      const path = `xl/charts/chart${++chartNo}.xml`;
      parts.set(path, chartXml(ws, chart));
      overrides.push(`<Override PartName="/${path}" ContentType="${CHART_TYPE}"/>`);
      const r = withRelationship(drawingRels, `${REL}/chart`, `../charts/chart${chartNo}.xml`);
      [drawingRels, relIds[relIds.length]] = [r.xml, r.id];
    }
    parts.set(drawing, drawingXml(chartsOf(ws), relIds));
    parts.set(relsPathOf(drawing), drawingRels!);
    overrides.push(`<Override PartName="/${drawing}" ContentType="${DRAWING_TYPE}"/>`);
    const sheetRel = withRelationship(text(parts, relsPathOf(part)), `${REL}/drawing`, `../drawings/drawing${drawingNo}.xml`);
    parts.set(relsPathOf(part), sheetRel.xml);
    parts.set(part, withDrawingElement(text(parts, part)!, sheetRel.id));
  }
  if (overrides.length === 0) return;
  const types = text(parts, '[Content_Types].xml')!;
  parts.set('[Content_Types].xml', types.replace('</Types>', `${overrides.join('')}</Types>`));
}
