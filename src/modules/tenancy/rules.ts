import { z } from 'zod';
import type { Role } from '../../platform/permissions.ts';

/** Company settings the other capabilities read, with their defaults. */
export const settingsSchema = z.object({
  holdMinutes: z.number().int().min(1).max(1440).default(15),
  /** Tax rate in basis points for new products (1800 = 18 % TVA). */
  defaultTaxRate: z.number().int().min(0).max(10_000).default(1800),
  largeSaleThreshold: z.number().int().min(1).nullable().default(null),
  tableLongMinutes: z.number().int().min(1).max(10_080).default(180),
  cashSessionMaxHours: z.number().int().min(1).max(168).default(12),
  requireCashSession: z.boolean().default(false),
  qrSessionMinutes: z.number().int().min(1).max(1440).default(30),
  paymentTimeoutMinutes: z.number().int().min(1).max(10_080).default(60),
  dailySummaryTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .default('23:00'),
  auditRetentionMonths: z.number().int().min(1).max(120).default(12),
  /** The business address printed on receipts. */
  address: z.string().trim().max(300).nullable().default(null),
  /** A discount above this share (whole percent) of its line or sale needs a manager's approval. */
  discountApprovalPercent: z.number().int().min(0).max(100).default(20),
});
export type CompanySettings = z.infer<typeof settingsSchema>;

/** Stored settings merged over the defaults; unknown or invalid stored keys fall back. */
export function resolveSettings(stored: unknown): CompanySettings {
  const base = settingsSchema.parse({});
  if (!stored || typeof stored !== 'object') return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(stored)) {
    // Own keys only: "constructor" or "__proto__" must not reach Object.prototype.
    if (!Object.hasOwn(settingsSchema.shape, k)) continue;
    if (settingsSchema.shape[k as keyof CompanySettings].safeParse(v).success) out[k] = v;
  }
  return out as CompanySettings;
}

/** ISO 4217 codes with their minor-unit digits (the ones a small business here may use). */
export const CURRENCIES: Record<string, number> = {
  XOF: 0, XAF: 0, GNF: 0, EUR: 2, USD: 2, GBP: 2, MAD: 2, NGN: 2, GHS: 2, KES: 2, CDF: 2, CHF: 2, CAD: 2, TND: 3, DZD: 2,
};

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** "Le Comptoir de Démo" -> "le-comptoir-de-demo". */
export function slugify(name: string): string {
  const s = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
  return s || 'entreprise';
}

export const SLUG_PATTERN = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;

const COMMON = new Set([
  '1234567890', '0123456789', '12345678910', '1234567891', '0987654321', 'qwertyuiop', 'azertyuiop', 'password12',
  'password123', 'password1234', 'motdepasse', 'motdepasse1', 'motdepasse123', 'iloveyou12', 'qwerty1234',
  'qwerty12345', 'azerty1234', 'azerty12345', 'abcdefghij', 'abcd123456', 'abc1234567', 'princess12', 'football12',
  'welcome123', 'bienvenue1', 'bienvenue123', 'administrator', 'admin12345', 'letmein123', 'sunshine12', 'passw0rd12',
  'comptoir123', 'comptoir2026', '1q2w3e4r5t', 'zaq12wsxcde', 'trustno1234', 'changeme123', 'soleil1234',
]);

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common';

/** At least 10 characters, at most 200, and not a well-known or trivially patterned password. */
export function passwordProblem(password: string): PasswordProblem | null {
  if ([...password].length < 10) return 'too_short';
  if (password.length > 200) return 'too_long';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'too_common';
  if (/^(.)\1+$/.test(lower)) return 'too_common';
  if (/^\d+$/.test(lower) && isSequence(lower)) return 'too_common';
  return null;
}

function isSequence(digits: string): boolean {
  let up = true;
  let down = true;
  for (let i = 1; i < digits.length; i++) {
    const d = (Number(digits[i]) - Number(digits[i - 1]) + 10) % 10;
    if (d !== 1) up = false;
    if (d !== 9) down = false;
  }
  return up || down;
}

/** A company must keep at least one owner: refuses removing or demoting the last one. */
export function keepsAnOwner(owners: number, target: { role: Role }, change: { role: Role } | 'remove'): boolean {
  if (target.role !== 'owner') return true;
  if (change !== 'remove' && change.role === 'owner') return true;
  return owners > 1;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
