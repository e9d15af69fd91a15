/**
 * Native Excel charts, described by the sheet that holds their figures: which cells are the
 * categories and each series, where the chart sits, how it is drawn. exceljs writes no charts,
 * so workbookBytes adds the DrawingML parts after serialising (package.ts); the caches are read
 * from the cells as written, so a chart can only show what its table shows.
 */
import type ExcelJS from 'exceljs';

/** One column of cells, rows inclusive (1-based, as on the sheet). */
export interface ColumnRange {
  col: number;
  firstRow: number;
  lastRow: number;
}

export interface SeriesSpec {
  /** The header cell naming the series (its legend entry). */
  name: { row: number; col: number };
  values: ColumnRange;
  /** RRGGBB. */
  color: string;
  /** Lines only: drawn dashed (a limit, a prorated budget). */
  dashed?: boolean;
}

export type PlotSpec = { type: 'bar'; direction: 'col' | 'bar'; grouping: 'stacked' | 'clustered'; series: SeriesSpec[] } | { type: 'line'; series: SeriesSpec[] };

export interface ChartSpec {
  title: string;
  /** Alternative text: what the chart draws, one line. */
  description: string;
  categories: ColumnRange;
  /** Bar and line plots share one pair of axes. */
  plots: PlotSpec[];
  valueAxisTitle: string;
  /** Number format of the value axis' labels. */
  valueFormat: string;
  /** Date categories: the format of their labels. */
  categoryFormat?: string;
  /** Horizontal bars: the first category at the top, as the table lists it. */
  categoriesTopDown?: boolean;
  /** Cells the chart covers: from the top-left of `from` to the top-left of `to` (1-based). */
  from: { row: number; col: number };
  to: { row: number; col: number };
}

const CHARTS = new WeakMap<ExcelJS.Worksheet, ChartSpec[]>();

export function attachChart(ws: ExcelJS.Worksheet, chart: ChartSpec): void {
  CHARTS.set(ws, [...(CHARTS.get(ws) ?? []), chart]);
}

export function chartsOf(ws: ExcelJS.Worksheet): readonly ChartSpec[] {
  return CHARTS.get(ws) ?? [];
}
