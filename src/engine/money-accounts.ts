/**
 * A file's money accounts (what was read, and per fate), added to where each decision is made.
 * Apart from engine/conservation.ts, which checks them, so the usage fold's worker thread
 * (stages/usage-parallel) loads neither zod nor the providers' registry with it: ~60 ms of its start.
 */
import { Decimal } from '../money.js';
import { ROW_FATES, type MoneyAccount, type MoneySum, type RowFate } from '../row-fates.js';

const zeroSum = (): MoneySum => ({ net: Decimal.ZERO, gross: Decimal.ZERO });

function newMoneyAccount(currency: string): MoneyAccount {
  const fates = {} as Record<RowFate, MoneySum>;
  for (const f of ROW_FATES) fates[f] = zeroSum();
  return { currency, read: zeroSum(), fates };
}

/** Adds an amount to a file's accounts: to what was read, or to one fate. */
export function tally(accounts: MoneyAccount[], currency: string, side: 'read' | RowFate, amount: Decimal): void {
  let a = accounts.find((x) => x.currency === currency);
  if (!a) {
    a = newMoneyAccount(currency);
    accounts.push(a);
    accounts.sort((x, y) => (x.currency < y.currency ? -1 : x.currency > y.currency ? 1 : 0));
  }
  const s = side === 'read' ? a.read : a.fates[side];
  s.net = s.net.plus(amount);
  s.gross = s.gross.plus(amount.abs());
}
