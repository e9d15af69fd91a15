/**
 * Finding input files (files, directories, globs), opening them, and recognising each
 * by its content with every registered reader — never by its file name (SPEC §2).
 */
import { constants, createReadStream, Stats, type Dirent } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { describeFsError } from '../fs-errors.js';
import type { Detection } from '../model.js';
import type { OpenedInput, SourceReader } from './contract.js';
import { CsvFile } from './csv.js';
import { costJsonReader, JsonTooDeepError, parseJsonKeepingAmounts, usageJsonReader } from './openai-api-json.js';
import { costCsvReader } from './openai-costs.js';
import { usageCsvReader } from './openai-usage.js';
import { anthropicCostJsonReader, anthropicUsageJsonReader } from './anthropic-api-json.js';
import { anthropicCostCsvReader } from './anthropic-costs.js';
import { anthropicUsageCsvReader } from './anthropic-usage.js';
import { DocumentError, documentMedium, openDocument } from './receipts/document.js';
import { looksLikeOleFile, looksLikeZip, openSheet, SheetError } from './xlsx-grid.js';

export type AnyReader = SourceReader<unknown>;

/** Readers of the provider's exports; payment and statement readers register in the pipeline. */
export const exportReaders: AnyReader[] = [
  usageCsvReader,
  costCsvReader,
  usageJsonReader,
  costJsonReader,
  anthropicUsageCsvReader,
  anthropicCostCsvReader,
  anthropicUsageJsonReader,
  anthropicCostJsonReader,
];

import { InputError } from './errors.js';

export { InputError };

/**
 * What a directory scan reads: the formats the readers parse (`.tsv` statements are sniffed for
 * their delimiter, `.ndjson` is JSON lines, `.n43` a Spanish bank's Norma 43 file). Not `.txt`: a folder's notes would each become an
 * error now that every unrecognised file met is one; name a `.txt` export explicitly instead.
 */
const INPUT_EXTENSIONS = /\.(csv|tsv|json|jsonl|ndjson|n43|xlsx|xls)$/i;
/**
 * A folder given as the payment history (issue #16) also yields receipt and invoice PDFs, e-mails,
 * and billing-history tables pasted into `.txt`: there such files are payments, elsewhere (an
 * exports folder's stray PDF) they would be errors to wade through.
 */
const PAYMENT_FOLDER_EXTENSIONS = /\.(csv|tsv|txt|json|jsonl|ndjson|pdf|eml)$/i;
const MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** Why a file met while scanning cannot be read: it is listed on Inputs and left out. */
export interface FileProblem {
  severity: 'error' | 'warning' | 'info';
  message: string;
  nextStep: string;
}

export interface FoundFile {
  path: string;
  /** True when the file was named explicitly (not found by scanning a directory or glob). */
  explicit: boolean;
  /** Set when the path cannot be read (a loop, a FIFO, a broken link, no permission). */
  problem?: FileProblem;
  /** Other paths (links) that reach the same file: it is read once, under `path`. */
  aliases?: string[];
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else re += /[.+^${}()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`^${re}$`);
}

