/**
 * An .xlsx workbook's first sheet (in workbook order) as a grid of text rows, so card and bank
 * statements saved as Excel go through the same statement profiles as CSV ones. Read with
 * jszip and a small XML scanner of our own: exceljs turns numbers into floats, and stays
 * behind src/report/. Rows carry their spreadsheet row number as `line`.
 */
import { readFile, stat } from 'node:fs/promises';
import type JSZip from 'jszip';
import type { CsvRow } from './csv.js';
import { decodeXmlText, excelNumberText, isDateFormat, serialToIso } from './xlsx-values.js';

/** A statement is small: a workbook above these is refused rather than read into memory. */
const MAX_XLSX_BYTES = 50 * 1024 * 1024;
const MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024;
/** A workbook holds tens of parts (a few hundred with images): more is refused before jszip lists them all. */
const MAX_XLSX_ENTRIES = 5000;

/**
 * The number of entries the zip's end-of-central-directory record declares, or null when there
 * is none to read (jszip then says what is wrong). 0xFFFF means ZIP64: far more than a workbook has.
 */
function declaredEntries(bytes: Buffer): number | null {
  const EOCD = 0x06054b50;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === EOCD) return bytes.readUInt16LE(i + 10);
  }
  return null;
}

export interface SheetGrid {
  /** The sheet's name on its tab. */
  sheetName: string;
  /** Non-empty rows in sheet order; `line` is the row number Excel shows; typed date cells are in `typedDates`, number cells in `typedNumbers`. */
  rows: CsvRow[];
  bytes: number;
  /** The workbook's author (docProps/core.xml `dc:creator`): "spendrecon" on the workbooks it writes. */
  creator: string | null;
}

/** Why a workbook cannot be read, in words for the user (the caller adds the file name). */
export class SheetError extends Error {}

/** A zip archive (`PK\x03\x04`): an .xlsx when it holds xl/workbook.xml (openSheet checks). */
export function looksLikeZip(firstBytes: Uint8Array): boolean {
  return firstBytes[0] === 0x50 && firstBytes[1] === 0x4b && firstBytes[2] === 0x03 && firstBytes[3] === 0x04;
}

/** An OLE2 compound file (`D0 CF 11 E0`): an Excel 97–2003 .xls, which is not read. */
export function looksLikeOleFile(firstBytes: Uint8Array): boolean {
  return firstBytes[0] === 0xd0 && firstBytes[1] === 0xcf && firstBytes[2] === 0x11 && firstBytes[3] === 0xe0;
}

/** Opens a zip file that may be a workbook: null when it holds no xl/workbook.xml (some other zip). */
export async function openSheet(path: string, limits = { bytes: MAX_XLSX_BYTES, unpacked: MAX_XLSX_UNPACKED_BYTES }): Promise<SheetGrid | null> {
  const info = await stat(path);
  if (info.size > limits.bytes) {
    throw new SheetError(`an Excel workbook of ${info.size} bytes is larger than the ${mb(limits.bytes)} a statement is read up to; save the sheet as CSV`);
  }
  // no checkCRC32: it inflates every member while loading, before the unpacked budget can stop a zip bomb
  let zip: JSZip;
  const bytes = await readFile(path);
  const entries = declaredEntries(bytes);
  if (entries !== null && entries > MAX_XLSX_ENTRIES) {
    throw new SheetError(
      `the archive lists ${entries === 0xffff ? 'more than 65,534' : entries.toLocaleString('en-US')} entries; a workbook holds tens (a damaged or crafted file?); save the sheet as CSV`,
    );
  }
  try {
    // loaded on the first workbook: ~60 modules a run without one does not load
    const { default: Zip } = await import('jszip');
    zip = await Zip.loadAsync(bytes);
  } catch (e) {
    throw new SheetError(`not a readable zip archive (an .xlsx is one): ${(e as Error).message}`);
  }
  if (!zip.file('xl/workbook.xml')) return null;
  const budget = { left: limits.unpacked, max: limits.unpacked };
  const workbook = await member(zip, 'xl/workbook.xml', budget);
  const rels = (await optionalMember(zip, 'xl/_rels/workbook.xml.rels', budget)) ?? '';
  const { name, target } = firstSheet(workbook, rels);
  const sheetXml = await optionalMember(zip, target, budget);
  if (sheetXml === null) throw new SheetError(`the workbook names sheet "${name}" at ${target}, which the archive does not hold`);
  const strings = sharedStrings((await optionalMember(zip, 'xl/sharedStrings.xml', budget)) ?? '');
  const dateStyles = dateStyleIndexes((await optionalMember(zip, 'xl/styles.xml', budget)) ?? '');
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test(workbook);
  const core = (await optionalMember(zip, 'docProps/core.xml', budget)) ?? '';
  const creator = /<dc:creator>([^<]*)<\/dc:creator>/.exec(core)?.[1] ?? null;
  return { sheetName: name, rows: sheetRows(sheetXml, { strings, dateStyles, date1904 }), bytes: info.size, creator: creator === null ? null : decodeXmlText(creator) };
}

