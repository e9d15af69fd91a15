/**
 * Budgets (issue #13): each project's spend against its monthly budget prorated over the
 * period, the burn day by day, and a forecast of the period's end at the current daily run
 * rate (the last 7 days') with the day the budget will be reached. Pure: figures in, figures and exceptions out.
 */
import { configuredProjects } from '../config.js';
import { Decimal } from '../money.js';
import { providerName, providersMeetIn } from '../providers.js';
import type { Exception } from '../model.js';
import { minorUnits } from '../money.js';
import { addDays, type LocalDate, type Period } from '../time.js';
import { budgetForPeriod } from './summaries.js';

export interface BudgetProject {
  /** Whose project: an OpenAI project and an Anthropic workspace of one id have budgets of their own. */
  provider: string;
  projectId: string;
  /** The config entry's key, for the JSON path a message points at (default: the project id). */
  configKey?: string;
  projectName: string | null;
  monthlyBudget: Decimal;
}

export interface BudgetInput {
  period: Period;
  currency: string;
  projects: readonly BudgetProject[];
  /** Billed spend per local date, provider and project (the Daily table). */
  daily: readonly { localDate: LocalDate; provider: string; projectId: string; billed: Decimal }[];
  /** Last local date the data covers; default: the last billed date in the period (an export may stop mid-month). */
  asOf?: LocalDate;
}

export interface BudgetDay {
  date: LocalDate;
  /** Spend from the period start to the end of this date. */
  spent: Decimal;
  /** The budget prorated from the period start to the end of this date. */
  prorated: Decimal;
}

export interface ProjectBudget {
  provider: string;
  projectId: string;
  configKey: string;
  projectName: string | null;
  monthlyBudget: Decimal;
  /** The monthly budget prorated over the whole period. */
  periodBudget: Decimal;
  /** Prorated to the end of `asOf`. */
  proratedToDate: Decimal;
  spent: Decimal;
  /** spent − proratedToDate: positive when ahead of the budget. */
  overProrated: Decimal;
  daysElapsed: number;
  daysInPeriod: number;
  /** Spend of the last RUN_RATE_DAYS days (fewer at the start) a day, to 4 decimals (display only; the forecast is exact). */
  dailyRunRate: Decimal;
  /** spent + the run rate × the days left, to the cent. */
  forecast: Decimal;
  /** The date spend reached (or, at the run rate, will reach) the period budget; null: not within the period. */
  reachesBudgetOn: LocalDate | null;
  /** True when `reachesBudgetOn` already happened (not a forecast). */
  reached: boolean;
  burn: BudgetDay[];
}

export interface BudgetResult {
  asOf: LocalDate | null;
  currency: string;
  projects: ProjectBudget[];
  exceptions: Exception[];
}

function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

function proratedTo(monthly: Decimal, period: Period, date: LocalDate): Decimal {
  return budgetForPeriod(monthly, { ...period, to: date });
}

/** Days of the trailing window the current daily run rate is taken over (fewer at the period's start). */
const RUN_RATE_DAYS = 7;

/** First date after `asOf` on which spend at `recent / window` a day reaches `target`; null when not by `end`. */
function dayReaching(spent: Decimal, target: Decimal, recent: Decimal, window: number, asOf: LocalDate, end: LocalDate): LocalDate | null {
  if (recent.sign() <= 0) return null;
  // n = ceil((target − spent) · window / recent), in exact integers
  const scale = Math.max(spent.scale, target.scale, recent.scale);
  const gap = (target.unitsAt(scale) - spent.unitsAt(scale)) * BigInt(window);
  const r = recent.unitsAt(scale);
  const date = addDays(asOf, Number((gap + r - 1n) / r));
  return date <= end ? date : null;
}

function projectBudget(p: BudgetProject, input: BudgetInput, asOf: LocalDate, byDate: Map<string, Decimal>): ProjectBudget {
  const { period } = input;
  const burn: BudgetDay[] = [];
  let spent = Decimal.ZERO;
  let reachedOn: LocalDate | null = null;
  const periodBudget = budgetForPeriod(p.monthlyBudget, period);
  for (let d = period.from; d <= asOf; d = addDays(d, 1)) {
    spent = spent.plus(byDate.get(d) ?? Decimal.ZERO);
    if (!reachedOn && periodBudget.sign() > 0 && spent.cmp(periodBudget) >= 0) reachedOn = d;
    burn.push({ date: d, spent, prorated: proratedTo(p.monthlyBudget, period, d) });
  }
  const daysElapsed = burn.length;
  const daysInPeriod = daysBetween(period.from, period.to);
  const proratedToDate = burn[burn.length - 1]?.prorated ?? Decimal.ZERO;
  const window = Math.min(RUN_RATE_DAYS, daysElapsed);
  const recent = burn.length > window ? spent.minus(burn[burn.length - 1 - window]!.spent) : spent;
  const remaining = daysInPeriod - daysElapsed;
  return {
    provider: p.provider,
    projectId: p.projectId,
    configKey: p.configKey ?? p.projectId,
    projectName: p.projectName,
    monthlyBudget: p.monthlyBudget,
    periodBudget,
    proratedToDate,
    spent,
    overProrated: spent.minus(proratedToDate),
    daysElapsed,
    daysInPeriod,
    dailyRunRate: recent.mulDiv(1n, BigInt(window), 4),
    forecast: spent.timesInt(window).plus(recent.timesInt(remaining)).mulDiv(1n, BigInt(window), 2),
    reachesBudgetOn: reachedOn ?? dayReaching(spent, periodBudget, recent, window, asOf, period.to),
    reached: reachedOn !== null,
    burn,
  };
}

