/** File-system errors in words, for messages that name the file and what went wrong (SPEC §7). */

const WORDS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent of the path is not a directory',
  ENOENT: 'no such file or directory',
  EEXIST: 'already exists',
  ELOOP: 'a loop of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EXDEV: 'the temporary file and the target are on different file systems',
  EBUSY: 'resource busy',
};

/** `no space left on device (ENOSPC)`: the error in words, with its code. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code) return `${WORDS[code] ?? 'system error'} (${code})`;
  return e instanceof Error ? e.message : String(e);
}
