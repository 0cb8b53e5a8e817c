import { moneyInputValue, parseMoneyInput } from '../../lib/money.ts';
import { parsePercentInput, percentInputValue } from '../../lib/percent.ts';
import type { Company, CompanyPatch, CompanySettings } from '../../lib/types.ts';

/** The numeric settings, edited as number inputs (largeSaleThreshold and defaultTaxRate are handled apart). */
export const NUMBER_SETTINGS = [
  'holdMinutes',
  'tableLongMinutes',
  'cashSessionMaxHours',
  'qrSessionMinutes',
  'paymentTimeoutMinutes',
  'auditRetentionMonths',
  'discountApprovalPercent',
] as const;
export type NumberSetting = (typeof NUMBER_SETTINGS)[number];

export type SettingsFormState = {
  name: string;
  slug: string;
  externalRef: string;
  currency: string;
  timezone: string;
  numbers: Record<NumberSetting, string>;
  largeSaleThreshold: string;
  /** Percent as typed ("18", "5,5"); stored in basis points. */
  defaultTaxRate: string;
  requireCashSession: boolean;
  dailySummaryTime: string;
};

export function toFormState(c: Company): SettingsFormState {
  const numbers = Object.fromEntries(NUMBER_SETTINGS.map((k) => [k, String(c.settings[k] ?? '')])) as Record<
    NumberSetting,
    string
  >;
  return {
    name: c.name,
    slug: c.slug,
    externalRef: c.externalRef ?? '',
    currency: c.currency,
    timezone: c.timezone,
    numbers,
    largeSaleThreshold: moneyInputValue(c.settings.largeSaleThreshold ?? null, c.currency),
    defaultTaxRate: percentInputValue(c.settings.defaultTaxRate),
    requireCashSession: Boolean(c.settings.requireCashSession),
    dailySummaryTime: c.settings.dailySummaryTime ?? '',
  };
}

/** A value the form refuses before sending: `field` is 'largeSaleThreshold' or 'defaultTaxRate'. */
export class InvalidAmountError extends Error {
  readonly field: 'largeSaleThreshold' | 'defaultTaxRate';
  constructor(field: InvalidAmountError['field'] = 'largeSaleThreshold') {
    super(field);
    this.field = field;
  }
}

/** Only what changed, so an untouched currency is never sent (it may be frozen). */
export function toPatch(c: Company, f: SettingsFormState): CompanyPatch {
  const patch: CompanyPatch = {};
  if (f.name.trim() !== c.name) patch.name = f.name.trim();
  if (f.slug.trim() !== c.slug) patch.slug = f.slug.trim();
  const externalRef = f.externalRef.trim() || null;
  if (externalRef !== (c.externalRef ?? null)) patch.externalRef = externalRef;
  if (f.currency !== c.currency) patch.currency = f.currency;
  if (f.timezone !== c.timezone) patch.timezone = f.timezone;

  const settings: Partial<CompanySettings> = {};
  for (const key of NUMBER_SETTINGS) {
    const text = f.numbers[key].trim();
    const value = text === '' ? Number.NaN : Number(text);
    if (value !== c.settings[key]) settings[key] = (Number.isFinite(value) ? value : text) as number;
  }
  const thresholdText = f.largeSaleThreshold.trim();
  const threshold = parseMoneyInput(thresholdText, f.currency);
  if (thresholdText !== '' && threshold === null) throw new InvalidAmountError('largeSaleThreshold');
  if (threshold !== (c.settings.largeSaleThreshold ?? null) || f.currency !== c.currency) {
    settings.largeSaleThreshold = threshold;
  }
  const rateText = f.defaultTaxRate.trim();
  if (rateText !== '') {
    const rate = parsePercentInput(rateText);
    if (rate === null) throw new InvalidAmountError('defaultTaxRate');
    if (rate !== c.settings.defaultTaxRate) settings.defaultTaxRate = rate;
  }
  if (f.requireCashSession !== Boolean(c.settings.requireCashSession)) settings.requireCashSession = f.requireCashSession;
  if (f.dailySummaryTime !== c.settings.dailySummaryTime) settings.dailySummaryTime = f.dailySummaryTime;
  if (Object.keys(settings).length > 0) patch.settings = settings;
  return patch;
}