export function computeBudgets(input: BudgetInput): BudgetResult {
  const { period } = input;
  const inPeriod = input.daily.filter((d) => d.localDate >= period.from && d.localDate <= period.to);
  const lastBilled = inPeriod.reduce<LocalDate | null>((m, d) => (m === null || d.localDate > m ? d.localDate : m), null);
  const wanted = input.asOf ?? lastBilled;
  const asOf = wanted !== null && wanted > period.to ? period.to : wanted;
  if (asOf === null || asOf < period.from) return { asOf: null, currency: input.currency, projects: [], exceptions: [] };
  const several = providersMeetIn(input.projects);
  const projects = input.projects.map((p) => {
    const byDate = new Map<string, Decimal>();
    for (const d of inPeriod) if (d.provider === p.provider && d.projectId === p.projectId) byDate.set(d.localDate, (byDate.get(d.localDate) ?? Decimal.ZERO).plus(d.billed));
    return projectBudget(p, input, asOf, byDate);
  });
  return { asOf, currency: input.currency, projects, exceptions: projects.flatMap((b) => budgetExceptions(b, input.currency, several)) };
}

/** The project as messages name it; with the provider's name where budgets of two providers meet. */
function labelOf(b: ProjectBudget, withProvider: boolean): string {
  const id = withProvider ? `${providerName(b.provider)} ${b.projectId}` : b.projectId;
  return b.projectName ? `${b.projectName} (${id})` : id;
}

function budgetExceptions(b: ProjectBudget, currency: string, withProvider: boolean): Exception[] {
  const money = (d: Decimal) => `${d.toDisplay(minorUnits(currency))} ${currency}`;
  const asOf = b.burn[b.burn.length - 1]?.date ?? '';
  const label = (x: ProjectBudget) => labelOf(x, withProvider);
  const base = { subject: label(b), currency, refs: [] };
  if (b.reached) {
    return [
      {
        ...base,
        severity: 'error',
        class: 'budget_exceeded',
        amount: b.spent.minus(b.periodBudget),
        message: `${label(b)} spent ${money(b.spent)} by ${asOf}, past its budget of ${money(b.periodBudget)} for the period (reached on ${b.reachesBudgetOn}); at the current rate the period ends at ${money(b.forecast)}.`,
        nextStep: `Ask the project's owner whether the spend is expected; raise the budget (projects.${b.configKey}.monthlyBudget) or cut the usage (a usage limit on the project in the provider's dashboard).`,
      },
    ];
  }
  if (b.overProrated.sign() > 0) {
    return [
      {
        ...base,
        severity: 'warning',
        class: 'budget_ahead_of_prorated',
        amount: b.overProrated,
        message: `${label(b)} spent ${money(b.spent)} by ${asOf}, ${money(b.overProrated)} more than its budget prorated to that day (${money(b.proratedToDate)}); at the current rate of ${money(b.dailyRunRate)} a day it ${b.reachesBudgetOn ? `reaches its budget of ${money(b.periodBudget)} on ${b.reachesBudgetOn}` : 'stays within the period budget'} and ends the period at ${money(b.forecast)}.`,
        nextStep: "Check with the project's owner which keys and models drive the spend (By key, By model) before the budget is reached.",
      },
    ];
  }
  if (b.forecast.cmp(b.periodBudget) > 0) {
    return [
      {
        ...base,
        severity: 'info',
        class: 'budget_forecast_exceeded',
        amount: b.forecast.minus(b.periodBudget),
        message: `${label(b)} is within its prorated budget, but at the current rate it ends the period at ${money(b.forecast)}, past its budget of ${money(b.periodBudget)}${b.reachesBudgetOn ? ` (on ${b.reachesBudgetOn})` : ''}.`,
        nextStep: 'Nothing to do yet; watch the trend.',
      },
    ];
  }
  return [];
}

/** The projects with a monthly budget in the config, named as the By project table names them. */
export function budgetedProjects(
  config: { projects: Parameters<typeof configuredProjects>[0] },
  named: readonly { provider: string; projectId: string; projectName: string | null }[],
): BudgetProject[] {
  const names = new Map(named.map((p) => [`${p.provider}\u0000${p.projectId}`, p.projectName]));
  return configuredProjects(config.projects)
    .filter((p) => p.monthlyBudget)
    .map((p) => ({
      provider: p.provider,
      projectId: p.projectId,
      configKey: p.key,
      projectName: p.name ?? names.get(`${p.provider}\u0000${p.projectId}`) ?? null,
      monthlyBudget: p.monthlyBudget!,
    }));
}
