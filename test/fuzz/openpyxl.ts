/**
 * The second, independent reader: every workbook must open in openpyxl (Debian's
 * python3-openpyxl), and no cell may exceed what Excel accepts. One Python process checks
 * them all, as its start-up dominates.
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
LIMIT = 32767  # Excel's limit on the characters of a cell; longer text makes Excel repair the file
def too_long(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and len(c.value) > LIMIT:
                    return "%s!%s holds %d characters, over Excel's %d" % (ws.title, c.coordinate, len(c.value), LIMIT)
    return None
for path in sys.argv[1:]:
    try:
        wb = openpyxl.load_workbook(path)
    except Exception as e:
        print(json.dumps({"path": path, "error": type(e).__name__ + ": " + str(e)[:300]}))
        continue
    print(json.dumps({"path": path, "error": None, "tooLong": too_long(wb)}))
`;

export interface SecondReader {
  /** Why the check could not run (openpyxl missing), or null. */
  unavailable: string | null;
  /** path → error, for the workbooks openpyxl could not open. */
  errors: Map<string, string>;
  /** path → the first cell longer than Excel accepts. */
  tooLong: Map<string, string>;
}

export function openInOpenpyxl(paths: string[]): SecondReader {
  if (!paths.length) return { unavailable: null, errors: new Map(), tooLong: new Map() };
  const r = spawnSync(PYTHON, ['-c', SCRIPT, ...paths], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const errors = new Map<string, string>();
  const tooLong = new Map<string, string>();
  if (r.error || r.status !== 0) return { unavailable: `${PYTHON} failed: ${r.error?.message ?? r.stderr.slice(-300)}`, errors, tooLong };
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line) as { unavailable?: string; path?: string; error?: string | null; tooLong?: string | null };
    if (o.unavailable) return { unavailable: `openpyxl cannot be imported (${o.unavailable})`, errors, tooLong };
    if (o.error) errors.set(o.path!, o.error);
    if (o.tooLong) tooLong.set(o.path!, o.tooLong);
  }
  return { unavailable: null, errors, tooLong };
}
