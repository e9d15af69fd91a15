/**
 * The HTML report's charts: Vega-Lite specs rendered to inline SVG by vega's headless
 * renderer, so the page needs no script, font or network. Amounts become JS numbers here
 * only, for drawing (presentation); the tables beside them carry the exact figures.
 */
import type { TopLevelSpec } from 'vega-lite';
import { type Decimal, minorUnits } from '../../money.js';
import { PALETTE } from './svg-render.js';

export interface Chart {
  id: string;
  title: string;
  /** What the chart draws, one line (also its aria-label). */
  description: string;
  /** Data items drawn as marks of `markClass` (the browser test counts them). */
  points: number;
  markClass: string;
  svg: string;
}

const money = (title: string) => ({ type: 'quantitative' as const, title, axis: { format: ',.2f' } });
/** Dates are plain calendar days: drawn on a UTC scale so the machine's zone never shifts them. */
/** Every series a solid line but the last, dashed (the prorated budget, the month's auto-recharges). */
const solidThenDashed = (domain: string[]) => ({
  field: 'series',
  type: 'nominal' as const,
  title: null,
  legend: { orient: 'bottom' as const },
  scale: { domain, range: domain.map((_, i) => (i === domain.length - 1 ? [4, 3] : [1, 0])) },
});

const day = { type: 'temporal' as const, title: null, scale: { type: 'utc' as const }, axis: { format: '%d %b', labelAngle: 0 } };

export interface DailyPoint {
  date: string;
  project: string;
  amount: number;
}

/** `dates`: every local date of the period, so a day without spend still has its place. */
export function dailySpec(points: DailyPoint[], dates: string[], currency: string): TopLevelSpec {
  return {
    width: 520,
    height: 220,
    data: { values: points },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'date', type: 'ordinal', title: null, scale: { domain: dates }, axis: { labelExpr: 'slice(datum.value, 8)', labelAngle: 0 } },
      y: { field: 'amount', aggregate: 'sum', ...money(currency) },
      color: { field: 'project', type: 'nominal', title: 'project', legend: { orient: 'bottom', columns: 2 } },
    },
  } as TopLevelSpec;
}

export function modelSpec(points: { model: string; amount: number }[], currency: string): TopLevelSpec {
  return {
    width: 360,
    height: Math.max(60, points.length * 22),
    data: { values: points },
    mark: { type: 'bar', color: '#4269d0' },
    encoding: {
      y: { field: 'model', type: 'nominal', sort: '-x', title: null, axis: { labelLimit: 200 } },
      x: { field: 'amount', ...money(currency) },
    },
  } as TopLevelSpec;
}

export interface BalancePoint {
  date: string;
  series: string;
  amount: number;
}
export interface BalanceEvent {
  date: string;
  kind: string;
  amount: number;
}

/** The recharges line's series name and colour (the balance lines take the palette's others). */
export const RECHARGES_SERIES = 'auto-recharges this month';
const RECHARGES_COLOUR = '#9c6b4e';

/** A colour for each of `n` balance lines, from the palette without the recharges' colour, cycling. */
function balanceColours(n: number): string[] {
  const free = PALETTE.filter((c) => c !== RECHARGES_COLOUR);
  return Array.from({ length: n }, (_, i) => free[i % free.length]!);
}

/**
 * The balance lines (`balanceNames`: one, or one per account), the month's auto-recharges so far
 * against their limit, and the events as points.
 */
export function balanceSpec(lines: BalancePoint[], balanceNames: string[], events: BalanceEvent[], limitExact: Decimal | null, currency: string): TopLevelSpec {
  // the number only places the mark; the label is the exact amount at the currency's minor unit
  const limit = limitExact === null ? null : limitExact.toNumber();
  const domain = [...balanceNames, RECHARGES_SERIES];
  const layers: unknown[] = [
    {
      data: { values: lines },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'date', ...day },
        y: { field: 'amount', ...money(currency) },
        strokeDash: solidThenDashed(domain),
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          legend: { orient: 'bottom' },
          scale: { domain, range: [...balanceColours(balanceNames.length), RECHARGES_COLOUR] },
        },
      },
    },
    {
      data: { values: events },
      mark: { type: 'point', filled: true, size: 70 },
      encoding: {
        x: { field: 'date', ...day },
        y: { field: 'amount', type: 'quantitative' },
        shape: { field: 'kind', type: 'nominal', title: null, legend: { orient: 'bottom' } },
        fill: {
          field: 'kind',
          type: 'nominal',
          title: null,
          legend: { orient: 'bottom' },
          scale: { domain: ['top-up', 'grant', 'expired', 'auto-recharge limit reached', 'balance below zero'], range: ['#3ca951', '#6cc5b0', '#efb118', '#ff725c', '#d62728'] },
        },
      },
    },
    { data: { values: [{ y: 0 }] }, mark: { type: 'rule', color: '#999' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
  ];
  if (limit !== null) {
    layers.push({
      data: { values: [{ y: limit }] },
      mark: { type: 'rule', color: '#ff725c', strokeDash: [2, 2] },
      encoding: { y: { field: 'y', type: 'quantitative' } },
    });
    layers.push({
      data: { values: [{ y: limit, label: `auto-recharge limit ${limitExact!.toDisplay(minorUnits(currency))} a month` }] },
      mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#c0392b', fontSize: 10 },
      encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
    });
  }
  return { width: 520, height: 220, layer: layers, config: { legend: { orient: 'bottom', direction: 'horizontal', columns: 3, labelLimit: 240 } } } as TopLevelSpec;
}

export interface BurnPoint {
  project: string;
  date: string;
  series: string;
  amount: number;
}

/** One small panel per budgeted project: spend to date against the prorated budget line. */
export function burnSpec(points: BurnPoint[], currency: string): TopLevelSpec {
  return {
    data: { values: points },
    facet: { field: 'project', type: 'nominal', title: null, header: { labelFontSize: 12, labelFontWeight: 'bold', labelLimit: 240 } },
    columns: 2,
    spec: {
      width: 250,
      height: 120,
      mark: { type: 'line' },
      encoding: {
        x: { field: 'date', ...day, axis: { ...day.axis, tickCount: 4 } },
        y: { field: 'amount', ...money(currency) },
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['spent', 'prorated budget'], range: ['#ff725c', '#9498a0'] }, legend: { orient: 'bottom' } },
        strokeDash: solidThenDashed(['spent', 'prorated budget']),
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}