/** What a stat says a non-regular file is, in words. */
function specialFileKind(info: Stats): string | null {
  if (info.isFile() || info.isDirectory()) return null;
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

export const UNREADABLE_NEXT_STEP = 'Make the file readable (or move it out of the folder) and run again; until then nothing in it is counted.';
const SPECIAL_NEXT_STEP = 'Only regular files are read (a FIFO, socket or device could block the run forever); copy the data into a file, or move it out of the folder.';
const LOOP_NEXT_STEP = 'Nothing in it was missed (its files are scanned once); remove the link to end the loop.';

/** An entry met while scanning: a file (regular or not) with its identity, or a path that cannot be followed. */
interface ScanEntry {
  path: string;
  /** `dev:ino`, to count a file reached by two paths once. */
  id: string | null;
  problem?: FileProblem;
  /** A directory that could not be scanned or that closes a loop (not subject to the name filter). */
  directory?: boolean;
  /** Reached through a symbolic link: another path to the same file names it better. */
  viaLink?: boolean;
}

/** The directories above one being scanned, innermost first: a link back to one is a loop. */
interface Ancestors {
  id: string;
  path: string;
  up: Ancestors | null;
}

function ancestorWithId(chain: Ancestors | null, id: string): string | undefined {
  for (let a = chain; a; a = a.up) if (a.id === id) return a.path;
  return undefined;
}

interface ScanState {
  /** Every directory scanned: one reached again through a link is not scanned twice. */
  seen: Map<string, string>;
  /** Links to directories, followed after the real directories so files keep their real paths. */
  deferred: { path: string; id: string; chain: Ancestors | null }[];
  notice: (m: string) => void;
  /** How a path is named in messages. */
  show: (path: string) => string;
}

function newScanState(notice: (m: string) => void, show: (p: string) => string): ScanState {
  return { seen: new Map(), deferred: [], notice, show };
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Follows a directory entry (through symbolic links); a link that leads nowhere is a problem entry. */
async function statEntry(path: string): Promise<Stats | ScanEntry> {
  try {
    return await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP')
      return {
        path,
        id: null,
        directory: true,
        problem: { severity: 'warning', message: 'a loop of symbolic links (it leads back to itself); not followed', nextStep: LOOP_NEXT_STEP },
      };
    const what = code === 'ENOENT' ? 'a symbolic link to nothing (its target does not exist)' : `cannot be read: ${describeFsError(e)}`;
    return { path, id: null, problem: { severity: 'error', message: `${what}; the whole file is left out`, nextStep: UNREADABLE_NEXT_STEP } };
  }
}

/** Scans one directory's entries; subdirectories recursively, links to directories later. */
async function walk(dir: string, chain: Ancestors, viaLink: boolean, state: ScanState, out: ScanEntry[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    out.push({
      path: dir,
      id: null,
      directory: true,
      problem: { severity: 'error', message: `a directory that cannot be scanned: ${describeFsError(e)}; whatever it holds is left out`, nextStep: UNREADABLE_NEXT_STEP },
    });
    return;
  }
  for (const e of entries.sort(byName)) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    const info = await statEntry(p);
    if (!(info instanceof Stats)) out.push(info);
    else if (!info.isDirectory()) out.push({ path: p, id: `${info.dev}:${info.ino}`, problem: specialFileProblem(info), viaLink: viaLink || e.isSymbolicLink() });
    else if (e.isSymbolicLink()) state.deferred.push({ path: p, id: `${info.dev}:${info.ino}`, chain });
    else await visitDirectory(p, `${info.dev}:${info.ino}`, chain, viaLink, state, out);
  }
}

async function visitDirectory(dir: string, id: string, chain: Ancestors | null, viaLink: boolean, state: ScanState, out: ScanEntry[]): Promise<void> {
  const ancestor = ancestorWithId(chain, id);
  if (ancestor !== undefined) {
    out.push({
      path: dir,
      id: null,
      directory: true,
      problem: { severity: 'warning', message: `a symbolic link loop: it leads back to ${state.show(ancestor)}, which is being scanned; not followed`, nextStep: LOOP_NEXT_STEP },
    });
    return;
  }
  const seen = state.seen.get(id);
  if (seen !== undefined) {
    if (viaLink) state.notice(`${state.show(dir)} is the same directory as ${state.show(seen)}; scanned once`);
    return;
  }
  state.seen.set(id, dir);
  await walk(dir, { id, path: dir, up: chain }, viaLink, state, out);
}

/** Follows the links to directories met so far (and those met inside them), in the order met. */
async function followDeferredLinks(state: ScanState, out: ScanEntry[]): Promise<void> {
  for (let next = state.deferred.shift(); next; next = state.deferred.shift()) await visitDirectory(next.path, next.id, next.chain, true, state, out);
}

function specialFileProblem(info: Stats): FileProblem | undefined {
  const kind = specialFileKind(info);
  return kind
    ? { severity: 'error', message: `${kind}, not a regular file: not opened (it could block the run forever); the whole file is left out`, nextStep: SPECIAL_NEXT_STEP }
    : undefined;
}

/** Files named explicitly: anything but a readable regular file or directory stops the run. */
async function statExplicit(pattern: string, abs: string): Promise<Stats> {
  let info: Stats;
  try {
    info = await stat(abs);
  } catch (e) {
    throw new InputError(`cannot read ${pattern}: ${describeFsError(e)}`);
  }
  const kind = specialFileKind(info);
  if (kind) throw new InputError(`cannot read ${pattern}: it is ${kind}, not a regular file (only regular files are read: a FIFO or device could block forever)`);
  return info;
}

/**
 * Expands files, directories (recursively, through symbolic links: files with a data
 * extension) and globs, in a stable order. A file reached by several paths is one file.
 */
export async function expandInputs(
  patterns: string[],
  cwd = process.cwd(),
  notice: (m: string) => void = () => {},
  /** Patterns naming the payment history: their folders also yield `.txt` (pasted billing-history tables). */
  paymentPatterns: readonly string[] = [],
): Promise<FoundFile[]> {
  const said = new Set<string>();
  const once = (m: string) => {
    if (!said.has(m)) notice(m);
    said.add(m);
  };
  const show = (p: string) => displayPath(p, cwd);
  const state = newScanState(once, show);
  const entries: (ScanEntry & { explicit: boolean })[] = [];
  const scanned: ScanEntry[] = [];
  for (const pattern of patterns) {
    const abs = resolve(cwd, pattern);
    if (/[*?]/.test(pattern)) {
      for (const e of await expandGlob(pattern, abs, newScanState(once, show))) entries.push({ ...e, explicit: false });
      continue;
    }
    const info = await statExplicit(pattern, abs);
    // the same directory given twice (e.g. to --usage and --costs) is scanned once, silently
    if (!info.isDirectory()) entries.push({ path: abs, id: `${info.dev}:${info.ino}`, explicit: true });
    else if (paymentPatterns.includes(pattern)) {
      // its own scan: a folder also given to --usage must not decide which names it yields
      const own: ScanEntry[] = [];
      const paymentState = newScanState(once, show);
      await visitDirectory(abs, `${info.dev}:${info.ino}`, null, false, paymentState, own);
      await followDeferredLinks(paymentState, own);
      for (const e of own) if (e.directory || PAYMENT_FOLDER_EXTENSIONS.test(e.path)) entries.push({ ...e, explicit: false });
    } else await visitDirectory(abs, `${info.dev}:${info.ino}`, null, false, state, scanned);
  }
  await followDeferredLinks(state, scanned);
  for (const e of scanned) if (e.directory || INPUT_EXTENSIONS.test(e.path)) entries.push({ ...e, explicit: false });
  return mergeSameFiles(entries);
}

async function expandGlob(pattern: string, abs: string, state: ScanState): Promise<ScanEntry[]> {
  const firstWild = abs.search(/[*?]/);
  const base = dirname(abs.slice(0, firstWild + 1));
  const re = globToRegExp(abs.split(sep).join('/'));
  const info = await stat(base).catch(() => null);
  if (!info?.isDirectory()) throw new InputError(`no files match ${pattern}`);
  // a glob walks its whole base every time (a fresh state: another pattern may have scanned part of it)
  const found: ScanEntry[] = [];
  await visitDirectory(base, `${info.dev}:${info.ino}`, null, false, state, found);
  await followDeferredLinks(state, found);
  // a problem directory matters to a recursive glob; a one-level glob only walks below by the way
  const hits = found.filter((f) => re.test(f.path.split(sep).join('/')) || (f.directory && pattern.includes('**')));
  if (hits.length === 0) throw new InputError(`no files match ${pattern}`);
  return hits;
}

/**
 * One entry per file: a path without links reads it (else the first in sort order), the
 * others are its aliases; explicit if any path to it was named.
 */
function mergeSameFiles(entries: (ScanEntry & { explicit: boolean })[]): FoundFile[] {
  const byId = new Map<string, FoundFile>();
  const better = (a: ScanEntry, b: ScanEntry) => Number(!!a.viaLink) - Number(!!b.viaLink) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  for (const e of [...entries].sort(better)) {
    const key = e.id ?? `path:${e.path}`;
    const first = byId.get(key);
    if (!first) {
      byId.set(key, { path: e.path, explicit: e.explicit, ...(e.problem ? { problem: e.problem } : {}) });
      continue;
    }
    first.explicit ||= e.explicit;
    if (e.path !== first.path && !first.aliases?.includes(e.path)) (first.aliases ??= []).push(e.path);
  }
  const out = [...byId.values()];
  for (const f of out) f.aliases?.sort();
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** How a path is shown in messages and on the workbook: relative to the working directory. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : path;
}

/**
 * Opens a regular file (never a FIFO, socket or device: reading one could block forever) as
 * JSON (by extension or a leading `{`/`[`) or as CSV. `display` names it in messages.
 */
export async function openInput(path: string, opts: { encoding?: string; display?: string } = {}): Promise<OpenedInput> {
  const display = opts.display ?? path;
  const firstBytes = await readFirstBytes(path, display, 64);
  const medium = documentMedium(path, firstBytes);
  if (medium) {
    try {
      return { path, type: 'document', document: await openDocument(path, medium) };
    } catch (e) {
      if (e instanceof DocumentError) throw new InputError(`${display}: ${e.message}`);
      throw e;
    }
  }
  const sheet = await openWorkbook(path, display, firstBytes);
  if (sheet) return sheet;
  const firstChar = firstBytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()[0];
  const isJsonLines = /\.(jsonl|ndjson)$/i.test(path);
  if (isJsonLines || /\.json$/i.test(path) || firstChar === '{' || firstChar === '[') {
    // one value per line: parse only the first line here, the reader streams the rest
    if (isJsonLines || (firstChar === '{' && !/\.json$/i.test(path))) return { path, type: 'json', sample: await firstJsonLine(path, display), jsonLines: true };
    const info = await stat(path);
    if (info.size > MAX_JSON_DOCUMENT_BYTES) {
      throw new InputError(`${display}: a JSON document of ${info.size} bytes is too large to read whole; save the pages as .jsonl (one page per line)`);
    }
    const text = await readFile(path, 'utf8');
    try {
      return { path, type: 'json', sample: parseJsonKeepingAmounts(text.replace(/^\uFEFF/, '')), jsonLines: false };
    } catch (e) {
      if (e instanceof JsonTooDeepError) throw new InputError(`${display}: ${e.message}`);
      throw new InputError(`${display}: not valid JSON: ${(e as Error).message}`);
    }
  }
  return { path, type: 'csv', csv: await CsvFile.open(path, opts) };
}

/**
 * An .xlsx (a zip holding xl/workbook.xml) as its first sheet's grid; null for anything else,
 * a zip that is no workbook included (read on as text, so it is simply not recognised).
 * An Excel 97–2003 .xls is refused with what to do instead.
 */
async function openWorkbook(path: string, display: string, firstBytes: Buffer): Promise<OpenedInput | null> {
  if (looksLikeOleFile(firstBytes)) {
    throw new InputError(`${display}: an Excel 97–2003 .xls file (a binary workbook), which is not read: open it in Excel or LibreOffice and save it as .xlsx or CSV`);
  }
  if (!looksLikeZip(firstBytes)) return null;
  try {
    const sheet = await openSheet(path);
    return sheet ? { path, type: 'sheet', sheet } : null;
  } catch (e) {
    if (e instanceof SheetError) throw new InputError(`${display}: ${e.message}`);
    throw e;
  }
}

/** The first bytes, opened without blocking and checked to be a regular file before any read. */
async function readFirstBytes(path: string, display: string, n: number): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: unknown) => {
    throw new InputError(`cannot read ${display}: ${describeFsError(e)}`);
  });
  try {
    const info = await fh.stat();
    if (info.isDirectory()) throw new InputError(`cannot read ${display}: it is a directory`);
    const kind = specialFileKind(info);
    if (kind) throw new InputError(`cannot read ${display}: it is ${kind}, not a regular file (only regular files are read: a FIFO or device could block forever)`);
    const b = Buffer.alloc(n);
    const { bytesRead } = await fh.read(b, 0, n, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function firstJsonLine(path: string, display: string): Promise<unknown> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of rl) {
      n++;
      if (line.trim() === '') continue;
      try {
        return parseJsonKeepingAmounts(line.replace(/^\uFEFF/, ''));
      } catch (e) {
        if (e instanceof JsonTooDeepError) throw new InputError(`${display}, line ${n}: ${e.message}`);
        return null;
      }
    }
    return null;
  } finally {
    rl.close();
  }
}

export interface Recognition {
  reader: AnyReader | null;
  detection: Detection | null;
  /** Every reader's opinion, best first (for `inspect`). */
  candidates: { reader: AnyReader; detection: Detection }[];
}

/** Asks every reader; the most confident one that has all its required columns wins. */
export function recognise(input: OpenedInput, readers: AnyReader[]): Recognition {
  const candidates = readers
    .map((reader) => ({ reader, detection: reader.detect(input) }))
    .filter((c): c is { reader: AnyReader; detection: Detection } => c.detection !== null)
    .sort((a, b) => b.detection.confidence - a.detection.confidence || a.detection.missingRequired.length - b.detection.missingRequired.length);
  const best = candidates[0] ?? null;
  return { reader: best?.reader ?? null, detection: best?.detection ?? null, candidates };
}
