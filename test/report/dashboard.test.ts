/**
 * The Dashboard's native charts, read back from the written file: the parts and relationships
 * a reader follows are there, every series points at the Dashboard cells that hold its figures,
 * and each cache holds exactly what those cells hold. A run with nothing to draw draws nothing.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { openAiDemoResult } from './demo-config.js';
import type { ReportResult } from '../../src/pipeline.js';
import { buildReportWorkbook } from '../../src/report/index.js';
import { DASHBOARD } from '../../src/report/sheets/dashboard.js';
import { SUMMARY } from '../../src/report/sheets/summary.js';
import { MIN_PRINT_SCALE, workbookBytes } from '../../src/report/workbook.js';
import { printScale } from './print-check.js';

const demoResult = openAiDemoResult;

interface Written {
  bytes: Buffer;
  zip: JSZip;
  wb: ExcelJS.Workbook;
}

async function write(result: ReportResult): Promise<Written> {
  const bytes = await workbookBytes(buildReportWorkbook(result));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return { bytes, zip: await JSZip.loadAsync(bytes), wb };
}

const read = async (zip: JSZip, path: string) => {
  const f = zip.file(path);
  if (!f) throw new Error(`${path} is not in the workbook`);
  return f.async('string');
};
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const unescapeXml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
/** Relationship id → target, of one _rels part. */
async function rels(zip: JSZip, path: string): Promise<Map<string, string>> {
  return new Map([...(await read(zip, path)).matchAll(/<Relationship\b[^>]*>/g)].map((m) => [attr(m[0], 'Id')!, attr(m[0], 'Target')!]));
}

/** The chart parts the Dashboard's drawing refers to, in drawing order, followed from the sheet. */
async function dashboardCharts(zip: JSZip): Promise<{ path: string; xml: string }[]> {
  const workbook = await read(zip, 'xl/workbook.xml');
  const sheetTag = [...workbook.matchAll(/<sheet\b[^>]*>/g)].map((m) => m[0]).find((t) => attr(t, 'name') === DASHBOARD)!;
  const sheetPath = `xl/${(await rels(zip, 'xl/_rels/workbook.xml.rels')).get(attr(sheetTag, 'r:id')!)}`;
  const sheet = await read(zip, sheetPath);
  const drawingId = /<drawing r:id="([^"]+)"\/>/.exec(sheet)?.[1];
  expect(drawingId, 'the sheet names its drawing').toBeDefined();
  const drawingPath = join('xl/worksheets', (await rels(zip, sheetPath.replace(/([^/]+)$/, '_rels/$1.rels'))).get(drawingId!)!).replace(/\\/g, '/');
  const drawing = await read(zip, drawingPath);
  const toChart = await rels(zip, drawingPath.replace(/([^/]+)$/, '_rels/$1.rels'));
  const ids = [...drawing.matchAll(/<c:chart [^>]*r:id="([^"]+)"/g)].map((m) => m[1]!);
  return Promise.all(
    ids.map(async (id) => {
      const path = join('xl/drawings', toChart.get(id)!).replace(/\\/g, '/');
      return { path, xml: await read(zip, path) };
    }),
  );
}

interface Ref {
  formula: string;
  cache: (string | null)[];
}
/** Each c:f with its cached points (null where a point is left out), in document order within `xml`. */
function refs(xml: string): Ref[] {
  return [...xml.matchAll(/<c:f>([^<]*)<\/c:f><c:(?:str|num)Cache>(.*?)<\/c:(?:str|num)Cache>/g)].map((m) => {
    const count = Number(/<c:ptCount val="(\d+)"\/>/.exec(m[2]!)![1]);
    const cache: (string | null)[] = Array(count).fill(null);
    for (const p of m[2]!.matchAll(/<c:pt idx="(\d+)"><c:v>([^<]*)<\/c:v><\/c:pt>/g)) cache[Number(p[1])] = unescapeXml(p[2]!);
    return { formula: unescapeXml(m[1]!), cache };
  });
}

/** The cells a `'Dashboard'!$B$5:$B$35` formula names, as text the way a cache holds them. */
function cellsOf(ws: ExcelJS.Worksheet, formula: string): (string | null)[] {
  const m = /^'Dashboard'!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?$/.exec(formula);
  expect(m, formula).not.toBeNull();
  expect(m![3] ?? m![1], 'one column per range').toBe(m![1]);
  const out: (string | null)[] = [];
  for (let r = Number(m![2]); r <= Number(m![4] ?? m![2]); r++) {
    const v = ws.getCell(`${m![1]}${r}`).value;
    out.push(v === null || v === undefined ? null : v instanceof Date ? String(v.getTime() / 86_400_000 + 25569) : String(v));
  }
  return out;
}

