/**
 * Finding input files (files, directories, globs), opening them, and recognising each
 * by its content with every registered reader — never by its file name (SPEC §2).
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Detection } from '../model.js';
import type { OpenedInput, SourceReader } from './contract.js';
import { CsvFile } from './csv.js';
import { costJsonReader, parseJsonKeepingAmounts, usageJsonReader } from './openai-api-json.js';
import { costCsvReader } from './openai-costs.js';
import { usageCsvReader } from './openai-usage.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyReader = SourceReader<any>;

/** Readers of the provider's exports; payment and statement readers register in the pipeline. */
export const exportReaders: AnyReader[] = [usageCsvReader, costCsvReader, usageJsonReader, costJsonReader];

/** An error about the inputs as a whole (exit code 2): unreadable, unrecognised, missing column. */
export class InputError extends Error {}

const INPUT_EXTENSIONS = /\.(csv|tsv|txt|json|jsonl|ndjson)$/i;
const MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024;

export interface FoundFile {
  path: string;
  /** True when the file was named explicitly (not found by scanning a directory or glob). */
  explicit: boolean;
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

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Expands files, directories (recursively: files with a data extension) and globs, in a stable order. */
export async function expandInputs(patterns: string[], cwd = process.cwd()): Promise<FoundFile[]> {
  const found = new Map<string, FoundFile>();
  for (const pattern of patterns) {
    const abs = resolve(cwd, pattern);
    if (/[*?]/.test(pattern)) {
      const firstWild = abs.search(/[*?]/);
      const base = dirname(abs.slice(0, firstWild + 1));
      const re = globToRegExp(abs.split(sep).join('/'));
      let files: string[] = [];
      try {
        files = await walk(base);
      } catch {
        throw new InputError(`no files match ${pattern}`);
      }
      const hits = files.filter((f) => re.test(f.split(sep).join('/')));
      if (hits.length === 0) throw new InputError(`no files match ${pattern}`);
      for (const f of hits) if (!found.has(f)) found.set(f, { path: f, explicit: false });
      continue;
    }
    let info;
    try {
      info = await stat(abs);
    } catch {
      throw new InputError(`cannot read ${pattern}: no such file or directory`);
    }
    if (info.isDirectory()) {
      for (const f of (await walk(abs)).filter((f) => INPUT_EXTENSIONS.test(f))) if (!found.has(f)) found.set(f, { path: f, explicit: false });
    } else {
      found.set(abs, { path: abs, explicit: true });
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** How a path is shown in messages and on the workbook: relative to the working directory. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : path;
}

/** Opens a file as JSON (by extension or a leading `{`/`[`) or as CSV. */
export async function openInput(path: string, opts: { encoding?: string } = {}): Promise<OpenedInput> {
  const fh = await open(path, 'r');
  let firstBytes: Buffer;
  try {
    const b = Buffer.alloc(64);
    const { bytesRead } = await fh.read(b, 0, 64, 0);
    firstBytes = b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const firstChar = firstBytes.toString('utf8').replace(/^\uFEFF/, '').trimStart()[0];
  const isJsonLines = /\.(jsonl|ndjson)$/i.test(path);
  if (isJsonLines || /\.json$/i.test(path) || firstChar === '{' || firstChar === '[') {
    if (isJsonLines || (firstChar === '{' && !/\.json$/i.test(path))) {
      // one value per line: parse only the first line here, the reader streams the rest
      const { createInterface } = await import('node:readline');
      const { createReadStream } = await import('node:fs');
      const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
      let sample: unknown = null;
      for await (const line of rl) {
        if (line.trim() === '') continue;
        try {
          sample = parseJsonKeepingAmounts(line.replace(/^\uFEFF/, ''));
        } catch {
          sample = null;
        }
        break;
      }
      rl.close();
      return { path, type: 'json', sample, jsonLines: true };
    }
    const info = await stat(path);
    if (info.size > MAX_JSON_DOCUMENT_BYTES) {
      throw new InputError(`${path}: a JSON document of ${info.size} bytes is too large to read whole; save the pages as .jsonl (one page per line)`);
    }
    const text = await readFile(path, 'utf8');
    try {
      return { path, type: 'json', sample: parseJsonKeepingAmounts(text.replace(/^\uFEFF/, '')), jsonLines: false };
    } catch (e) {
      throw new InputError(`${path}: not valid JSON: ${(e as Error).message}`);
    }
  }
  return { path, type: 'csv', csv: await CsvFile.open(path, opts) };
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


