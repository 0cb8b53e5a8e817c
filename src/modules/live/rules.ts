/**
 * Pure live-selling rules: an order's lines and total, the transfers paying for it,
 * its four-step checklist (products, payment, delivery zone, phone) and completion
 * rate, and what its holds must cover. No I/O, no clock.
 */

export type ProductKind = 'good' | 'service';

export interface LiveItem {
  productId: string;
  name: string;
  kind: ProductKind;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

/** One transfer the customer reported (a mobile-money reference and its amount). */
export interface Transfer {
  reference: string;
  amount: number;
}

export interface ItemRequest {
  productId: string;
  quantity: number;
}

export interface CatalogEntry {
  name: string;
  price: number;
  kind: ProductKind;
}

/** What the four steps look at. */
export interface OrderSteps {
  items: readonly LiveItem[];
  transfers: readonly Transfer[];
  deliveryZone: string | null;
  customerPhone: string | null;
}

export interface Checklist {
  products: boolean;
  payment: boolean;
  delivery: boolean;
  phone: boolean;
}

export const STEPS = ['products', 'payment', 'delivery', 'phone'] as const satisfies ReadonlyArray<keyof Checklist>;

export const totalOf = (items: readonly Pick<LiveItem, 'lineTotal'>[]): number => items.reduce((a, i) => a + i.lineTotal, 0);
export const receivedOf = (transfers: readonly Transfer[]): number => transfers.reduce((a, t) => a + t.amount, 0);

/**
 * The four steps. Payment counts only when there is something to pay and everything
 * received covers it: lines added later that raise the total above what was received
 * make it incomplete again.
 */
export function checklist(o: OrderSteps): Checklist {
  const total = totalOf(o.items);
  return {
    products: o.items.length > 0,
    payment: o.items.length > 0 && total > 0 && receivedOf(o.transfers) >= total,
    delivery: o.deliveryZone !== null,
    phone: o.customerPhone !== null,
  };
}

/** 0, 25, 50, 75 or 100: a quarter per step done. */
export function completionRate(c: Checklist): number {
  return STEPS.filter((s) => c[s]).length * 25;
}

export const isComplete = (c: Checklist): boolean => STEPS.every((s) => c[s]);

/** A request naming a product twice means the sum of both; first-seen order is kept. */
export function mergeRequests(lines: readonly ItemRequest[]): ItemRequest[] {
  const byProduct = new Map<string, number>();
  for (const l of lines) byProduct.set(l.productId, (byProduct.get(l.productId) ?? 0) + l.quantity);
  return [...byProduct].map(([productId, quantity]) => ({ productId, quantity }));
}

/** Products of the request that the order does not have yet (their price comes from the catalog). */
export function newProducts(requested: readonly ItemRequest[], previous: readonly LiveItem[]): string[] {
  const had = new Set(previous.map((i) => i.productId));
  return [...new Set(requested.map((r) => r.productId))].filter((id) => !had.has(id));
}

/**
 * The order's new lines (the request replaces them all). A product already in the order
 * keeps the name and price it entered at (what the customer was told during the live);
 * a product new to it takes the catalog's. Answers the first product the catalog lacks.
 */
export function priceItems(
  requested: readonly ItemRequest[],
  previous: readonly LiveItem[],
  catalog: ReadonlyMap<string, CatalogEntry>,
): { ok: true; items: LiveItem[] } | { ok: false; unknown: string } {
  const had = new Map(previous.map((i) => [i.productId, i]));
  const items: LiveItem[] = [];
  for (const r of mergeRequests(requested)) {
    const before = had.get(r.productId);
    const source = before ? { name: before.name, price: before.unitPrice, kind: before.kind } : catalog.get(r.productId);
    if (!source) return { ok: false, unknown: r.productId };
    items.push({ productId: r.productId, name: source.name, kind: source.kind, quantity: r.quantity, unitPrice: source.price, lineTotal: source.price * r.quantity });
  }
  return { ok: true, items };
}

/** The goods quantities the order's holds must cover, by product (services are never held). */
export function wantedHolds(items: readonly LiveItem[]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const i of items) if (i.kind === 'good') wanted.set(i.productId, (wanted.get(i.productId) ?? 0) + i.quantity);
  return wanted;
}

/** Products whose held quantity is not what is wanted (released and held anew), in id order. */
export function holdDiff(held: ReadonlyMap<string, number>, wanted: ReadonlyMap<string, number>): string[] {
  const ids = new Set([...held.keys(), ...wanted.keys()]);
  return [...ids].filter((id) => (held.get(id) ?? 0) !== (wanted.get(id) ?? 0)).sort();
}

/**
 * Records a reported transfer: the same reference again replaces the earlier report
 * (a retry or a correction never counts twice); another reference adds up (a top-up).
 */
export function addTransfer(transfers: readonly Transfer[], t: Transfer): Transfer[] {
  const i = transfers.findIndex((x) => x.reference === t.reference);
  if (i < 0) return [...transfers, t];
  return transfers.map((x, j) => (j === i ? t : x));
}

/** The payment as shown: its references (in the order reported) and everything received. */
export function paymentOf(transfers: readonly Transfer[]): { reference: string; received: number } | null {
  if (!transfers.length) return null;
  return { reference: transfers.map((t) => t.reference).join(', '), received: receivedOf(transfers) };
}

/**
 * An underpayment to report after an update: the payment or the lines changed, and
 * what was received does not cover the total (nothing is reported before there are lines).
 */
export function underpayment(o: OrderSteps, touched: { payment: boolean; items: boolean }): { received: number; due: number } | null {
  if (!touched.payment && !touched.items) return null;
  if (!o.transfers.length || !o.items.length) return null;
  const received = receivedOf(o.transfers);
  const due = totalOf(o.items);
  return received < due ? { received, due } : null;
}

/** A phone number a courier can call: digits with an optional leading +, spaces, dots, dashes or brackets; 6 to 15 digits. */
export function isPhone(s: string): boolean {
  const t = s.trim();
  if (!/^\+?[0-9 ().-]+$/.test(t)) return false;
  const digits = t.replace(/\D/g, '').length;
  return digits >= 6 && digits <= 15;
}