/** The table under the heading `<title>: the chart's figures`: its header row and data rows. */
function tableUnder(ws: ExcelJS.Worksheet, title: string): { header: number; first: number; last: number } {
  let header = 0;
  ws.eachRow((row, n) => {
    if (row.getCell(1).value === `${title}: the chart's figures`) header = n + 1;
  });
  expect(header, title).toBeGreaterThan(0);
  let last = header;
  while (ws.getRow(last + 1).getCell(1).value !== null && ws.getRow(last + 1).getCell(1).value !== 'Total') last++;
  return { header, first: header + 1, last };
}

const cents = (values: (string | null)[]) => values.reduce((a, v) => a + (v === null ? 0 : Math.round(Number(v) * 100)), 0);

describe('the Dashboard of the demo workbook', async () => {
  const result = await demoResult();
  const w = await write(result);
  const ws = w.wb.getWorksheet(DASHBOARD)!;
  const charts = await dashboardCharts(w.zip);

  it('opens the workbook, its first lines the status and billed total Summary starts with', () => {
    expect(w.wb.worksheets[0]!.name).toBe(DASHBOARD);
    expect(w.wb.worksheets[1]!.name).toBe(SUMMARY);
    const summary = w.wb.getWorksheet(SUMMARY)!;
    const lines = (sheet: ExcelJS.Worksheet) => {
      const out: string[] = [];
      for (let r = 1; sheet.getRow(r).getCell(1).value !== 'Billed, per the cost export (in period)'; r++)
        out.push(JSON.stringify([sheet.getRow(r).getCell(1).value, sheet.getRow(r).getCell(2).value]));
      return out;
    };
    const first = lines(ws);
    expect(first.length).toBeGreaterThan(5);
    expect(first).toEqual(lines(summary));
  });

  it('has four chart parts, each with its content type, reached from the sheet through its drawing', async () => {
    expect(charts.map((c) => c.path)).toEqual(['xl/charts/chart1.xml', 'xl/charts/chart2.xml', 'xl/charts/chart3.xml', 'xl/charts/chart4.xml']);
    const types = await read(w.zip, '[Content_Types].xml');
    for (const c of charts) expect(types).toContain(`<Override PartName="/${c.path}" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>`);
    expect(types).toContain('ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"');
    const kinds = charts.map((c) =>
      [...c.xml.matchAll(/<c:(barChart|lineChart)>(?:<c:barDir val="(\w+)"\/><c:grouping val="(\w+)"\/>)?/g)].map((m) => m.slice(1).filter(Boolean).join(' ')),
    );
    expect(kinds).toEqual([['barChart col stacked'], ['barChart bar clustered'], ['barChart col clustered', 'lineChart'], ['barChart bar clustered']]);
    expect(charts[0]!.xml).toContain('<c:overlap val="100"/>');
  });

  it('points every series at the Dashboard cells whose values its caches hold', () => {
    let checked = 0;
    for (const c of charts) {
      for (const ref of refs(c.xml)) {
        expect(ref.cache, `${c.path} ${ref.formula}`).toEqual(cellsOf(ws, ref.formula));
        checked++;
      }
    }
    // 4 day-chart projects, 1 model series, 5 balance series, 3 budget series: a name, categories and values each
    expect(checked).toBe((4 + 1 + 5 + 3) * 3);
  });

  it('draws the daily chart from the day table, one series per project column, adding up to the billed total', () => {
    const t = tableUnder(ws, 'Spend per local day, by project');
    const [, ...heads] = (ws.getRow(t.header).values as unknown[]).slice(1);
    const day = refs(charts[0]!.xml);
    const names = day.filter((r) => r.cache.length === 1).map((r) => r.cache[0]);
    expect(names).toEqual(heads.filter(Boolean));
    const values = day.filter((r) => /\$[B-Z]\$\d+:/.test(r.formula));
    expect(values.map((r) => r.formula)).toEqual(
      heads.filter(Boolean).map((_, i) => `'Dashboard'!$${String.fromCharCode(66 + i)}$${t.first}:$${String.fromCharCode(66 + i)}$${t.last}`),
    );
    expect(t.last - t.first + 1).toBe(31);
    expect(cents(values.flatMap((r) => r.cache))).toBe(Math.round(result.totals.costExport.toNumber() * 100));
    const models = refs(charts[1]!.xml).find((r) => /\$B\$\d+:/.test(r.formula))!;
    expect(cents(models.cache)).toBe(40479);
  });

  it('draws the balance with the auto-recharge limit a month as a line of its own', () => {
    const t = tableUnder(ws, 'Prepaid credit balance');
    const names = refs(charts[2]!.xml)
      .filter((r) => r.cache.length === 1)
      .map((r) => r.cache[0]);
    expect(names).toEqual(['Top-ups and grants', 'Expired', 'Balance', 'Auto-recharges this month', 'Auto-recharge limit a month']);
    const limit = refs(charts[2]!.xml).find((r) => r.formula === `'Dashboard'!$F$${t.first}:$F$${t.last}`)!;
    expect(new Set(limit.cache)).toEqual(
      new Set([
        result
          .runway!.organizations.find((o) => o.autoRechargeLimit)!
          .autoRechargeLimit!.toNumber()
          .toString(),
      ]),
    );
  });

  it('prints at 60 % or more, a page break just above the second row of charts', async () => {
    expect(printScale(ws)).toBeGreaterThanOrEqual(MIN_PRINT_SCALE);
    const drawing = await read(w.zip, 'xl/drawings/drawing1.xml');
    const tops = [...drawing.matchAll(/<xdr:from><xdr:col>\d+<\/xdr:col><xdr:colOff>0<\/xdr:colOff><xdr:row>(\d+)<\/xdr:row>/g)].map((m) => Number(m[1]));
    expect(tops).toHaveLength(4);
    const sheet = await read(w.zip, 'xl/worksheets/sheet1.xml');
    const breaks = [...sheet.matchAll(/<brk id="(\d+)"[^>]*man="1"/g)].map((m) => Number(m[1]));
    // a break after row n starts the page at row n + 1, the 0-based row n of the anchor
    expect(breaks).toContain(Math.max(...tops));
  });

  it('is byte for byte the same when written again', async () => {
    expect((await write(result)).bytes.equals(w.bytes)).toBe(true);
  });

  it('draws no empty chart: without a ledger or budgets those two are a line saying why', async () => {
    const partial = await write({ ...result, ledger: null, runway: null, budgets: null });
    const sheet = partial.wb.getWorksheet(DASHBOARD)!;
    expect((await dashboardCharts(partial.zip)).map((c) => c.path)).toEqual(['xl/charts/chart1.xml', 'xl/charts/chart2.xml']);
    const labels: string[] = [];
    sheet.eachRow((row) => labels.push(String(row.getCell(1).value)));
    expect(labels).toContain('Prepaid credit balance: no chart');
    expect(labels).toContain('Budget burn: no chart');
    expect(labels).not.toContain("Budget burn: the chart's figures");
  });

  it("writes a project's name into the chart as escaped XML text, the same as its header cell", async () => {
    const s = result.attribution!.summaries;
    const odd = 'R&D <"beta"> \'team\'';
    const first = s.byProject[0]!.projectId;
    const rename = <T extends { projectId: string; projectName: string | null }>(x: T) => (x.projectId === first ? { ...x, projectName: odd } : x);
    const renamed = await write({ ...result, attribution: { ...result.attribution!, summaries: { ...s, byProject: s.byProject.map(rename), daily: s.daily.map(rename) } } });
    const [day] = await dashboardCharts(renamed.zip);
    expect(day!.xml).toContain("<c:v>R&amp;D &lt;&quot;beta&quot;&gt; 'team'</c:v>");
    const sheet = renamed.wb.getWorksheet(DASHBOARD)!;
    for (const ref of refs(day!.xml)) expect(ref.cache).toEqual(cellsOf(sheet, ref.formula));
  });

  it('has no Dashboard, and no chart or drawing part, when there is nothing to draw', async () => {
    const bare = await write({ ...result, attribution: null, ledger: null, runway: null, budgets: null });
    expect(bare.wb.worksheets.map((s) => s.name)).not.toContain(DASHBOARD);
    expect(bare.wb.worksheets[0]!.name).toBe(SUMMARY);
    expect(Object.keys(bare.zip.files).filter((p) => /chart|drawing/.test(p))).toEqual([]);
  });
});