/** What may still be unpacked, of the most allowed. */
interface Budget {
  left: number;
  max: number;
}

const mb = (bytes: number): string => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes} bytes`);

/** A member's text, counted against the unpacked budget while it inflates (a zip bomb stops early). */
async function member(zip: JSZip, name: string, budget: Budget): Promise<string> {
  const text = await optionalMember(zip, name, budget);
  if (text === null) throw new SheetError(`the archive has no ${name}`);
  return text;
}

async function optionalMember(zip: JSZip, name: string, budget: Budget): Promise<string | null> {
  const file = zip.file(name);
  if (!file) return null;
  const text = await new Promise<string>((resolve, reject) => {
    const decoder = new TextDecoder('utf-8');
    const parts: string[] = [];
    const stream = file.nodeStream('nodebuffer');
    let stopped = false;
    stream.on('data', (chunk: Buffer) => {
      if (stopped) return;
      budget.left -= chunk.length;
      if (budget.left < 0) {
        stopped = true;
        stream.pause();
        reject(new SheetError(`the workbook unpacks to more than ${mb(budget.max)} (a statement is far smaller; a zip bomb?); save the sheet as CSV`));
        return;
      }
      parts.push(decoder.decode(chunk, { stream: true }));
    });
    stream.on('error', (e: Error) => {
      stopped = true;
      reject(new SheetError(`${name} in the archive cannot be unpacked: ${e.message}`));
    });
    stream.on('end', () => {
      if (!stopped) resolve(parts.join('') + decoder.decode());
    });
  });
  return text.replace(/^\uFEFF/, '');
}

// ---------------------------------------------------------------------------
// The XML scanner: elements by local name (any namespace prefix), attributes as a map

const ATTR_RE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(ATTR_RE)) out.set(m[1]!, decodeXmlText(m[2] ?? m[3] ?? ''));
  return out;
}

/** Every `<name …/>` or `<name …>body</name>`: its attributes and body (empty for a self-closed one). */
function* elements(xml: string, name: string): Generator<{ attrs: Map<string, string>; body: string }> {
  // [^<>]: a tag never holds `<`, so a start that does not close stops at the next tag, not at the end of the sheet
  const re = new RegExp(`<(?:\\w+:)?${name}(\\s[^<>]*?)?(/?)>`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const attrs = attributes(m[1] ?? '');
    if (m[2] === '/') {
      yield { attrs, body: '' };
      continue;
    }
    const close = new RegExp(`</(?:\\w+:)?${name}\\s*>`, 'g');
    close.lastIndex = re.lastIndex;
    const end = close.exec(xml);
    const stop = end ? end.index : xml.length;
    yield { attrs, body: xml.slice(re.lastIndex, stop) };
    re.lastIndex = end ? close.lastIndex : xml.length;
  }
}

/** The text of an `<si>` or `<is>`: its `<t>` runs joined, phonetic guides (`<rPh>`) left out. */
function runText(body: string): string {
  const visible = body.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh\s*>/g, '');
  let text = '';
  for (const t of elements(visible, 't')) text += decodeXmlText(t.body);
  return text;
}

function sharedStrings(xml: string): string[] {
  return [...elements(xml, 'si')].map((si) => runText(si.body));
}

/** The `s` indexes (cellXfs order) whose number format is a date or time. */
function dateStyleIndexes(xml: string): Set<number> {
  const formats = new Map<number, string>();
  for (const f of elements(xml, 'numFmt')) formats.set(Number(f.attrs.get('numFmtId')), f.attrs.get('formatCode') ?? '');
  const cellXfs = elements(xml, 'cellXfs').next();
  const out = new Set<number>();
  if (cellXfs.done) return out;
  let i = 0;
  for (const xf of elements(cellXfs.value.body, 'xf')) {
    const id = Number(xf.attrs.get('numFmtId') ?? '0');
    if (isDateFormat(id, formats.get(id))) out.add(i);
    i++;
  }
  return out;
}

/** The first sheet in workbook order (the tab order, not the file names) and its part's path. */
function firstSheet(workbook: string, rels: string): { name: string; target: string } {
  const sheet = elements(workbook, 'sheet').next();
  if (sheet.done) throw new SheetError('the workbook lists no sheet');
  const name = sheet.value.attrs.get('name') ?? '';
  const relId = [...sheet.value.attrs].find(([k]) => k.endsWith(':id'))?.[1];
  for (const rel of elements(rels, 'Relationship')) {
    if (rel.attrs.get('Id') !== relId) continue;
    const target = rel.attrs.get('Target') ?? '';
    return { name, target: target.startsWith('/') ? target.slice(1) : normalisePath(`xl/${target}`) };
  }
  throw new SheetError(`the workbook's sheet "${name}" has no relationship ${relId ?? '(none given)'} in xl/_rels/workbook.xml.rels`);
}

function normalisePath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

// ---------------------------------------------------------------------------
// Rows and cells

interface CellContext {
  strings: readonly string[];
  dateStyles: ReadonlySet<number>;
  date1904: boolean;
}

