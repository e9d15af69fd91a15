/** The credit ledger stage (SPEC §4.4): the payments in scope and every billed day, rolled forward. */
import type { Config } from '../config.js';
import { buildCreditLedger, dailyUsageFromCosts, type LedgerResult, type OpeningBalance } from '../engine/ledger/index.js';
import type { Decimal } from '../money.js';
import type { CostRecord, PaymentRecord } from '../model.js';
import type { Period } from '../time.js';
import { settle } from './fates.js';
import type { FromFile } from './read.js';

export interface LedgerStageInput {
  billed: FromFile<CostRecord>[];
  /** Whether attribution has already given the billed rows their fates. */
  attributed: boolean;
  /** The payments of the organisations in scope. */
  payments: FromFile<PaymentRecord>[];
  period: Period;
  currency: string;
  config: Config;
  closingBalance?: Decimal;
}

export function buildLedger(input: LedgerStageInput): LedgerResult {
  const { config, period } = input;
  // the ledger draws down every billed day it is given (its lots may predate the period)
  if (!input.attributed) for (const { rec, file } of input.billed) settle(file, 'used', rec);
  return buildCreditLedger({
    timezone: config.timezone,
    period,
    currency: input.currency,
    openingBalance: openingBalances(config),
    payments: input.payments.map((p) => p.rec),
    usage: dailyUsageFromCosts(
      input.billed.map((c) => c.rec),
      config.timezone,
    ),
    autoRechargeMonthlyLimit: config.autoRechargeMonthlyLimit,
    closingBalanceReported: input.closingBalance
      ? { amount: input.closingBalance, date: period.to }
      : config.closingBalance
        ? {
            amount: config.closingBalance.amount,
            date: config.closingBalance.date ?? period.to,
            organization: config.closingBalance.organization,
            ...(config.closingBalance.provider ? { provider: config.closingBalance.provider } : {}),
          }
        : undefined,
    ...(config.creditValidityMonths ? { creditValidityMonths: config.creditValidityMonths } : {}),
    defaultOrganization: config.organizations.length === 1 ? config.organizations[0] : undefined,
  });
}

/** The config's opening balance(s): one object, or a list (one per provider and organisation). */
function openingBalances(config: Config): OpeningBalance[] | undefined {
  const ob = config.openingBalance;
  if (!ob) return undefined;
  return ob.map((o) => ({
    amount: o.amount,
    date: o.date,
    organization: o.organization,
    expiresOn: o.expiresOn,
    ...(o.provider ? { provider: o.provider } : {}),
  }));
}
