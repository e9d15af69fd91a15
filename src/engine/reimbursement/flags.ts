/** What a claimed charge carries: its receipts, and the flags a reviewer sees beside it. */
import type { PaymentRecord } from '../../model.js';
import type { LineClassification, SideRef } from '../matching/index.js';
import type { Cardholder } from './cardholders.js';
import type { ReimbursementFlag, ReimbursementFlagKind } from './types.js';
import { at, key, money } from './util.js';

export interface ChargeContext {
  /** The payments the line was matched to. */
  payRefs: PaymentRecord[];
  /** An FX fee's parent charge. */
  parentRef: SideRef | null;
  classByKey: Map<string, LineClassification>;
  home: string;
  holder: Cardholder;
  last4: string | null;
}

/** The receipts and flags of a claimed charge, by its class; then the currency and the cardholder. */
export function receiptsAndFlags(
  c: LineClassification,
  { payRefs, parentRef, classByKey, home, holder, last4 }: ChargeContext,
): { receipts: string[]; flags: ReimbursementFlag[] } {
  const flags: ReimbursementFlag[] = [];
  const flag = (kind: ReimbursementFlagKind, label: string, message: string): void => {
    flags.push({ kind, label, message });
  };
  const near = (r: { file: string; line: number }): string => (r.file === c.src.file ? `line ${r.line}` : at(r));
  let receipts: string[] = [];
  switch (c.class) {
    case 'matched':
    case 'subscription_not_api':
      receipts = payRefs.map((p) => p.reference).filter((r) => r !== '');
      break;
    case 'matched_fx_difference': {
      receipts = payRefs.map((p) => p.reference).filter((r) => r !== '');
      const d = c.difference;
      if (d) {
        const word = d.amount.sign() >= 0 ? 'more' : 'less';
        flag(
          'fx_difference',
          `${money(d.amount.abs(), d.currency)} ${word} than the receipt`,
          `the card was charged ${money(d.amount.abs(), d.currency)} ${word} than the receipt (${d.basis}); the card amount is what is claimed`,
        );
      } else flag('fx_difference', 'differs from the receipt', 'the card amount differs from the receipt; the card amount is what is claimed');
      break;
    }
    case 'fx_fee':
      receipts = payRefs.map((p) => p.reference).filter((r) => r !== '');
      flag(
        'fx_fee',
        `FX fee on ${parentRef ? near(parentRef) : 'a charge'}`,
        `bank foreign-transaction fee on the charge ${parentRef ? at(parentRef) : '(not found)'}; it carries that charge's receipt`,
      );
      break;
    case 'refund': {
      receipts = payRefs.map((p) => p.reference).filter((r) => r !== '');
      flagRefund(c, receipts, classByKey, near, flag);
      break;
    }
    case 'duplicate_charge': {
      const anchor = c.counterparts.find((r) => r.side === 'card');
      const refs = payRefs.map((p) => p.reference).filter((r) => r !== '');
      const first = [anchor ? `the first charge is ${at(anchor)}` : '', refs.length ? `receipt ${refs.join(', ')}` : ''].filter((x) => x).join(', ');
      flag(
        'duplicate_charge',
        `Duplicate${anchor ? ` of ${near(anchor)}` : ''}: refund due`,
        `charged again for one payment${first ? ` (${first})` : ''}: ask the provider or the bank for a refund`,
      );
      break;
    }
    case 'failed_payment_with_hold': {
      const refs = payRefs.map((p) => `${p.reference || at(p.src)} (${p.status})`);
      flag(
        'failed_top_up_charged',
        'Failed top-up charged: refund due',
        `the bank posted a charge for a top-up the provider recorded as failed${refs.length ? `: ${refs.join(', ')}` : ''}; no credit was bought, ask the provider for a refund`,
      );
      break;
    }
    case 'unmatched_card_charge':
      flag('no_receipt', 'No receipt', 'no payment in the history explains this charge: add its receipt from the billing page');
      break;
    default:
      break;
  }
  if (c.currency.toUpperCase() !== home) {
    flag('currency_not_home', `Charged in ${c.currency}, not ${home}`, `charged in ${c.currency}, not the home currency ${home}; shown as charged, not converted`);
  }
  if (!holder.known) {
    flag(
      'unknown_cardholder',
      last4 ? `Unknown card ${last4}` : 'Unknown card',
      last4 ? `card ${last4} is not among the configured cardholders` : 'the card is not known (no last four digits on the line or its payment)',
    );
  }
  return { receipts, flags };
}

type Flagger = (kind: ReimbursementFlagKind, label: string, message: string) => void;

/** A refund line reduces the total; a refunded charge points at its refund line, or says it is not on the statements yet. */
function flagRefund(c: LineClassification, receipts: string[], classByKey: ChargeContext['classByKey'], near: (r: { file: string; line: number }) => string, flag: Flagger): void {
  const refunded = receipts.join(', ') || 'the payment';
  const refundLine = c.counterparts.find((r) => r.side === 'card' && (classByKey.get(key(r))?.amount.sign() ?? 0) < 0);
  if (c.amount.sign() < 0) {
    if (receipts.length) flag('refund', 'Refund', `refund of ${refunded}: reduces the total`);
    else flag('refund', 'Refund, not in the payment history', 'refund or credit from the provider with no refunded payment in the history: reduces the total');
  } else if (refundLine) {
    flag('refund', `Refunded on ${near(refundLine)}`, `the provider marked ${refunded} refunded; the refund is ${at(refundLine)}`);
  } else {
    flag('refund', 'Refunded, refund not on the statement yet', `the provider marked ${refunded} refunded; the refund is not on these statements yet`);
  }
  if (c.amount.sign() > 0 && receipts.length === 0) flag('no_receipt', 'No receipt', 'no payment in the history explains this charge');
}