/** Excel's last column, XFD: a reference past it is a damaged or crafted sheet (and would grow a row to billions of cells). */
const MAX_COLUMNS = 16384;

/** Column letters of a cell reference (`D12` → 3), or -1 when there is none. */
function columnIndex(ref: string | undefined): number {
  const m = ref ? /^([A-Z]+)\d*$/i.exec(ref) : null;
  if (!m) return -1;
  let n = 0;
  for (const ch of m[1]!.toUpperCase()) {
    n = n * 26 + (ch.charCodeAt(0) - 64);
    if (n > MAX_COLUMNS) throw new SheetError(`cell ${ref} is past column XFD, the last an Excel sheet has; the workbook is damaged`);
  }
  return n - 1;
}

function sheetRows(xml: string, ctx: CellContext): CsvRow[] {
  const sheetData = elements(xml, 'sheetData').next();
  if (sheetData.done) return [];
  const rows: CsvRow[] = [];
  let line = 0;
  for (const row of elements(sheetData.value.body, 'row')) {
    const r = Number(row.attrs.get('r'));
    // rows in increasing order, as Excel writes them: a repeated one would be read twice
    if (Number.isInteger(r) && r > 0 && r <= line) throw new SheetError(`row ${r} comes after row ${line} in the sheet; the workbook is damaged`);
    line = Number.isInteger(r) && r > 0 ? r : line + 1;
    const read = rowCells(row.body, line, ctx);
    if (read.fields.some((f) => f.trim() !== '')) rows.push({ line, ...read });
  }
  return rows;
}

function rowCells(body: string, line: number, ctx: CellContext): Pick<CsvRow, 'fields' | 'typedDates' | 'typedNumbers'> {
  const fields: string[] = [];
  const typedDates = new Set<number>();
  const typedNumbers = new Set<number>();
  let col = -1;
  let lastRef = '';
  for (const c of elements(body, 'c')) {
    const ref = c.attrs.get('r');
    const at = columnIndex(ref);
    // cells left to right, as Excel writes them: a repeated one would drop the value before it
    if (at >= 0 && at <= col) throw new SheetError(`cell ${ref} comes after ${lastRef || 'the cell before it'} in row ${line}; the workbook is damaged`);
    col = at >= 0 ? at : col + 1;
    if (col >= MAX_COLUMNS) throw new SheetError(`row ${line} has more cells than the ${MAX_COLUMNS} columns an Excel sheet has; the workbook is damaged`);
    lastRef = ref ?? '';
    const cell = cellText(c.attrs, c.body, ctx, ref ?? `row ${line}, column ${col + 1}`);
    if (cell.text === '') continue;
    while (fields.length < col) fields.push('');
    fields[col] = cell.text;
    if (cell.typedDate) typedDates.add(col);
    else if (cell.typedNumber) typedNumbers.add(col);
  }
  return { fields, ...(typedDates.size ? { typedDates } : {}), ...(typedNumbers.size ? { typedNumbers } : {}) };
}

/** What a numeric cell's text is written as: a plain decimal with a point, whatever the sheet's locale. */
const PLAIN_NUMBER_RE = /^-?\d+(?:\.\d+)?$/;

interface CellRead {
  text: string;
  typedDate: boolean;
  /** A number cell (not a date): `text` is plain `-?digits(.digits)?`. */
  typedNumber?: boolean;
}

function cellText(attrs: Map<string, string>, body: string, ctx: CellContext, where: string): CellRead {
  const type = attrs.get('t') ?? 'n';
  const v = elements(body, 'v').next();
  const raw = v.done ? '' : decodeXmlText(v.value.body);
  switch (type) {
    case 's': {
      const text = ctx.strings[Number(raw)];
      if (text === undefined) throw new SheetError(`cell ${where} refers to shared string ${raw || '(none)'}, but the workbook has ${ctx.strings.length}; the workbook is damaged`);
      return { text, typedDate: false };
    }
    case 'inlineStr': {
      const is = elements(body, 'is').next();
      return { text: is.done ? raw : runText(is.value.body), typedDate: false };
    }
    case 'b':
      return { text: raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw, typedDate: false };
    case 'd':
      // an ISO 8601 date-time written as such (strict OOXML); the seconds' fraction is dropped
      return { text: raw.replace(/(\d{2}:\d{2}:\d{2})\.\d+/, '$1').replace(/Z$/, ''), typedDate: raw !== '' };
    case 'n': {
      if (raw === '') return { text: '', typedDate: false };
      const iso = ctx.dateStyles.has(Number(attrs.get('s') ?? '0')) ? serialToIso(raw, ctx.date1904) : null;
      if (iso?.includes('-')) return { text: iso, typedDate: true };
      const text = iso ?? excelNumberText(raw);
      return { text, typedDate: false, typedNumber: PLAIN_NUMBER_RE.test(text) };
    }
    default: // str (a formula's text), e (an error such as #N/A): as written
      return { text: raw, typedDate: false };
  }
}
