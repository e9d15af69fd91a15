/**
 * Claude Console cost export (`claude_api_cost_<from>_to_<to>.csv`): one row per UTC day,
 * model (a display name, "Claude Haiku 4.5"), workspace, key, usage type, context window and
 * token type, with `cost_usd` (billed, in dollars) and `list_price_usd`. Newer copies add
 * api_key_id and api_key_status. Sources: fixtures/anthropic/README.md.
 */
import type { CostRecord, Detection, InputIssue } from '../model.js';
import { Decimal, MAX_AMOUNT_DIGITS } from '../money.js';
import { detectByHeader, headerIndex, issue, type OpenedInput, type ReadBatch, type SourceReader } from './contract.js';
import { repeatsHeader, shownText, type CsvRow } from './csv.js';
import { addOutcome, columnAt, exportBatches, faultColumn, headerRepeatIssue, widthMessage } from './export-rows.js';
import { ANTHROPIC, cell, consoleBucket, isBatch, isLongContext, modelIdOfDisplayName, tokenKindOf, workspaceProject } from './anthropic-fields.js';

const REQUIRED = ['usage_date_utc', 'model', 'token_type', 'cost_usd'];
const KNOWN = ['workspace', 'api_key', 'usage_type', 'context_window', 'list_price_usd', 'cost_type', 'inference_geo', 'speed', 'api_key_id', 'api_key_status'];
/** The row's dimensions, joined into its line item: two rows of a day differ in one of them. */
const DIMENSIONS = ['token_type', 'context_window', 'usage_type', 'cost_type', 'inference_geo', 'speed'];

export const anthropicCostCsvReader: SourceReader<CostRecord> = {
  format: 'anthropic-costs-csv',
  channel: 'export',
  label: 'Claude Console cost export (CSV)',
  kind: 'costs',

  detect(input: OpenedInput): Detection | null {
    if (input.type !== 'csv') return null;
    const header = input.csv.head[0]?.fields ?? [];
    const d = detectByHeader(header, { format: this.format, label: this.label, required: REQUIRED, known: KNOWN, distinctive: ['usage_date_utc', 'token_type', 'cost_usd'] });
    if (!d) return null;
    const idx = headerIndex(header);
    if (!idx.has('usage_date_utc') || !idx.has('cost_usd')) return null;
    d.reasons.push(idx.has('api_key_id') ? 'newer header (api_key_id, api_key_status)' : 'header without api_key_id');
    return d;
  },

  async *read(input, _detection, ctx): AsyncIterable<ReadBatch<CostRecord>> {
    if (input.type !== 'csv') return;
    const file = ctx.displayPath;
    const header = input.csv.head[0]?.fields ?? [];
    const c = columnsOf(header);
    const unmapped = new Set<string>();
    yield* exportBatches<CostRecord>(input.csv, { width: c.width }, (row, batch) => {
      const out = readRow(row, c, header, file);
      if ('severity' in out) return addOutcome(batch, out);
      batch.records.push(out.record);
      if (out.unmappedModel !== null && !unmapped.has(out.unmappedModel)) {
        unmapped.add(out.unmappedModel);
        batch.issues.push(unmappedModelNotice(file, row.line, out.unmappedModel));
      }
    });
  },
};

/** Said once per display name and file; the rows are kept (not rejected). */
function unmappedModelNotice(file: string, line: number, name: string): InputIssue {
  return {
    ...issue(
      'info',
      file,
      line,
      'model',
      `model display name ${shownText(name)} is not in the table of Claude model ids (src/data/anthropic-models.json): kept as written, so it meets no usage row`,
      false,
    ),
    nextStep: 'Add the name and its model id (as the usage export writes it) to the table, or a price entry for the name in the config.',
  };
}

type Columns = ReturnType<typeof columnsOf>;

function columnsOf(header: readonly string[]) {
  const at = columnAt(header);
  return {
    width: header.length,
    date: at('usage_date_utc'),
    model: at('model'),
    workspace: at('workspace'),
    key: at('api_key'),
    keyId: at('api_key_id'),
    usageType: at('usage_type'),
    contextWindow: at('context_window'),
    tokenType: at('token_type'),
    cost: at('cost_usd'),
    dims: DIMENSIONS.map(at),
  };
}

function readRow(row: CsvRow, c: Columns, header: readonly string[], file: string): { record: CostRecord; unmappedModel: string | null } | InputIssue {
  const f = row.fields;
  const costText = (f[c.cost] ?? '').trim();
  const amount = costText === '' ? null : Decimal.parseAmount(costText);
  const reject = (column: string | null, message: string) => issue('error', file, row.line, column, message, true, amount, amount === null ? null : 'USD');
  if (row.fault) return reject(faultColumn(row.fault, header), row.fault.message);
  if (f.length !== c.width) return reject(null, widthMessage(c.width, f.length));
  const dateText = f[c.date] ?? '';
  const bucket = consoleBucket(dateText);
  if (bucket === null) {
    if (repeatsHeader(f, header)) return headerRepeatIssue(file, row.line);
    return reject('usage_date_utc', `expected a UTC date such as 2026-10-01, found ${shownText(dateText)}`);
  }
  if (amount === null) return reject('cost_usd', `expected an amount in dollars such as 0.19 (below 10^${MAX_AMOUNT_DIGITS} in magnitude), found ${shownText(costText)}`);
  const contextWindow = cell(f, c.contextWindow);
  const longContext = isLongContext(contextWindow);
  if (longContext === null) return reject('context_window', `expected a context window such as "≤ 200k" or "> 200k", found ${shownText(contextWindow ?? '')}`);
  const displayName = cell(f, c.model);
  const modelId = displayName === null ? null : modelIdOfDisplayName(displayName);
  const model = modelId ?? displayName;
  const usageType = cell(f, c.usageType);
  const { projectId, projectName } = workspaceProject(cell(f, c.workspace));
  const dimCells = c.dims.map((i) => cell(f, i));
  // a row without a model (web search, code execution) is named by its cost type, as a reader would say it
  const costType = dimCells[DIMENSIONS.indexOf('cost_type')] ?? null;
  const lead = displayName ?? (costType ? costType.replace(/_/g, ' ') : '(no model)');
  const dims = dimCells.filter((d, i): d is string => d !== null && (displayName !== null || DIMENSIONS[i] !== 'cost_type'));
  return {
    record: {
      src: { file, line: row.line },
      provider: ANTHROPIC,
      start: bucket.start,
      end: bucket.end,
      amount,
      currency: 'USD',
      quantity: null,
      quantityUnit: null,
      lineItemRaw: [lead, ...dims].join(', '),
      lineItem: { surface: isBatch(usageType) ? 'batch' : null, model, modality: null, tokenKind: tokenKindOf(cell(f, c.tokenType)), longContext },
      projectId,
      projectName: projectName ?? cell(f, c.workspace),
      organizationId: null,
      organizationName: null,
      // the key's name, as the usage export writes it, so cost and usage meet on it
      apiKeyId: cell(f, c.key),
      userId: null,
      userEmail: null,
    },
    unmappedModel: displayName !== null && modelId === null ? displayName : null,
  };
}
