/**
 * The reconciliation workbook (SPEC §5.1): sheets in the documented order, those a command
 * did not compute left out.
 */
import type { ReportResult } from '../pipeline.js';
import { BY_KEY, writeByKey } from './sheets/by-key.js';
import { BY_MODEL, writeByModel } from './sheets/by-model.js';
import { BY_PROJECT, writeByProject } from './sheets/by-project.js';
import { BY_USER, writeByUser } from './sheets/by-user.js';
import { DAILY, writeDaily } from './sheets/daily.js';
import { EXCEPTIONS, writeExceptions } from './sheets/exceptions.js';
import { INPUTS, writeInputs } from './sheets/inputs.js';
import { SUMMARY, writeSummary } from './sheets/summary.js';
import { USAGE_VS_COST, writeUsageVsCost } from './sheets/usage-vs-cost.js';
import { addSheet, newWorkbook, saveWorkbook, workbookBytes } from './workbook.js';

export function buildReportWorkbook(result: ReportResult) {
  const wb = newWorkbook();
  const cur = result.currency;
  // sheets are created in order first, filled after, so Summary can refer to the others
  const summary = addSheet(wb, SUMMARY, false);
  const exceptions = addSheet(wb, EXCEPTIONS);
  const byProject = addSheet(wb, BY_PROJECT);
  const byModel = addSheet(wb, BY_MODEL);
  const byKey = addSheet(wb, BY_KEY);
  const byUser = addSheet(wb, BY_USER);
  const daily = addSheet(wb, DAILY);
  const usageVsCost = addSheet(wb, USAGE_VS_COST);
  const inputs = addSheet(wb, INPUTS);
  const refs = {
    [EXCEPTIONS]: writeExceptions(exceptions, result.exceptions, cur),
    [BY_PROJECT]: writeByProject(byProject, result.summaries.byProject, cur),
    [BY_MODEL]: writeByModel(byModel, result.summaries.byModel, cur),
    [BY_KEY]: writeByKey(byKey, result.summaries.byKey, cur),
    [BY_USER]: writeByUser(byUser, result.summaries.byUser, cur),
    [DAILY]: writeDaily(daily, result.summaries.daily, cur, result.period.timezone),
    [USAGE_VS_COST]: writeUsageVsCost(usageVsCost, result.crossCheck, cur),
    [INPUTS]: writeInputs(inputs, result.inputs, cur),
  };
  writeSummary(summary, result, refs, { byProject: BY_PROJECT, byModel: BY_MODEL, byKey: BY_KEY, byUser: BY_USER, daily: DAILY, inputs: INPUTS, exceptions: EXCEPTIONS });
  return wb;
}

export async function writeReportWorkbook(result: ReportResult, path: string): Promise<void> {
  await saveWorkbook(buildReportWorkbook(result), path);
}

export async function reportWorkbookBytes(result: ReportResult): Promise<Buffer> {
  return workbookBytes(buildReportWorkbook(result));
}
