/**
 * One endpoint's pages on disk: appended to a hidden `.NAME.partial` (a folder scan skips
 * dot-files, so `report` never reads half a month) and renamed to NAME only after the last
 * page. A sidecar holds the query, so `--resume` continues only the same query.
 */
import { createHash } from 'node:crypto';
import { open, readFile, rename, rm, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError } from '../fs-errors.js';
import { FetchError } from './http.js';
import { countPage, nextPageOf, type JsonObject } from './json-text.js';
import type { QueryParams } from './providers.js';

export interface PagesSoFar {
  pages: number;
  buckets: number;
  results: number;
  /** The cursor after the last good page; null before the first. */
  cursor: string | null;
}

const partialName = (file: string) => `.${file}.partial`;
const sidecarName = (file: string) => `.${file}.partial-query.json`;

/** What an earlier run left for this query: the complete lines, the cursor after them. */
async function readPartial(path: string): Promise<PagesSoFar | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  // a line without its newline was being written when the run stopped: cut it off
  const keep = text.slice(0, text.lastIndexOf('\n') + 1);
  if (keep.length !== text.length) await truncate(path, Buffer.byteLength(keep));
  const so: PagesSoFar = { pages: 0, buckets: 0, results: 0, cursor: null };
  for (const line of keep.split('\n').filter((l) => l !== '')) {
    let page: JsonObject;
    try {
      page = JSON.parse(line) as JsonObject;
    } catch {
      return null; // not what this program wrote: start over rather than continue from it
    }
    const c = countPage(page);
    const next = nextPageOf(page);
    so.pages++;
    so.buckets += c.buckets;
    so.results += c.results;
    so.cursor = 'cursor' in next ? next.cursor : null;
  }
  return so;
}

export class PageFile {
  private constructor(
    readonly dir: string,
    readonly file: string,
    private handle: FileHandle,
    readonly resumedFrom: PagesSoFar | null,
    /** The query these pages answer. */
    readonly params: QueryParams,
  ) {}

  /**
   * Opens the partial file: continued when resuming one of `queries` (the first, or the
   * fallback an earlier run settled on), else started afresh with the first.
   */
  static async open(dir: string, file: string, queries: QueryParams[], resume: boolean): Promise<PageFile> {
    const partial = join(dir, partialName(file));
    const sidecar = join(dir, sidecarName(file));
    try {
      const before = resume ? await readFile(sidecar, 'utf8').catch(() => null) : null;
      const same = queries.find((q) => JSON.stringify(q) === before);
      const so = same ? await readPartial(partial) : null;
      if (so && so.pages > 0) return new PageFile(dir, file, await open(partial, 'a'), so, same!);
      await writeFile(sidecar, JSON.stringify(queries[0]));
      await writeFile(partial, '');
      return new PageFile(dir, file, await open(partial, 'a'), null, queries[0]!);
    } catch (e) {
      throw new FetchError(`cannot write ${partial}: ${describeFsError(e)}`);
    }
  }

  /** One page, on one line, flushed to disk before the next is asked for. */
  async append(compactLine: string): Promise<void> {
    try {
      await this.handle.write(`${compactLine}\n`);
      await this.handle.sync();
    } catch (e) {
      throw new FetchError(`cannot write ${join(this.dir, partialName(this.file))}: ${describeFsError(e)}`);
    }
  }

  /** Every page is in: the file gets its real name; its SHA-256 and size for the manifest. */
  async commit(): Promise<{ sha256: string; bytes: number }> {
    const partial = join(this.dir, partialName(this.file));
    try {
      await this.handle.close();
      const data = await readFile(partial);
      await rename(partial, join(this.dir, this.file));
      await rm(join(this.dir, sidecarName(this.file)), { force: true });
      return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
    } catch (e) {
      throw new FetchError(`cannot write ${join(this.dir, this.file)}: ${describeFsError(e)}`);
    }
  }

  /** Nothing worth keeping (an optional category with no usage): no file, no partial. */
  async discard(): Promise<void> {
    await this.handle.close().catch(() => {});
    await rm(join(this.dir, partialName(this.file)), { force: true });
    await rm(join(this.dir, sidecarName(this.file)), { force: true });
  }

  /** A failed run keeps the partial file for --resume; only the handle is let go. */
  async leave(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}
