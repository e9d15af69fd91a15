/**
 * Writing output files safely (SPEC §7): atomically (temp file beside the target, then
 * rename), never onto an input, and with no temp file left behind on any exit path —
 * an error, process.exit, SIGINT/SIGTERM/SIGHUP, or the launcher going away.
 */
import { rmSync, statSync } from 'node:fs';
import { mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from './fs-errors.js';

/** An output that cannot be written, or must not be (it would overwrite an input): exit 2. */
export class OutputError extends Error {}

/** Temp files being written right now; the exit paths remove whatever is still here. */
const liveTempFiles = new Set<string>();
/** Set once the process is going down: no further output may be written or renamed into place. */
let stopping = false;

/** Removes every live temp file, synchronously (it runs inside exit and signal handlers). */
export function removeLiveTempFiles(): void {
  for (const tmp of liveTempFiles) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing more can be done on the way out
    }
  }
  liveTempFiles.clear();
}

/** Stops the process without writing anything more: temp files removed, then exit. */
function stopWithoutWriting(code: number): never {
  stopping = true;
  removeLiveTempFiles();
  process.exit(code);
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

/**
 * Installs the exit paths once: each stop signal removes the temp files and exits with
 * 128 + its number (the shell convention); a plain exit removes them too.
 */
export function installTempFileCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeLiveTempFiles);
  for (const sig of STOP_SIGNALS) process.on(sig, () => stopWithoutWriting(128 + constants.signals[sig]));
}

/** A device, FIFO or socket (followed through links: /dev/stdout is one). */
function isSpecialFile(path: string): boolean {
  try {
    const info = statSync(path);
    return !info.isFile() && !info.isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes next to the target, then renames: an interrupted run never leaves a broken file, nor
 * its temp file. A device or FIFO (`/dev/stdout`) is written into directly: renaming over it
 * would replace the device. Failures become `cannot write PATH: what (CODE)`.
 */
export async function writeFileAtomic(path: string, data: Buffer | string | AsyncIterable<string | Buffer>): Promise<void> {
  if (stopping) throw new OutputError(`not writing ${path}: the run is stopping`);
  try {
    if (isSpecialFile(path)) {
      await writeFile(path, data);
      return;
    }
    await mkdir(dirname(path), { recursive: true });
  } catch (e) {
    // mkdir -p says EEXIST when a part of the directory path is a file
    const why = (e as NodeJS.ErrnoException).code === 'EEXIST' ? `a part of ${dirname(path)} is a file, not a directory (EEXIST)` : describeFsError(e);
    throw new OutputError(`cannot write ${path}: ${why}`);
  }
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  liveTempFiles.add(tmp);
  try {
    // 'wx': never write through a file (or a planted link) that already has the temp name;
    // one left by a killed run whose pid this run reuses is removed (the link, not its target)
    await writeFile(tmp, data, { flag: 'wx' }).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST' || (typeof data !== 'string' && !Buffer.isBuffer(data))) throw e;
      await rm(tmp, { force: true });
      await writeFile(tmp, data, { flag: 'wx' });
    });
    if (stopping) throw new OutputError(`not writing ${path}: the run is stopping`);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    if (e instanceof OutputError) throw e;
    throw new OutputError(`cannot write ${path}: ${describeFsError(e)}`);
  } finally {
    liveTempFiles.delete(tmp);
  }
}

/** What identifies a file whatever the name it is reached by: its real path and (dev, ino). */
interface FileIdentity {
  real: string;
  devIno: string | null;
}

async function identify(path: string): Promise<FileIdentity> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    // not there yet: the real path of its directory, plus its name
    try {
      real = join(await realpath(dirname(path)), basename(path));
    } catch {
      real = path;
    }
  }
  const info = await stat(path).catch(() => null);
  return { real, devIno: info ? `${info.dev}:${info.ino}` : null };
}

export interface NamedPath {
  path: string;
  /** What it is, for the message: `--out`, `--focus`, `the config file`, `the input`, … */
  role: string;
}

/**
 * Refuses, before anything is written, any output that is one of the inputs — by real path
 * (symlinks) or by (dev, ino) (hard links) — or the same file as another output.
 */
export async function refuseOverwritingInputs(outputs: NamedPath[], inputs: NamedPath[], show: (path: string) => string = (p) => p): Promise<void> {
  const known = new Map<string, NamedPath & { isOutput: boolean }>();
  // the first name a file is known by is the one the message gives
  const remember = (id: FileIdentity, p: NamedPath, isOutput: boolean) => {
    for (const key of [`real:${id.real}`, id.devIno ? `ino:${id.devIno}` : null]) if (key && !known.has(key)) known.set(key, { ...p, isOutput });
  };
  for (const input of inputs) remember(await identify(input.path), input, false);
  for (const out of outputs) {
    const id = await identify(out.path);
    const clash = known.get(`real:${id.real}`) ?? (id.devIno ? known.get(`ino:${id.devIno}`) : undefined);
    if (clash) {
      const what = clash.isOutput ? 'is the same file as' : 'would overwrite';
      throw new OutputError(`${out.role} ${show(out.path)} ${what} ${clash.role} ${show(clash.path)}; nothing was written (choose another output path)`);
    }
    remember(id, out, true);
  }
}
