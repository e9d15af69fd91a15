/**
 * `--focus FILE`: the attributed spend as a FinOps FOCUS cost CSV (SPEC §5.3), so it flows
 * into FinOps tools and warehouses. One Usage row per attributed row (project = sub-account,
 * API key = resource), one Purchase row per paid top-up in the period. Billed and list money
 * stay in separate columns; amounts are exact decimal text.
 */
import Papa from 'papaparse';
import { provider, type ProviderId } from '../providers.js';
import type { ReportResult } from '../results.js';
import { isoUtc, localDateOf, utcDayStart } from '../time.js';
import { csvText } from '../redact.js';
import { safeCsvText } from './cells.js';
import { writeFileAtomic } from '../output-files.js';

const FOCUS_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ContractedCost',
  'ListCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'InvoiceIssuerName',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
  'SubAccountId',
  'SubAccountName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'SkuId',
  'Tags',
  'x_LocalDate',
  'x_AttributionBasis',
] as const;

type FocusRow = Record<(typeof FOCUS_COLUMNS)[number], string>;

/** The columns that name who sold the service, from the row's provider description. */
function providerColumns(id: ProviderId): Pick<FocusRow, 'InvoiceIssuerName' | 'ProviderName' | 'PublisherName' | 'ServiceCategory' | 'ServiceName'> {
  const f = provider(id).focus;
  return { InvoiceIssuerName: f.invoiceIssuerName, ProviderName: f.providerName, PublisherName: f.publisherName, ServiceCategory: f.serviceCategory, ServiceName: f.serviceName };
}

function focusRows(r: ReportResult): FocusRow[] {
  const rows: FocusRow[] = [];
  const billingStart = isoUtc(r.period.utcStart);
  const billingEnd = isoUtc(r.period.utcEnd);
  const base = {
    BillingCurrency: r.currency,
    BillingPeriodStart: billingStart,
    BillingPeriodEnd: billingEnd,
    ChargeClass: '',
    ListCost: '',
  };
  for (const a of r.attribution?.attributed ?? []) {
    const start = utcDayStart(a.utcDay);
    const amount = a.amount.toString();
    rows.push({
      ...base,
      ...providerColumns(a.provider),
      BilledCost: amount,
      EffectiveCost: amount,
      ContractedCost: amount,
      BillingAccountId: a.organizationId ?? '',
      BillingAccountName: '',
      ChargeCategory: 'Usage',
      ChargeDescription: a.item,
      ChargeFrequency: 'Usage-Based',
      ChargePeriodStart: isoUtc(start),
      ChargePeriodEnd: isoUtc(start + 86400),
      SubAccountId: a.projectId ?? '',
      SubAccountName: a.projectName ?? '',
      ResourceId: a.apiKeyId ?? '',
      ResourceName: '',
      ResourceType: a.apiKeyId ? 'API key' : '',
      SkuId: a.model ?? '',
      Tags: JSON.stringify({ ...(a.userId ? { user: a.userId } : {}), ...(a.model ? { model: a.model } : {}) }),
      x_LocalDate: a.localDate,
      x_AttributionBasis: a.reason ? `${a.basis}: ${a.reason}` : a.basis,
    });
  }
  // purchases: paid API credit in the period (plans are not API credit)
  for (const p of r.payments) {
    const date = localDateOf(p.paidAt, r.period.timezone);
    if (p.status !== 'paid' || p.kind === 'subscription' || p.kind === 'grant' || date < r.period.from || date > r.period.to) continue;
    const amount = p.amount.toString();
    rows.push({
      ...base,
      ...providerColumns(p.provider),
      BillingCurrency: p.currency,
      BilledCost: amount,
      EffectiveCost: '0',
      ContractedCost: amount,
      BillingAccountId: p.organization ?? '',
      BillingAccountName: '',
      ChargeCategory: 'Purchase',
      ChargeDescription: `${p.kind === 'auto_recharge' ? 'auto-recharge' : 'prepaid credit'} ${p.reference}`,
      ChargeFrequency: 'One-Time',
      ChargePeriodStart: isoUtc(p.paidAt),
      ChargePeriodEnd: isoUtc(p.paidAt + 1),
      SubAccountId: '',
      SubAccountName: '',
      ResourceId: '',
      ResourceName: '',
      ResourceType: '',
      SkuId: 'prepaid-credit',
      Tags: JSON.stringify({ receipt: p.reference }),
      x_LocalDate: date,
      x_AttributionBasis: '',
    });
  }
  return rows;
}

export async function writeFocusCsv(r: ReportResult, path: string): Promise<number> {
  const rows = focusRows(r);
  const text = Papa.unparse(
    {
      fields: [...FOCUS_COLUMNS],
      data: rows.map((row) => FOCUS_COLUMNS.map((c) => (c === 'BilledCost' || c === 'EffectiveCost' || c === 'ContractedCost' ? row[c] : safeCsvText(row[c])))),
    },
    { newline: '\n' },
  );
  // the boundary: the whole file's text is redacted and its control characters shown, once
  await writeFileAtomic(path, csvText(`${text}\n`));
  return rows.length;
}
