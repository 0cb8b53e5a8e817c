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

export type DiscountKind = 'amount' | 'percent';

/** A discount as asked: an amount in minor units, or a percentage in basis points (1000 = 10 %). */
export interface DiscountSpec {
  kind: DiscountKind;
  value: number;
}

/**
 * What a discount takes off a base (minor units): a percentage is rounded half up to
 * the minor unit (BigInt), an amount is at most the base. Never negative.
 */
export function discountAmount(spec: DiscountSpec, base: number): number {
  if (base <= 0 || spec.value <= 0) return 0;
  if (spec.kind === 'amount') return Math.min(spec.value, base);
  const bp = BigInt(Math.min(spec.value, 10000));
  return Number((2n * BigInt(base) * bp + 10000n) / 20000n);
}

/** Above the company's limit (a whole percent of the base) a manager must approve. */
export function needsApproval(amount: number, base: number, limitPercent: number): boolean {
  return BigInt(amount) * 100n > BigInt(limitPercent) * BigInt(base);
}

/**
 * Spreads a whole-sale discount over the lines pro rata to their amounts: each line
 * gets the floor of its exact share, and what rounding leaves goes on the largest line
 * (on the next largest only if the largest has nothing left to take). Shares add up to
 * the discount exactly and no line goes below zero. `discount` must not exceed the sum.
 */
export function spreadDiscount(amounts: readonly number[], discount: number): number[] {
  const total = amounts.reduce((a, b) => a + b, 0);
  if (discount <= 0 || total <= 0) return amounts.map(() => 0);
  if (discount > total) throw new RangeError('discount exceeds the amounts');
  const t = BigInt(total);
  const d = BigInt(discount);
  const shares = amounts.map((a) => Number((BigInt(a) * d) / t));
  let left = discount - shares.reduce((a, b) => a + b, 0);
  const order = amounts.map((a, i) => [a, i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (const [a, i] of order) {
    if (left === 0) break;
    const take = Math.min(left, a - shares[i]!);
    shares[i]! += take;
    left -= take;
  }
  return shares;
}

export interface PricedLineInput extends TaxLine {
  discount?: DiscountSpec | null;
}

export interface PricedLine {
  /** unitPrice × quantity. */
  gross: number;
  /** The line's own discount. */
  discount: number;
  /** gross − discount (what the line shows). */
  lineTotal: number;
  /** The line's part of the whole-sale discount. */
  share: number;
  /** lineTotal − share: what the line really costs (taxes are computed on it). */
  net: number;
}

export interface SalePricing {
  lines: PricedLine[];
  /** Lines after their own discounts, before the whole-sale discount. */
  subtotal: number;
  saleDiscount: number;
  discountTotal: number;
  total: number;
  totals: TaxBreakdown;
}

/**
 * A sale's money: line discounts on their lines, the whole-sale discount on what the
 * lines then come to (spread over them pro rata, see spreadDiscount), and the tax
 * breakdown of what each line finally costs — so HT + TVA = TTC = total, exactly.
 */
export function priceSale(lines: readonly PricedLineInput[], saleDiscount: DiscountSpec | null = null): SalePricing {
  const first = lines.map((l) => {
    const gross = l.unitPrice * l.quantity;
    const discount = l.discount ? discountAmount(l.discount, gross) : 0;
    return { gross, discount, lineTotal: gross - discount };
  });
  const subtotal = first.reduce((a, l) => a + l.lineTotal, 0);
  const off = saleDiscount ? discountAmount(saleDiscount, subtotal) : 0;
  const shares = spreadDiscount(first.map((l) => l.lineTotal), off);
  const priced = first.map((l, i) => ({ ...l, share: shares[i]!, net: l.lineTotal - shares[i]! }));
  const totals = taxBreakdown(priced.map((l, i) => ({ unitPrice: l.net, quantity: 1, taxRate: lines[i]!.taxRate })));
  return {
    lines: priced,
    subtotal,
    saleDiscount: off,
    discountTotal: first.reduce((a, l) => a + l.discount, 0) + off,
    total: subtotal - off,
    totals,
  };
}

export type PaymentMethod = 'cash' | 'card' | 'mobile_money';

export type PaymentCheck =
  | { ok: true; change: number; completes: boolean }
  | { ok: false; code: 'payment.exceeds_due'; due: number }
  | { ok: false; code: 'validation'; field: 'tendered' | 'reference'; reason: string };

/**
 * A payment takes at most what remains due; cash needs enough tendered for the amount
 * and the tip (the change is what is left). A tip never counts toward what is due.
 */
export function checkPayment(p: { method: PaymentMethod; amount: number; tendered?: number; reference?: string; tip?: number }, due: number): PaymentCheck {
  if (p.amount > due) return { ok: false, code: 'payment.exceeds_due', due };
  if (p.method === 'cash') {
    const owed = p.amount + (p.tip ?? 0);
    const tendered = p.tendered ?? owed;
    if (tendered < owed) return { ok: false, code: 'validation', field: 'tendered', reason: 'too_small' };
    return { ok: true, change: tendered - owed, completes: p.amount === due };
  }
  if (!p.reference) return { ok: false, code: 'validation', field: 'reference', reason: 'required' };
  return { ok: true, change: 0, completes: p.amount === due };
}

export const formatReference = (n: number) => `V-${String(n).padStart(6, '0')}`;
