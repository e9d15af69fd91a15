#!/usr/bin/env node
// @ts-check
/**
 * Deterministic month of top-ups for the matching bench: a payment history and a US-card
 * statement (Chase-style) with 25 statement lines per provider line, most top-ups
 * auto-recharges of exactly 50.00 every few minutes to hours (so same-amount candidates
 * chain over the whole month), plus manual top-ups, failed auto-recharges the card never
 * shows, duplicate charges, failed top-ups whose hold was reversed, and refunds.
 *
 *   node bench/generate-match.mjs --lines 5000 --out bench/data/match-5000 [--seed 20261114]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MATCH_GENERATOR_VERSION = 2;
export const MATCH_DEFAULT_SEED = 20261114;
const MERCHANTS = ['WHOLEFDS MKT 10234', 'TRADER JOE S #552', 'SHELL OIL 57442261', 'AMZN Mktp US*2K4', 'UBER *TRIP', 'STARBUCKS STORE 0192', 'NETFLIX.COM', 'DELTA AIR 0062'];

function sfc32(a, b, c, d) {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const pad = (n) => String(n).padStart(2, '0');
const usDate = (d) => `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
const cents = (c) => `${Math.floor(c / 100)}.${pad(c % 100)}`;
/** The New York local calendar day of a UTC instant (October: UTC−4). */
const localDay = (ms) => new Date(ms - 4 * 3600_000);
const addDays = (d, n) => new Date(d.getTime() + n * 86_400_000);

/** { payments: csv text, statement: csv text, truth: counts by scenario } for `lines` provider lines. */
export function generateMatch(lines, seed = MATCH_DEFAULT_SEED) {
  const rnd = sfc32(seed, 0x9e3779b9, 0x243f6a88, lines);
  const start = Date.UTC(2026, 9, 1, 4);
  const span = 30 * 86_400_000;
  const pays = ['paid_at,reference,amount,currency,status,kind,organization,card_last4,description'];
  const card = [];
  const truth = { auto: 0, manual: 0, failed: 0, duplicate: 0, reversedHold: 0, refund: 0 };
  let provider = 0;
  let ref = 0;
  const charge = (day, amountCents, { pending = false, type = 'Sale' } = {}) => {
    const post = pending ? '' : usDate(addDays(day, rnd() < 0.7 ? 1 : 2));
    card.push([usDate(day), post, 'OPENAI *API', 'Shopping', type, type === 'Sale' ? `-${cents(amountCents)}` : cents(amountCents), '']);
    provider++;
  };
  const payment = (ms, amountCents, status, kind) =>
    pays.push(
      `${new Date(ms).toISOString().replace('.000', '')},INV-7C1D2E9A-${String(++ref).padStart(5, '0')},${cents(amountCents)},USD,${status},${kind},org-Acme7Hq2kWb9,4242,${kind === 'auto_recharge' ? 'Auto recharge: balance fell below $10.00' : 'API credit purchase'}`,
    );
  while (provider < lines) {
    const ms = start + Math.floor(rnd() * span);
    const day = localDay(ms);
    const u = rnd();
    if (u < 0.8) {
      truth.auto++;
      payment(ms, 5000, 'paid', 'auto_recharge');
      charge(day, 5000);
    } else if (u < 0.88) {
      const amount = 2000 + 100 * Math.floor(rnd() * 480);
      truth.manual++;
      payment(ms, amount, 'paid', 'manual');
      charge(day, amount);
    } else if (u < 0.93) {
      truth.failed++;
      payment(ms, 5000, 'failed', 'auto_recharge');
    } else if (u < 0.96) {
      truth.duplicate++;
      payment(ms, 5000, 'paid', 'auto_recharge');
      charge(day, 5000);
      charge(day, 5000);
    } else if (u < 0.98) {
      truth.reversedHold++;
      payment(ms, 5000, 'failed', 'auto_recharge');
      charge(day, 5000, { pending: true });
      charge(addDays(day, 2), 5000, { type: 'Return' });
    } else {
      truth.refund++;
      payment(ms, 5000, 'refunded', 'auto_recharge');
      charge(day, 5000);
      charge(addDays(day, 12 + Math.floor(rnd() * 10)), 5000, { type: 'Return' });
    }
  }
  // 24 other lines per provider line: the bank's whole month, never the provider
  for (let i = 0, n = 24 * provider; i < n; i++) {
    const day = localDay(start + Math.floor(rnd() * span));
    card.push([usDate(day), usDate(addDays(day, 1)), MERCHANTS[Math.floor(rnd() * MERCHANTS.length)], 'Shopping', 'Sale', `-${cents(100 + Math.floor(rnd() * 20000))}`, '']);
  }
  card.sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0)); // newest first, as the bank exports
  const statement = `${['Transaction Date,Post Date,Description,Category,Type,Amount,Memo', ...card.map((r) => r.join(','))].join('\n')}\n`;
  return {
    payments: `${pays.join('\n')}\n`,
    statement,
    truth: { ...truth, providerLines: provider, statementLines: card.length, payments: pays.length - 1, expected: expectedClasses(truth) },
  };
}

/**
 * The classes docs/reconciliation.md gives each scenario's rows, counted per side: of a
 * duplicate's two equal lines one is the charge and one the duplicate; a refunded payment,
 * its charge and its refund are all `refund`; a failed payment the card never shows is an
 * unmatched payment (no money moved); a failed payment, its hold and the reversal are all
 * `authorization_reversed`.
 */
export function expectedClasses(t) {
  return {
    card: {
      matched: t.auto + t.manual + t.duplicate,
      duplicate_charge: t.duplicate,
      authorization_reversed: 2 * t.reversedHold,
      refund: 2 * t.refund,
      failed_payment_with_hold: 0,
    },
    payment: { matched: t.auto + t.manual + t.duplicate, unmatched_payment: t.failed, authorization_reversed: t.reversedHold, refund: t.refund, failed_payment_with_hold: 0 },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const lines = Number(arg('--lines', '500'));
  const out = arg('--out', `bench/data/match-${lines}`);
  const seed = Number(arg('--seed', String(MATCH_DEFAULT_SEED)));
  const g = generateMatch(lines, seed);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'payments.csv'), g.payments);
  writeFileSync(join(out, 'us-card.csv'), g.statement);
  writeFileSync(join(out, 'manifest.json'), JSON.stringify({ version: MATCH_GENERATOR_VERSION, seed, lines, truth: g.truth }, null, 2));
  process.stdout.write(`${out}: ${JSON.stringify(g.truth)}\n`);
}
