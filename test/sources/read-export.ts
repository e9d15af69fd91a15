/** Reads a provider export whole, as `report` would find it: recognised among the export readers, all batches gathered. */
import type { InputIssue } from '../../src/model.js';
import type { ReadBatch } from '../../src/sources/contract.js';
import { exportReaders, openInput, recognise } from '../../src/sources/index.js';

export async function readExport<R>(path: string, displayPath = path) {
  const input = await openInput(path);
  const rec = recognise(input, exportReaders);
  if (!rec.reader || !rec.detection) throw new Error(`not recognised: ${path}`);
  const records: R[] = [];
  const issues: InputIssue[] = [];
  let skipped = 0;
  let rows = 0;
  for await (const b of rec.reader.read(input, rec.detection, { timezone: 'UTC', displayPath }) as AsyncIterable<ReadBatch<R>>) {
    records.push(...b.records);
    issues.push(...b.issues);
    skipped += b.skipped;
    rows += b.rows;
  }
  return { records, issues, skipped, rows, format: rec.reader.format, detection: rec.detection, input };
}
