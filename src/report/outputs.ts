/** The files a run writes, from its results: the workbooks, CSV, FOCUS and the HTML page. */
import type { Config } from '../config.js';
import type { ReportResult } from '../results.js';
import { writeReportCsv } from './csv-out.js';
import { writeFocusCsv } from './focus.js';
import { renderHtmlReport, writeHtmlText } from './html/index.js';
import { writeReportWorkbook } from './index.js';
import { writeReimbursementWorkbook } from './reimbursement/index.js';
import { warmCharts } from './html/chart-thread.js';
import { loadExcelJs } from './workbook.js';

export interface RunOutputs {
  out: string;
  reimb: string | null;
  csvDir: string | null;
  focus: string | null;
  html: string | null;
}

/**
 * What writing the outputs needs, loaded ahead where the read leaves room: exceljs while this
 * thread waits, vega on the chart thread (when a page is written) once a core is free.
 */
export function loadOutputWriters(free: 'thread' | 'core', page: boolean): void {
  if (free === 'thread') loadExcelJs();
  else if (page) warmCharts();
}

/** The HTML page is begun first: its charts are drawn on a thread of their own while the workbooks are written. */
export async function writeRunOutputs(result: ReportResult, config: Config, to: RunOutputs): Promise<void> {
  const page = to.html ? renderHtmlReport(result) : null;
  page?.catch(() => {});
  await writeReportWorkbook(result, to.out);
  if (to.reimb) await writeReimbursementWorkbook(result, config, to.reimb);
  if (to.csvDir) await writeReportCsv(result, to.csvDir);
  if (to.focus) await writeFocusCsv(result, to.focus);
  if (to.html && page) await writeHtmlText(await page, to.html);
}
