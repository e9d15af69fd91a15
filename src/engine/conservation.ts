/**
 * Conservation, checked on every run (issue 8): every row read has exactly one fate, every
 * cent read is in exactly one place, and every attributed table adds up to the billed money
 * used. The sides are tallied where the decisions are made (the read side at the reader
 * boundary, each fate where it is decided) and summed here again from the rows themselves,
 * not taken from the totals the report prints, so a path that drops or doubles money shows.
 */
import { providerName } from '../providers.js';
import { Decimal } from '../money.js';
import { ROW_FATES, type Exception, type InputFileReport, type RowFate } from '../model.js';

export interface EquationTerm {
  label: string;
  value: Decimal;
}

export interface Equation {
  name: string;
  /** The input file the equation is about, or null for a run-wide one. */
  file: string | null;
  /** Null for row counts. */
  currency: string | null;
  left: EquationTerm;
  /** The right side is the sum of these. */
  right: EquationTerm[];
  holds: boolean;
}

export interface Conservation {
  holds: boolean;
  equations: Equation[];
}

const FATE_LABEL: Record<RowFate, string> = {
  used: 'used',
  outOfPeriod: 'outside the period',
  duplicates: 'repeats counted once',
  outOfScope: 'other organisations',
  rejected: 'rejected',
  setAside: 'set aside (a coarser bucket covers it)',
};

export interface ConservationInput {
  inputs: InputFileReport[];
  /** The run's (billed) currency. */
  currency: string;
  /** Present when spend was attributed. */
  attribution: {
    /** Every attributed row kept in the period (with its provider, where the run has one). */
    rows: readonly { amount: Decimal; provider?: string }[];
    /** --split-days: parts of used buckets that landed on local days outside the period. */
    splitCut: Decimal;
    /** Each table shown, with its rows' billed money (and, parallel to it, each row's provider). */
    tables: { name: string; values: readonly Decimal[]; providers?: readonly string[] }[];
  } | null;
  /** Present when payments and statements were matched. */
  reconciliation: {
    /** Card-side classifications (provider lines, every copy). */
    cardClassified: readonly { amount: Decimal; currency: string }[];
    /** Card lines that are not the provider's. */
    leftOut: readonly { total: Decimal; currency: string }[];
  } | null;
}

const sum = (values: readonly Decimal[]) => values.reduce((s, v) => s.plus(v), Decimal.ZERO);

type AddEquation = (name: string, file: string | null, currency: string | null, left: EquationTerm, right: EquationTerm[]) => void;

/** Where providers meet, each table's rows of one provider add up to that provider's attributed money too. */
function perProviderTables(at: NonNullable<ConservationInput['attribution']>, currency: string, add: AddEquation): void {
  const providers = [...new Set(at.rows.map((r) => r.provider ?? ''))].sort();
  if (providers.length < 2) return;
  for (const p of providers) {
    const attributed = sum(at.rows.filter((r) => (r.provider ?? '') === p).map((r) => r.amount));
    for (const t of at.tables) {
      if (!t.providers) continue;
      const mine = t.values.filter((_, i) => t.providers![i] === p);
      add(`${t.name} (${providerName(p)}) adds up to its attributed total`, null, currency, { label: t.name, value: sum(mine) }, [{ label: 'attributed', value: attributed }]);
    }
  }
}
const count = (n: number) => Decimal.fromInt(n);

