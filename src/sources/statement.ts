/**
 * Card and bank statements (SPEC §2.4), read through statement profiles: a profile says
 * which header identifies the layout, where each field is, how dates and numbers are
 * written and which sign a charge has. This reader finds the header row below any
 * preamble, skips trailer lines, and turns every other row into a CardLine (charges
 * positive) or into issues naming file, line and column.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import Papa from 'papaparse';
import type { CardLine, Detection } from '../model.js';
import type { LocalDate } from '../time.js';
import { CsvFile, normaliseEncodingName, sniffDelimiter, type CsvRow } from './csv.js';
import { issue, type OpenedInput, type ReadBatch, type ReadContext, type SourceReader } from './contract.js';
import { builtinProfiles, type StatementProfile } from './statement-profile.js';
import { matchHeader, parseStatementRows, readShare, type HeaderMatch, type ReadShare } from './statement-rows.js';
import { MemoryBoundError, MORE_MEMORY, maxStatementLines } from '../memory-bounds.js';

export { parseStatementRows } from './statement-rows.js';

/** A detection that also says which profile, header line, encoding and delimiter to read with. */
export interface StatementDetection extends Detection {
  profile: string;
  /** 1-based physical line of the header row; 0 for a layout without one (header.row "none"). */
  headerLine: number;
  encoding: string;
  delimiter: string;
}

/** ReadContext plus the statement period when the caller knows it (for dates printed without a year). */
export interface StatementReadContext extends ReadContext {
  statementPeriod?: { from: LocalDate; to: LocalDate } | null;
}

export interface StatementReaderOptions {
  /** Default statement period for year-less dates when the file has no period line. */
  period?: { from: LocalDate; to: LocalDate } | null;
  /** The config's home currency: the account currency for profiles with no currency column and no fixed currency. */
  homeCurrency?: string | null;
}

const SAMPLE_BYTES = 64 * 1024;
/** Rows of a sheet a profile's header is looked for in: as many as a CSV's sniffed head holds. */
const HEAD_ROWS = 40;

// ---------------------------------------------------------------------------
// Detection under a profile's encoding and delimiter

interface HeadView {
  rows: CsvRow[];
  encoding: string;
  delimiter: string;
  note: string | null;
}

