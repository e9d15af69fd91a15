/**
 * The reconciliation stage (SPEC §4.3): payments ↔ card lines. Other organisations' payments
 * go to matching too (a top-up bought for the wrong organisation is on the card).
 */
import type { Config } from '../config.js';
import { matchPaymentsToCardLines, type MatchOverrides, type MatchResult } from '../engine/matching/index.js';
import { dropOutsidePayments, paymentsNearCardLines } from '../engine/period-payments.js';
import type { CardLine, PaymentRecord } from '../model.js';
import type { Period } from '../time.js';
import type { FromFile } from './read.js';
import { matchOptions } from './readers.js';

export function reconcilePayments(payments: FromFile<PaymentRecord>[], cardLines: CardLine[], period: Period, config: Config, overrides?: MatchOverrides): MatchResult {
  const options = matchOptions(config);
  const near = paymentsNearCardLines(
    payments,
    cardLines.map((l) => l.transactionDate),
    period,
    options,
    config.timezone,
  );
  const matched = matchPaymentsToCardLines(
    near.map((p) => p.rec),
    cardLines,
    options,
    overrides,
  );
  // a payment outside the period that explains nothing in it is not this period's business
  return dropOutsidePayments(matched, period);
}