export function checkConservation(input: ConservationInput): Conservation {
  const equations: Equation[] = [];
  const add = (name: string, file: string | null, currency: string | null, left: EquationTerm, right: EquationTerm[]) =>
    equations.push({ name, file, currency, left, right, holds: left.value.eq(sum(right.map((t) => t.value))) });

  for (const f of input.inputs) {
    if (f.kind === null) continue;
    add('rows read = rows accounted for', f.file, null, { label: 'rows read', value: count(f.rowsRead) }, [
      { label: 'used', value: count(f.rowsUsed) },
      { label: 'empty buckets and other lines', value: count(f.emptyBuckets) },
      { label: FATE_LABEL.duplicates, value: count(f.duplicates) },
      { label: FATE_LABEL.outOfPeriod, value: count(f.outOfPeriod) },
      { label: FATE_LABEL.outOfScope, value: count(f.outOfScope) },
      { label: FATE_LABEL.rejected, value: count(f.rowsRejected) },
      { label: FATE_LABEL.setAside, value: count(f.setAside) },
    ]);
    for (const a of f.money) {
      for (const part of ['net', 'gross'] as const) {
        add(
          part === 'net' ? 'money read = money accounted for' : 'magnitudes read = magnitudes accounted for',
          f.file,
          a.currency,
          { label: 'read', value: a.read[part] },
          ROW_FATES.map((fate) => ({ label: FATE_LABEL[fate], value: a.fates[fate][part] })),
        );
      }
    }
  }

  const at = input.attribution;
  if (at) {
    const used = sum(input.inputs.filter((f) => f.kind === 'costs').flatMap((f) => f.money.filter((a) => a.currency === input.currency).map((a) => a.fates.used.net)));
    const attributed = sum(at.rows.map((r) => r.amount));
    add('billed money used = attributed + cut at the period edges', null, input.currency, { label: 'cost rows used', value: used }, [
      { label: 'attributed', value: attributed },
      { label: 'cut off at the period edges (--split-days)', value: at.splitCut },
    ]);
    for (const t of at.tables)
      add(`${t.name} adds up to the attributed total`, null, input.currency, { label: t.name, value: sum(t.values) }, [{ label: 'attributed', value: attributed }]);
    perProviderTables(at, input.currency, add);
  }

  const rc = input.reconciliation;
  if (rc) {
    const currencies = new Set<string>();
    const given = new Map<string, Decimal>();
    for (const f of input.inputs.filter((x) => x.kind === 'statement')) {
      for (const a of f.money) {
        currencies.add(a.currency);
        given.set(a.currency, (given.get(a.currency) ?? Decimal.ZERO).plus(a.fates.used.net));
      }
    }
    for (const c of rc.cardClassified) currencies.add(c.currency);
    for (const c of rc.leftOut) currencies.add(c.currency);
    for (const cur of [...currencies].sort()) {
      add('statement lines used = provider lines classified + other lines left out', null, cur, { label: 'statement lines used', value: given.get(cur) ?? Decimal.ZERO }, [
        { label: 'provider lines classified', value: sum(rc.cardClassified.filter((c) => c.currency === cur).map((c) => c.amount)) },
        { label: 'other lines left out', value: sum(rc.leftOut.filter((c) => c.currency === cur).map((c) => c.total)) },
      ]);
    }
  }
  return { holds: equations.every((e) => e.holds), equations };
}

/** A broken equation is an error a human must see, with both sides. */
export function conservationExceptions(c: Conservation): Exception[] {
  return c.equations
    .filter((e) => !e.holds)
    .map((e) => {
      const right = sum(e.right.map((t) => t.value));
      return {
        severity: 'error' as const,
        class: 'conservation_broken',
        subject: e.file ?? 'the whole run',
        amount: e.currency ? e.left.value.minus(right) : null,
        currency: e.currency,
        message: `${e.name}${e.currency ? ` (${e.currency})` : ''} does not hold: ${e.left.label} ${e.left.value.toString()} ≠ ${right.toString()} (${e.right.map((t) => `${t.label} ${t.value.toString()}`).join(' + ')}).`,
        nextStep: 'This is a defect of spendrecon, not of your files: do not use these figures; report it with the inputs (the Inputs sheet lists them with their SHA-256).',
        refs: e.file ? [{ file: e.file, line: 0 }] : [],
      };
    });
}

/** Money in rejected rows per currency as read, signed as in the files (a CNY statement is not labelled USD). */
export function rejectedByCurrency(inputs: readonly InputFileReport[]): { currency: string; amount: Decimal }[] {
  const by = new Map<string, Decimal>();
  for (const f of inputs) for (const a of f.money) if (!a.fates.rejected.gross.isZero()) by.set(a.currency, (by.get(a.currency) ?? Decimal.ZERO).plus(a.fates.rejected.net));
  return [...by.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([currency, amount]) => ({ currency, amount }));
}