function readSample(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const n = readSync(fd, buf, 0, SAMPLE_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Rows with physical line numbers, counted the way CsvFile counts them. */
function parseHead(text: string, delimiter: string, quoteChar: string): CsvRow[] {
  const data = Papa.parse<string[]>(text, { delimiter, quoteChar }).data;
  const rows: CsvRow[] = [];
  let line = 1;
  for (const fields of data) {
    const start = line;
    line++;
    for (const f of fields) if (f.includes('\n')) line += f.split('\n').length - 1;
    if (fields.length === 1 && fields[0] === '') continue;
    rows.push({ line: start, fields });
    if (rows.length >= 40) break;
  }
  return rows;
}

/**
 * The head of the file as this profile would read it. When the profile names encodings
 * and the sniffed one is only a guess outside that list (Windows-1252 umlauts often
 * decode as GB18030), or names a delimiter other than the sniffed one, the first bytes
 * are decoded again synchronously (detect is synchronous; it is 64 KiB once per file).
 */
function headForProfile(csv: CsvFile, profile: StatementProfile, cache: Map<string, HeadView>, sample: () => Uint8Array): HeadView {
  const sniffed = csv.encoding.encoding;
  const encodingKnown = csv.encoding.bomBytes > 0 || csv.encoding.reason === 'set by option';
  let encoding = sniffed;
  let note: string | null = null;
  const wanted = profile.encoding?.map(normaliseEncodingName);
  if (wanted && !encodingKnown && !wanted.includes(sniffed)) {
    for (const e of wanted) {
      try {
        new TextDecoder(e, { fatal: true }).decode(sample(), { stream: true });
        encoding = e;
        note = `read as ${e} (profile encoding) rather than the sniffed ${sniffed}`;
        break;
      } catch {
        /* not this one */
      }
    }
  }
  if (encoding === sniffed && (profile.delimiter === undefined || profile.delimiter === csv.delimiter) && profile.quote === csv.quote) {
    return { rows: csv.head, encoding, delimiter: csv.delimiter, note };
  }
  const key = `${encoding}|${profile.delimiter ?? ''}|${profile.quote}`;
  const hit = cache.get(key);
  if (hit) return { ...hit, note };
  const bytes = sample();
  let text = new TextDecoder(encoding).decode(bytes, { stream: true });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  if (csv.bytes > bytes.length && cut > 0) text = text.slice(0, cut);
  const delimiter = profile.delimiter ?? sniffDelimiter(text);
  const view: HeadView = { rows: parseHead(text, delimiter, profile.quote), encoding, delimiter, note };
  cache.set(key, view);
  return view;
}

type Candidate = { profile: StatementProfile; m: HeaderMatch; view: HeadView };

/** Header confidences this close are a tie (two profiles with one header score the same). */
const TIE = 0.005;

/**
 * The best header match; among those tied with it, the one that reads most of the first data
 * rows (dates and amounts, statement-rows.ts readShare) wins, then the earlier profile
 * (user profiles come first). `tie` is set only when reading the rows decided it.
 */
function pickProfile(found: readonly Candidate[]): { best: Candidate; tie: { share: ReadShare; others: string[] } | null } {
  const top = found.reduce((a, b) => (b.m.confidence > a.m.confidence ? b : a));
  const tied = found.filter((c) => top.m.confidence - c.m.confidence < TIE);
  if (tied.length < 2) return { best: top, tie: null };
  const scored = tied.map((c) => ({ c, share: readShare(c.view.rows, c.m, c.profile) }));
  const ratio = (s: ReadShare): number => (s.sampled ? s.read / s.sampled : 0);
  // equal shares fall back to the header's confidence, then to the earlier profile
  const better = (a: (typeof scored)[number], b: (typeof scored)[number]): boolean =>
    ratio(b.share) > ratio(a.share) || (ratio(b.share) === ratio(a.share) && b.c.m.confidence > a.c.m.confidence);
  const win = scored.reduce((a, b) => (better(a, b) ? b : a));
  if (win.c === top) return { best: top, tie: null };
  const others = scored.filter((x) => x !== win && ratio(x.share) < ratio(win.share)).map((x) => x.c.profile.name);
  return { best: win.c, tie: { share: win.share, others } };
}

function detectWith(profiles: readonly StatementProfile[], input: OpenedInput): StatementDetection | null {
  const viewFor = headViews(input);
  if (!viewFor) return null;
  const found: Candidate[] = [];
  for (const profile of profiles) {
    const view = viewFor(profile);
    const m = matchHeader(view.rows, profile);
    if (m) found.push({ profile, m, view });
  }
  return found.length ? detectionOf(found) : null;
}

/**
 * The first rows each profile is matched against: a CSV's as decoded and split under the
 * profile's encoding and delimiter; a sheet's cells come split and decoded, the same for every profile.
 */
function headViews(input: OpenedInput): ((profile: StatementProfile) => HeadView) | null {
  if (input.type === 'sheet') {
    const { sheet } = input;
    const view: HeadView = { rows: sheet.rows.slice(0, HEAD_ROWS), encoding: 'utf-8', delimiter: '', note: `sheet "${sheet.sheetName}" of an Excel workbook` };
    return () => view;
  }
  if (input.type !== 'csv') return null;
  const csv = input.csv;
  const cache = new Map<string, HeadView>();
  let bytes: Uint8Array | null = null;
  const sample = (): Uint8Array => (bytes ??= readSample(csv.path));
  return (profile) => headForProfile(csv, profile, cache, sample);
}

function detectionOf(found: readonly Candidate[]): StatementDetection {
  const { best, tie } = pickProfile(found);
  const { profile, m, view } = best;
  const reasons = [
    `profile "${profile.name}" (${profile.label})`,
    ...(tie
      ? [
          `header tie with ${tie.others.map((o) => `"${o}"`).join(', ')}: this profile reads ${tie.share.read} of the first ${tie.share.sampled} rows, better than the other${tie.others.length > 1 ? 's' : ''}`,
        ]
      : []),
    ...(m.index < 0
      ? [`no header row: the first rows fit the profile's signature`, `columns by position: ${m.names.join(', ')}`]
      : [`header on line ${m.line}${m.index ? ` after ${m.index} preamble line${m.index > 1 ? 's' : ''}` : ''}`, `matched columns: ${m.matched.join(', ')}`]),
  ];
  if (m.missing.length) reasons.push(`missing columns: ${m.missing.join(', ')}`);
  if (view.note) reasons.push(view.note);
  for (const other of found) {
    if (other !== best) reasons.push(`also fits profile "${other.profile.name}" (confidence ${Math.round(other.m.confidence * 100)}%)`);
  }
  return {
    format: 'statement',
    label: `Card/bank statement: ${profile.label}`,
    confidence: m.confidence,
    reasons,
    missingRequired: m.missing,
    unknownColumns: m.unknown,
    profile: profile.name,
    headerLine: m.line,
    encoding: view.encoding,
    delimiter: view.delimiter,
  };
}

// ---------------------------------------------------------------------------
// The reader

/** A statement reader over these profiles (user profiles first, then built-ins: see resolveProfiles). */
export function makeStatementReader(profiles: readonly StatementProfile[], options: StatementReaderOptions = {}): SourceReader<CardLine> {
  const names = new Set<string>();
  for (const p of profiles) {
    if (names.has(p.name)) throw new RangeError(`statement profile "${p.name}" is listed twice`);
    names.add(p.name);
  }
  const list = profiles.slice();
  return {
    format: 'statement',
    label: 'Card/bank statement',
    kind: 'statement',
    detect(input: OpenedInput): StatementDetection | null {
      return detectWith(list, input);
    },
    async *read(input: OpenedInput, detection: Detection, ctx: StatementReadContext): AsyncIterable<ReadBatch<CardLine>> {
      const file = ctx.displayPath;
      if (input.type !== 'csv' && input.type !== 'sheet') {
        yield { records: [], issues: [issue('error', file, 0, null, 'a card or bank statement must be a CSV file or an Excel workbook (.xlsx)')], skipped: 0, rows: 0 };
        return;
      }
      const given = detection as Partial<StatementDetection>;
      const det = given.profile !== undefined && given.encoding !== undefined && given.delimiter !== undefined ? (given as StatementDetection) : detectWith(list, input);
      const profile = det ? list.find((p) => p.name === det.profile) : undefined;
      if (!det || !profile) {
        const names = list.map((p) => p.name).join(', ');
        yield {
          records: [],
          issues: [issue('error', file, 0, null, `no statement profile fits this file's header (profiles: ${names}); add a profile to the config's statementProfiles`)],
          skipped: 0,
          rows: 0,
        };
        return;
      }
      const rows = input.type === 'sheet' ? input.sheet.rows : await csvRows(input, det, profile, file);
      const result = parseStatementRows(rows, profile, {
        file,
        period: ctx.statementPeriod ?? options.period ?? null,
        homeCurrency: options.homeCurrency ?? null,
        timezone: ctx.timezone,
      });
      yield { records: result.records, issues: result.issues, skipped: result.skipped, rows: result.rows };
    },
  };
}

/** Every row of a CSV statement, decoded and split as the detected profile says. */
async function csvRows(input: OpenedInput & { type: 'csv' }, det: StatementDetection, profile: StatementProfile, display: string): Promise<CsvRow[]> {
  const csv =
    det.encoding === input.csv.encoding.encoding && det.delimiter === input.csv.delimiter && profile.quote === input.csv.quote
      ? input.csv
      : await CsvFile.open(input.csv.path, {
          ...(det.encoding !== input.csv.encoding.encoding ? { encoding: det.encoding } : {}),
          delimiter: det.delimiter,
          ...(profile.quote !== input.csv.quote ? { quote: profile.quote } : {}),
        });
  // Buffered on purpose: a statement is small (hundreds of lines), and two rules need
  // the whole file before any row can be read: `auto` day/month order is decided from
  // the whole column, and year-less dates need the period line, which may be a trailer.
  const rows: CsvRow[] = [];
  const width = profile.header.row === 'none' ? profile.header.columns.length : csv.head.find((r) => r.line === det.headerLine)?.fields.length;
  const shape = width ? { width, maxMissingCells: profile.rows.maxMissingCells } : {};
  const most = maxStatementLines();
  for await (const batch of csv.batches(shape))
    for (const r of batch) {
      if (rows.push(r) > most)
        throw new MemoryBoundError(
          `${display}: more than ${most.toLocaleString('en-US')} lines, more than one run holds of a card statement; download it for a shorter range or split the file, ${MORE_MEMORY}`,
        );
    }
  // the same bytes were hashed; the caller reads the hash from the file it opened
  if (csv !== input.csv) input.csv.sha256 = csv.sha256;
  return rows;
}

/** The statement reader over the built-in profiles. */
export const statementReader: SourceReader<CardLine> = makeStatementReader(builtinProfiles());
