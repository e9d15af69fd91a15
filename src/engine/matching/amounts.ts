/** Exact comparison of a payment amount with a card line (or a group's sum): same currency, original amount, or an FX rate. */
import { type Decimal, ratio, sum } from '../../money.js';
import type { MatchOptions } from './config.js';
import type { MatchContext } from './context.js';
import { money } from './format.js';
import type { AmountCheck, Amounted, CardNode } from './nodes.js';
import { divideRounded, lookupRate, rateText } from './rates.js';

/** Compares; a missing rate is recorded in ctx.notes. */
export function compareAmounts(ctx: MatchContext, payAmount: Decimal, payCurrency: string, line: Amounted): AmountCheck {
  const P = payAmount.abs();
  if (line.originalAmount !== null && line.originalCurrency === payCurrency) {
    const O = line.originalAmount.abs();
    const diff = O.minus(P);
    const difference = () => (diff.isZero() ? null : { amount: diff, currency: payCurrency, basis: 'original amount on the statement' });
    if (!diff.isZero())
      return {
        ok: false,
        exact: false,
        norm: 1,
        difference,
        crossCurrency: false,
        text: () => `original amount ${money(O, payCurrency)} differs from ${money(P, payCurrency)}; the original currency must match exactly`,
      };
    return { ok: true, exact: true, norm: 0, difference: () => null, crossCurrency: false, text: () => `same amount in the original currency (${money(O, payCurrency)})` };
  }
  const L = line.amount.abs();
  if (line.currency === payCurrency) {
    const diff = L.minus(P);
    const tol = ctx.o.sameCurrencyTolerance;
    const difference = () => (diff.isZero() ? null : { amount: diff, currency: payCurrency, basis: 'same currency' });
    if (diff.abs().cmp(tol) > 0)
      return {
        ok: false,
        exact: false,
        norm: 1,
        difference,
        crossCurrency: false,
        text: () =>
          `${money(L, payCurrency)} differs from ${money(P, payCurrency)} by ${money(diff.abs(), payCurrency)}${tol.isZero() ? '; the same currency must match exactly' : ` (tolerance ${money(tol, payCurrency)})`}`,
      };
    return {
      ok: true,
      exact: diff.isZero(),
      norm: tol.isZero() ? 0 : (ratio(diff.abs(), tol) ?? 0),
      difference,
      crossCurrency: false,
      text: () => (diff.isZero() ? `same amount (${money(P, payCurrency)})` : `${money(L, payCurrency)} vs ${money(P, payCurrency)}, within ${money(tol, payCurrency)}`),
    };
  }
  const r = lookupRate(ctx.rates, payCurrency, line.currency);
  if (!r) {
    const note = `no ${payCurrency}→${line.currency} rate (none in the config, no statement line with both amounts): ${payCurrency} payments are compared only with ${payCurrency} amounts on the statement`;
    ctx.notes.add(note);
    return { ok: false, exact: false, norm: 1, difference: () => null, crossCurrency: true, text: () => note, noRate: { from: payCurrency, to: line.currency } };
  }
  // |L − P·num/den| ≤ pct% · P·num/den + allowance, multiplied through by den: exact
  const expectedScaled = P.times(r.num);
  const diffScaled = L.times(r.den).minus(expectedScaled);
  const tolScaled = ctx.o.fxTolerancePercent.times(expectedScaled).shiftLeft(2).plus(ctx.o.fxFeeAllowance.times(r.den));
  const expected = () => divideRounded(expectedScaled, r.den, 2);
  const difference = () => ({
    amount: divideRounded(diffScaled, r.den, 4).normalize(),
    currency: line.currency,
    basis: `converted at ${rateText(r)} (${r.source === 'config' ? 'config' : `median of ${r.samples} statement line(s)`})`,
  });
  if (diffScaled.abs().cmp(tolScaled) > 0)
    return {
      ok: false,
      exact: false,
      norm: 1,
      difference,
      crossCurrency: true,
      text: () =>
        `${money(L, line.currency)} vs ${money(P, payCurrency)} ≈ ${money(expected(), line.currency)} at ${rateText(r)}: off by more than ${ctx.o.fxTolerancePercent.toString()}% + ${money(ctx.o.fxFeeAllowance, line.currency)}`,
    };
  return {
    ok: true,
    exact: diffScaled.isZero(),
    norm: ratio(diffScaled.abs(), tolScaled) ?? 0,
    difference: () => (diffScaled.isZero() ? null : difference()),
    crossCurrency: true,
    text: () =>
      `${money(L, line.currency)} vs ${money(P, payCurrency)} ≈ ${money(expected(), line.currency)} at ${rateText(r)}, within ${ctx.o.fxTolerancePercent.toString()}% + ${money(ctx.o.fxFeeAllowance, line.currency)}`,
  };
}

/** The largest fee a charge can carry: the FX tolerance share of it plus the fixed allowance. */
export function feeCap(o: MatchOptions, charge: Decimal): Decimal {
  return o.fxTolerancePercent.times(charge.abs()).shiftLeft(2).plus(o.fxFeeAllowance);
}

export function uniform(xs: (string | null)[]): string | null {
  const first = xs[0];
  return first !== undefined && first !== null && xs.every((x) => x === first) ? first : null;
}

export function largest(cs: CardNode[]): CardNode {
  let best = cs[0]!;
  for (const c of cs) if (c.line.amount.abs().cmp(best.line.amount.abs()) > 0) best = c;
  return best;
}

export function syntheticLine(cs: CardNode[]): Amounted {
  const cur = uniform(cs.map((c) => c.line.currency));
  const origCur = uniform(cs.map((c) => c.line.originalCurrency));
  const allOrig = cs.every((c) => c.line.originalAmount !== null);
  return {
    amount: sum(cs.map((c) => c.line.amount)),
    currency: cur ?? '',
    originalAmount: allOrig && origCur ? sum(cs.map((c) => c.line.originalAmount!)) : null,
    originalCurrency: allOrig && origCur ? origCur : null,
  };
}
