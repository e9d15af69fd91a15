/** spendrecon as a library: the pipeline, the engine's pure functions and the money/time types. */
export { Decimal, allocateByWeight, roundPartsToWhole, sum } from './money.js';
export { makePeriod, monthPeriod, placeOnLocalDate, localDateOf, type Period } from './time.js';
export { parseConfig, loadConfig, configSchema, type Config } from './config.js';
export { runReport, type ReportResult, type ReportRequest } from './pipeline.js';
export { attributeSpend } from './engine/attribution.js';
export { PriceTable } from './engine/prices.js';
export { summarise } from './engine/summaries.js';
export { buildReportWorkbook, writeReportWorkbook } from './report/index.js';
export { reportToJson } from './report/json.js';
export type * from './model.js';
