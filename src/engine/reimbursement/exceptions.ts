/** The reimbursement's exceptions: one per flagged charge, or one per card and currency where the fix is per card. */
import type { ReimbursementException, ReimbursementFlag, ReimbursementFlagKind, ReimbursementCharge } from './types.js';

/** The charge's part of an exception about it: who, where, what and how much. */
function aboutCharge(ch: ReimbursementCharge, kind: ReimbursementFlagKind) {
  return {
    cardholder: ch.cardholder,
    costCentre: ch.costCentre,
    src: ch.src,
    date: ch.date,
    description: ch.description,
    amount: ch.amount,
    currency: ch.currency,
    kind,
    count: 1,
  };
}

export function exceptionFor(f: ReimbursementFlag, ch: ReimbursementCharge): ReimbursementException | null {
  const base = aboutCharge(ch, f.kind);
  switch (f.kind) {
    case 'no_receipt':
      return {
        ...base,
        severity: 'error',
        message: `Charge with no receipt: ${f.message}.`,
        nextStep: "Download the receipt from the provider's billing page and add it to the payment history, or ask the cardholder for it.",
      };
    case 'duplicate_charge':
      return {
        ...base,
        severity: 'error',
        message: `Duplicate charge: ${f.message}.`,
        nextStep: 'Reimburse it only with the refund request attached; the refund will reduce a later claim.',
      };
    case 'failed_top_up_charged':
      return {
        ...base,
        severity: 'warning',
        message: `Charge for a failed top-up: ${f.message}.`,
        nextStep: 'Ask provider support for a refund with the statement line and the payment reference.',
      };
    default:
      return null;
  }
}

/** Flags whose fix is one per card (a config entry, a currency decision): one exception per card and currency. */
export const PER_CARD = new Set<ReimbursementFlagKind>(['unknown_cardholder', 'currency_not_home']);

export function perCardExceptions(charges: readonly ReimbursementCharge[]): ReimbursementException[] {
  const out = new Map<string, ReimbursementException>();
  for (const ch of charges) {
    for (const f of ch.flags) {
      if (!PER_CARD.has(f.kind)) continue;
      const k = `${f.kind}\u0000${ch.cardholder}\u0000${ch.cardLast4 ?? ''}\u0000${ch.currency}`;
      const e = out.get(k);
      if (e) {
        e.amount = e.amount.plus(ch.amount);
        e.count++;
        e.description = `${e.count} charges${ch.cardLast4 ? ` on card ${ch.cardLast4}` : ''}`;
        continue;
      }
      const unknown = f.kind === 'unknown_cardholder';
      out.set(k, {
        ...aboutCharge(ch, f.kind),
        severity: 'warning',
        message: unknown ? `Cardholder unknown: ${f.message}.` : `Currency: ${f.message}.`,
        nextStep: unknown
          ? ch.cardLast4
            ? `Add "${ch.cardLast4}" to "cardholders" in the config with the cardholder's name and cost centre.`
            : 'Find whose card it is (the statement file) and record the card on its payments, or add the card to "cardholders" in the config.'
          : 'Reimburse in the card currency as charged, or book the conversion separately at the bank’s rate.',
      });
    }
  }
  return [...out.values()];
}
