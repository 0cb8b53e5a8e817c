/**
 * Pure stock rules: availability, all-or-nothing hold decisions, low-stock
 * crossings, hold expiry. No I/O, no clock: callers pass `now`.
 */

export interface StockState {
  onHand: number;
  /** Quantity in active, unexpired holds. */
  held: number;
  lowStockThreshold: number;
  lowStockAlerted: boolean;
}

export const availableOf = (s: Pick<StockState, 'onHand' | 'held'>) => s.onHand - s.held;

export interface HoldLine {
  productId: string;
  quantity: number;
}

export interface Shortage {
  productId: string;
  requested: number;
  available: number;
}

export type Decision = { ok: true } | { ok: false; shortages: Shortage[] };

/** Sums lines of the same product (a request may name a product twice). */
export function mergeLines(lines: readonly HoldLine[]): HoldLine[] {
  const byProduct = new Map<string, number>();
  for (const l of lines) byProduct.set(l.productId, (byProduct.get(l.productId) ?? 0) + l.quantity);
  return [...byProduct].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * Decides requests in order against the stock they share: a request takes all its
 * lines or nothing, and what it takes is gone for the next one. `stock` is updated
 * in place (held grows by what was granted). Unknown products count as 0 available.
 */
export function decideHolds(stock: Map<string, StockState>, requests: ReadonlyArray<readonly HoldLine[]>): Decision[] {
  return requests.map((lines) => {
    const merged = mergeLines(lines);
    const shortages: Shortage[] = [];
    for (const l of merged) {
      const s = stock.get(l.productId);
      const available = s ? availableOf(s) : 0;
      if (l.quantity > available) shortages.push({ productId: l.productId, requested: l.quantity, available });
    }
    if (shortages.length) return { ok: false, shortages };
    for (const l of merged) stock.get(l.productId)!.held += l.quantity;
    return { ok: true };
  });
}

/**
 * Low-stock alerting: one alert when available goes from above the threshold to
 * at or below it, none again until it has gone back above.
 */
export function lowStockTransition(s: StockState): { alerted: boolean; emit: boolean } {
  const low = availableOf(s) <= s.lowStockThreshold;
  if (low && !s.lowStockAlerted) return { alerted: true, emit: true };
  if (!low && s.lowStockAlerted) return { alerted: false, emit: false };
  return { alerted: s.lowStockAlerted, emit: false };
}

export type HoldOwnerType = 'cart' | 'sale' | 'live_order';

/** Carts and live orders expire after holdMinutes; an open sale's holds do not. */
export function holdExpiry(ownerType: HoldOwnerType, now: Date, holdMinutes: number): Date | null {
  return ownerType === 'sale' ? null : new Date(now.getTime() + holdMinutes * 60_000);
}

export const isActive = (h: { status: string; expiresAt: Date | null }, now: Date) =>
  h.status === 'active' && (h.expiresAt === null || h.expiresAt.getTime() > now.getTime());

/** A hold may be extended once, by holdMinutes, while it is active and has an expiry. */
export function extendedExpiry(
  h: { status: string; expiresAt: Date | null; extended: boolean },
  now: Date,
  holdMinutes: number,
): Date | null {
  if (!isActive(h, now) || h.expiresAt === null || h.extended) return null;
  return new Date(h.expiresAt.getTime() + holdMinutes * 60_000);
}

/** Change of on-hand a movement may make: never below what is held. */
export function movementAllowed(s: Pick<StockState, 'onHand' | 'held'>, delta: number): boolean {
  return s.onHand + delta >= s.held && s.onHand + delta >= 0;
}
