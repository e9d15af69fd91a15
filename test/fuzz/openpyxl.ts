/**
 * The second, independent reader: every workbook must open in openpyxl (Debian's
 * python3-openpyxl). One Python process checks them all, as start-up dominates.
 */
import { spawnSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';
const SCRIPT = `
import json, sys
try:
    import openpyxl
except Exception as e:
    print(json.dumps({"unavailable": repr(e)}))
    sys.exit(0)
for path in sys.argv[1:]:
    try:
        openpyxl.load_workbook(path)
        print(json.dumps({"path": path, "error": None}))
    except Exception as e:
        print(json.dumps({"path": path, "error": type(e).__name__ + ": " + str(e)[:300]}))
`;

export interface SecondReader {
  /** Why the check could not run (openpyxl missing), or null. */
  unavailable: string | null;
  /** path → error, for the workbooks openpyxl could not open. */
  errors: Map<string, string>;
}

export function openInOpenpyxl(paths: string[]): SecondReader {
  if (!paths.length) return { unavailable: null, errors: new Map() };
  const r = spawnSync(PYTHON, ['-c', SCRIPT, ...paths], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) return { unavailable: `${PYTHON} failed: ${r.error?.message ?? r.stderr.slice(-300)}`, errors: new Map() };
  const errors = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line) as { unavailable?: string; path?: string; error?: string | null };
    if (o.unavailable) return { unavailable: `openpyxl cannot be imported (${o.unavailable})`, errors };
    if (o.error) errors.set(o.path!, o.error);
  }
  return { unavailable: null, errors };
}
