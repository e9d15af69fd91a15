/**
 * How the CLI writes to stdout and stderr: every text goes through one sink that redacts
 * secrets and makes control characters visible (src/redact.ts), and a reader that closes the
 * pipe early (`spendrecon … --json | head -c 50`) ends the output quietly instead of with a
 * stack trace.
 */
import { terminalText } from './redact.js';

/** Anything text can be written to (a stream, or a test's collector). */
export interface TextSink {
  write(text: string): unknown;
}

/** Text from an input shown inside one line: tab and newline made visible too (␉, ␊). */
export function inlineText(text: string): string {
  return terminalText(text).replace(/\t/g, '\u2409').replace(/\n/g, '\u240A');
}

const closed = new WeakSet<NodeJS.WritableStream>();

/** True when the error only says the reader went away: nothing to report, nothing more to write. */
function isClosedPipe(e: NodeJS.ErrnoException): boolean {
  return e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED' || e.code === 'ERR_STREAM_WRITE_AFTER_END';
}

/**
 * Marks a stream closed when its reader goes away, so later writes are dropped. The exit code
 * stays what the run decided: the files were written before anything was printed, and a script
 * (`set -o pipefail`) must not fail because `head` stopped reading.
 */
export function guardClosedPipe(stream: NodeJS.WritableStream): void {
  if ((stream as { __spendreconGuard?: boolean }).__spendreconGuard) return;
  (stream as { __spendreconGuard?: boolean }).__spendreconGuard = true;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (isClosedPipe(e)) {
      closed.add(stream);
      return;
    }
    // any other write error: say so once on the other stream if it is still open, never a trace
    if (stream !== process.stderr && !closed.has(process.stderr)) process.stderr.write(`spendrecon: cannot write output: ${e.message}\n`);
    closed.add(stream);
    process.exitCode = 2;
  });
}

/** A sink over a stream: text made safe for a terminal; nothing written once the reader has gone. */
export function terminalSink(stream: NodeJS.WritableStream): TextSink {
  guardClosedPipe(stream);
  return {
    write(text: string) {
      if (closed.has(stream)) return false;
      try {
        return stream.write(terminalText(text));
      } catch (e) {
        // a synchronous EPIPE on some platforms: the same quiet end
        if (isClosedPipe(e as NodeJS.ErrnoException)) closed.add(stream);
        else throw e;
        return false;
      }
    },
  };
}

/** The process's two sinks. */
export const stdoutSink = (): TextSink => terminalSink(process.stdout);
export const stderrSink = (): TextSink => terminalSink(process.stderr);
