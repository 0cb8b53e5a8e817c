import { conflict } from '../../platform/errors.ts';

/** Pure sale rules: the state machine, the tax breakdown, what a payment may be. */
export type SaleStatus = 'open' | 'paid' | 'cancelled' | 'partially_refunded' | 'refunded';

/** Allowed moves, as data. */
export const TRANSITIONS: Record<SaleStatus, readonly SaleStatus[]> = {
  open: ['paid', 'cancelled'],
  paid: ['partially_refunded', 'refunded'],
  partially_refunded: ['partially_refunded', 'refunded'],
  cancelled: [],
  refunded: [],
};

export function canTransition(from: SaleStatus, to: SaleStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The one check: an illegal move is a 409 naming the current state. */
export function assertTransition(from: SaleStatus, to: SaleStatus): void {
  if (!canTransition(from, to)) throw conflict('sale.illegal_transition', { status: from, to });
}

/** Edits (items, customer, server) are only for open sales. */
export function assertOpen(status: SaleStatus): void {
  if (status !== 'open') throw conflict('sale.illegal_transition', { status, to: 'open' });
}

export interface TaxLine {
  unitPrice: number;
  quantity: number;
  taxRate: number;
}

export interface TaxBreakdown {
  ttc: number;
  ht: number;
  tva: number;
  byRate: Array<{ rate: number; ttc: number; ht: number; tva: number }>;
}

/**
 * Prices include tax. Rounding rule (one, everywhere): per rate, TTC is the exact sum
 * of its lines; HT = TTC × 10000 / (10000 + rate) rounded half up to the minor unit;
 * TVA = TTC − HT. Totals are sums over rates, so TTC is always the exact line total
 * and HT + TVA = TTC. Computed with BigInt: no float ever touches money.
 */
export function taxBreakdown(lines: readonly TaxLine[]): TaxBreakdown {
  const byRate = new Map<number, bigint>();
  for (const l of lines) byRate.set(l.taxRate, (byRate.get(l.taxRate) ?? 0n) + BigInt(l.unitPrice) * BigInt(l.quantity));
  const rows = [...byRate].sort(([a], [b]) => a - b).map(([rate, ttc]) => {
    const d = 10000n + BigInt(rate);
    const ht = (2n * ttc * 10000n + d) / (2n * d);
    return { rate, ttc: Number(ttc), ht: Number(ht), tva: Number(ttc - ht) };
  });
  return {
    ttc: rows.reduce((a, r) => a + r.ttc, 0),
    ht: rows.reduce((a, r) => a + r.ht, 0),
    tva: rows.reduce((a, r) => a + r.tva, 0),
    byRate: rows,
  };
}

export type PaymentMethod = 'cash' | 'card' | 'mobile_money';

export type PaymentCheck =
  | { ok: true; change: number; completes: boolean }
  | { ok: false; code: 'payment.exceeds_due'; due: number }
  | { ok: false; code: 'validation'; field: 'tendered' | 'reference'; reason: string };

/** A payment takes at most what remains due; cash needs enough tendered (change given back). */
export function checkPayment(p: { method: PaymentMethod; amount: number; tendered?: number; reference?: string }, due: number): PaymentCheck {
  if (p.amount > due) return { ok: false, code: 'payment.exceeds_due', due };
  if (p.method === 'cash') {
    const tendered = p.tendered ?? p.amount;
    if (tendered < p.amount) return { ok: false, code: 'validation', field: 'tendered', reason: 'too_small' };
    return { ok: true, change: tendered - p.amount, completes: p.amount === due };
  }
  if (!p.reference) return { ok: false, code: 'validation', field: 'reference', reason: 'required' };
  return { ok: true, change: 0, completes: p.amount === due };
}

export const formatReference = (n: number) => `V-${String(n).padStart(6, '0')}`;
