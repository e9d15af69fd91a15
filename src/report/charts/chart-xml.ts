/**
 * One chart part (xl/charts/chartN.xml, ECMA-376 Part 1 §21.2): a c:chartSpace whose series
 * point at the sheet's cells with c:strRef/c:numRef and carry a cache of their values, so
 * LibreOffice and Excel draw it before (or without) recalculating.
 */
import type ExcelJS from 'exceljs';
import type { ChartSpec, ColumnRange, PlotSpec, SeriesSpec } from './spec.js';
import { cellContent } from '../direct-rows.js';
import { columnLetter } from '../table.js';

const NS_C = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
const NS_A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const CAT_AXIS = 500100;
const VAL_AXIS = 500200;

const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function xmlText(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(/[&<>"]/g, (c) => ESCAPES[c]!);
}

/** `'Dashboard'!$B$5:$B$35`: absolute, so a chart keeps its data when cells are sorted or filled. */
function rangeFormula(sheet: string, r: ColumnRange): string {
  const L = columnLetter(r.col);
  return `'${sheet.replace(/'/g, "''")}'!$${L}$${r.firstRow}:$${L}$${r.lastRow}`;
}

const cellFormula = (sheet: string, c: { row: number; col: number }) => `'${sheet.replace(/'/g, "''")}'!$${columnLetter(c.col)}$${c.row}`;

/** A cell's value as a chart cache holds it: the formula's cached result, a date as its serial number. */
function cellValue(ws: ExcelJS.Worksheet, row: number, col: number): string | number | null {
  const v = cellContent(ws, row, col).value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (v instanceof Date) return v.getTime() / 86_400_000 + 25569;
  if (typeof v === 'object' && 'result' in v) return typeof v.result === 'number' || typeof v.result === 'string' ? v.result : null;
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  return String(v);
}

function rows(r: ColumnRange): number[] {
  return Array.from({ length: r.lastRow - r.firstRow + 1 }, (_, i) => r.firstRow + i);
}

const pts = (values: (string | number | null)[]) =>
  `<c:ptCount val="${values.length}"/>${values.map((v, i) => (v === null ? '' : `<c:pt idx="${i}"><c:v>${xmlText(String(v))}</c:v></c:pt>`)).join('')}`;

function strRef(f: string, values: (string | number | null)[]): string {
  return `<c:strRef><c:f>${xmlText(f)}</c:f><c:strCache>${pts(values.map((v) => (v === null ? null : String(v))))}</c:strCache></c:strRef>`;
}

function numRef(f: string, values: (string | number | null)[], format: string): string {
  const nums = values.map((v) => (typeof v === 'number' ? v : null));
  return `<c:numRef><c:f>${xmlText(f)}</c:f><c:numCache><c:formatCode>${xmlText(format)}</c:formatCode>${pts(nums)}</c:numCache></c:numRef>`;
}

/** Categories: dates as numbers (the axis formats them), anything else as text. */
function categoriesXml(ws: ExcelJS.Worksheet, spec: ChartSpec): string {
  const r = spec.categories;
  const values = rows(r).map((row) => cellValue(ws, row, r.col));
  const f = rangeFormula(ws.name, r);
  const isDate = spec.categoryFormat !== undefined && values.every((v) => typeof v === 'number');
  return `<c:cat>${isDate ? numRef(f, values, spec.categoryFormat!) : strRef(f, values)}</c:cat>`;
}

function seriesXml(ws: ExcelJS.Worksheet, spec: ChartSpec, plot: PlotSpec, s: SeriesSpec, idx: number): string {
  const name = cellValue(ws, s.name.row, s.name.col);
  const tx = `<c:tx>${strRef(cellFormula(ws.name, s.name), [name])}</c:tx>`;
  const values = rows(s.values).map((row) => cellValue(ws, row, s.values.col));
  const format = cellContent(ws, s.values.firstRow, s.values.col).numFmt || 'General';
  const val = `<c:val>${numRef(rangeFormula(ws.name, s.values), values, format)}</c:val>`;
  const head = `<c:idx val="${idx}"/><c:order val="${idx}"/>${tx}`;
  if (plot.type === 'bar') {
    const fill = `<c:spPr><a:solidFill><a:srgbClr val="${s.color}"/></a:solidFill></c:spPr>`;
    return `<c:ser>${head}${fill}<c:invertIfNegative val="0"/>${categoriesXml(ws, spec)}${val}</c:ser>`;
  }
  const dash = s.dashed ? '<a:prstDash val="dash"/>' : '';
  const line = `<c:spPr><a:ln w="22225" cap="rnd"><a:solidFill><a:srgbClr val="${s.color}"/></a:solidFill>${dash}<a:round/></a:ln></c:spPr>`;
  return `<c:ser>${head}${line}<c:marker><c:symbol val="none"/></c:marker>${categoriesXml(ws, spec)}${val}<c:smooth val="0"/></c:ser>`;
}

function plotXml(ws: ExcelJS.Worksheet, spec: ChartSpec, plot: PlotSpec, firstIdx: number): string {
  const series = plot.series.map((s, i) => seriesXml(ws, spec, plot, s, firstIdx + i)).join('');
  const axes = `<c:axId val="${CAT_AXIS}"/><c:axId val="${VAL_AXIS}"/>`;
  if (plot.type === 'line') return `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/>${axes}</c:lineChart>`;
  const overlap = plot.grouping === 'stacked' ? 100 : -10;
  return `<c:barChart><c:barDir val="${plot.direction}"/><c:grouping val="${plot.grouping}"/><c:varyColors val="0"/>${series}<c:gapWidth val="60"/><c:overlap val="${overlap}"/>${axes}</c:barChart>`;
}

function richText(text: string, size: number, bold: boolean): string {
  return `<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="${size}" b="${bold ? 1 : 0}"/></a:pPr><a:r><a:rPr lang="en-US" sz="${size}" b="${bold ? 1 : 0}"/><a:t>${xmlText(text)}</a:t></a:r></a:p></c:rich></c:tx>`;
}

const GRID = '<c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="E5E5E5"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>';
const LABELS = '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="800"/></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>';

function axesXml(spec: ChartSpec): string {
  const horizontal = spec.plots.some((p) => p.type === 'bar' && p.direction === 'bar');
  const reversed = horizontal && spec.categoriesTopDown;
  const catFormat = spec.categoryFormat ? `<c:numFmt formatCode="${xmlText(spec.categoryFormat)}" sourceLinked="0"/>` : '';
  const cat =
    `<c:catAx><c:axId val="${CAT_AXIS}"/><c:scaling><c:orientation val="${reversed ? 'maxMin' : 'minMax'}"/></c:scaling><c:delete val="0"/>` +
    `<c:axPos val="${horizontal ? 'l' : 'b'}"/>${catFormat}<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>${LABELS}` +
    `<c:crossAx val="${VAL_AXIS}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`;
  const val =
    `<c:valAx><c:axId val="${VAL_AXIS}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>` +
    `<c:axPos val="${horizontal ? 'b' : 'l'}"/>${GRID}<c:title>${richText(spec.valueAxisTitle, 900, false)}<c:overlay val="0"/></c:title>` +
    `<c:numFmt formatCode="${xmlText(spec.valueFormat)}" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>${LABELS}` +
    `<c:crossAx val="${CAT_AXIS}"/><c:crosses val="${reversed ? 'max' : 'autoZero'}"/><c:crossBetween val="between"/></c:valAx>`;
  return cat + val;
}

export function chartXml(ws: ExcelJS.Worksheet, spec: ChartSpec): string {
  let idx = 0;
  const plots = spec.plots.map((p) => {
    const xml = plotXml(ws, spec, p, idx);
    idx += p.series.length;
    return xml;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="${NS_C}" xmlns:a="${NS_A}" xmlns:r="${NS_R}">` +
    `<c:date1904 val="0"/><c:roundedCorners val="0"/><c:chart><c:title>${richText(spec.title, 1100, true)}<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>` +
    `<c:plotArea><c:layout/>${plots.join('')}${axesXml(spec)}</c:plotArea>` +
    `${idx > 1 ? `<c:legend><c:legendPos val="b"/><c:overlay val="0"/>${LABELS}</c:legend>` : ''}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>` +
    `<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr></c:chartSpace>`
  );
}
