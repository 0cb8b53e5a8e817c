import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableOf,
  decideHolds,
  extendedExpiry,
  type HoldLine,
  holdExpiry,
  isActive,
  lowStockTransition,
  mergeLines,
  movementAllowed,
  type StockState,
} from './rules.ts';

const PRODUCTS = ['p0', 'p1', 'p2', 'p3'];
/** p4 is never in the stock map: an unknown product. */
const productId = fc.constantFrom(...PRODUCTS, 'p4');
const line = fc.record({ productId, quantity: fc.integer({ min: 1, max: 8 }) });
const request = fc.array(line, { minLength: 1, maxLength: 4 });
const stockState = fc
  .record({ onHand: fc.integer({ min: 0, max: 30 }), heldShare: fc.integer({ min: 0, max: 100 }), lowStockThreshold: fc.integer({ min: 0, max: 10 }) })
  .map(({ onHand, heldShare, lowStockThreshold }) => ({
    onHand,
    held: Math.floor((onHand * heldShare) / 100),
    lowStockThreshold,
    lowStockAlerted: false,
  }));
const stockMap = fc.tuple(...PRODUCTS.map(() => stockState)).map((states) => new Map(PRODUCTS.map((p, i) => [p, states[i]!])));

const clone = (m: Map<string, StockState>) => new Map([...m].map(([k, v]) => [k, { ...v }]));
/** What each product needs, summed over the request's lines. */
const needs = (lines: readonly HoldLine[]) => {
  const n = new Map<string, number>();
  for (const l of lines) n.set(l.productId, (n.get(l.productId) ?? 0) + l.quantity);
  return n;
};

describe('decideHolds', () => {
  it('never grants more than was available at the start, per product', () => {
    fc.assert(
      fc.property(stockMap, fc.array(request, { maxLength: 30 }), (stock, requests) => {
        const start = clone(stock);
        const decisions = decideHolds(stock, requests);
        const granted = new Map<string, number>();
        decisions.forEach((d, i) => {
          if (d.ok) for (const [p, q] of needs(requests[i]!)) granted.set(p, (granted.get(p) ?? 0) + q);
        });
        for (const [p, s] of start) {
          expect(granted.get(p) ?? 0).toBeLessThanOrEqual(availableOf(s));
          expect(stock.get(p)!.held).toBe(s.held + (granted.get(p) ?? 0));
          expect(stock.get(p)!.held).toBeLessThanOrEqual(s.onHand);
          expect(stock.get(p)!.onHand).toBe(s.onHand);
        }
        expect(granted.get('p4')).toBeUndefined();
        expect(stock.has('p4')).toBe(false);
      }),
    );
  });

  it('decides in order, all or nothing: refused only if a line exceeds what is left, and a refusal changes nothing', () => {
    fc.assert(
      fc.property(stockMap, fc.array(request, { maxLength: 30 }), (stock, requests) => {
        // Model: what is left per product, decided request by request.
        const left = new Map([...stock].map(([p, s]) => [p, availableOf(s)]));
        const decisions = decideHolds(clone(stock), requests);
        const live = clone(stock);
        requests.forEach((lines, i) => {
          const need = needs(lines);
          const short = [...need].filter(([p, q]) => q > (left.get(p) ?? 0));
          const d = decisions[i]!;
          expect(d.ok).toBe(short.length === 0);
          if (d.ok) for (const [p, q] of need) left.set(p, left.get(p)! - q);
          else {
            expect(d.shortages).toEqual(short.map(([p, q]) => ({ productId: p, requested: q, available: left.get(p) ?? 0 })));
          }
          // The same request decided alone against the live state: same answer; a refusal leaves it untouched.
          const before = clone(live);
          const [alone] = decideHolds(live, [lines]);
          expect(alone).toEqual(d);
          if (!alone!.ok) expect(live).toEqual(before);
        });
      }),
    );
  });

  it('names each short line once with what was requested and what is available', () => {
    const stock = new Map<string, StockState>([
      ['a', { onHand: 5, held: 3, lowStockThreshold: 0, lowStockAlerted: false }],
      ['b', { onHand: 9, held: 0, lowStockThreshold: 0, lowStockAlerted: false }],
    ]);
    const [d] = decideHolds(stock, [[{ productId: 'a', quantity: 2 }, { productId: 'b', quantity: 4 }, { productId: 'a', quantity: 1 }, { productId: 'x', quantity: 1 }]]);
    expect(d).toEqual({
      ok: false,
      shortages: [
        { productId: 'a', requested: 3, available: 2 },
        { productId: 'x', requested: 1, available: 0 },
      ],
    });
    expect(stock.get('a')!.held).toBe(3);
    expect(stock.get('b')!.held).toBe(0);
  });
});

describe('mergeLines', () => {
  it('sums lines per product, once each, in first-seen order', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const merged = mergeLines(lines);
        const firstSeen = [...new Set(lines.map((l) => l.productId))];
        expect(merged.map((l) => l.productId)).toEqual(firstSeen);
        for (const m of merged) {
          expect(m.quantity).toBe(lines.filter((l) => l.productId === m.productId).reduce((a, l) => a + l.quantity, 0));
        }
      }),
    );
  });
});

describe('lowStockTransition', () => {
  /** Applies a sequence of availabilities; answers how many alerts were emitted. */
  function run(threshold: number, start: number, seq: readonly number[]) {
    let s: StockState = { onHand: start, held: 0, lowStockThreshold: threshold, lowStockAlerted: start <= threshold };
    let emits = 0;
    for (const a of seq) {
      const t = lowStockTransition({ ...s, onHand: a });
      s = { ...s, onHand: a, lowStockAlerted: t.alerted };
      if (t.emit) emits++;
      expect(t.alerted).toBe(a <= threshold);
    }
    return emits;
  }

  it('emits exactly once per crossing from above to at-or-below the threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 20 }), fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 50 }), (threshold, start, seq) => {
        let crossings = 0;
        let prev = start;
        for (const a of seq) {
          if (prev > threshold && a <= threshold) crossings++;
          prev = a;
        }
        expect(run(threshold, start, seq)).toBe(crossings);
      }),
    );
  });

  it('never emits while availability stays low', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 30 }), (threshold, raw) => {
        const seq = raw.map((a) => Math.min(a, threshold));
        expect(run(threshold, threshold, seq)).toBe(0);
      }),
    );
  });

  it('counts held stock: a hold can cross the threshold', () => {
    expect(lowStockTransition({ onHand: 5, held: 3, lowStockThreshold: 2, lowStockAlerted: false })).toEqual({ alerted: true, emit: true });
    expect(lowStockTransition({ onHand: 5, held: 2, lowStockThreshold: 2, lowStockAlerted: true })).toEqual({ alerted: false, emit: false });
  });
});

describe('hold expiry', () => {
  const date = fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true });
  const minutes = fc.integer({ min: 1, max: 1440 });

  it('an open sale never expires; carts and live orders expire holdMinutes from now', () => {
    fc.assert(
      fc.property(date, minutes, (now, m) => {
        expect(holdExpiry('sale', now, m)).toBeNull();
        for (const type of ['cart', 'live_order'] as const) expect(holdExpiry(type, now, m)!.getTime()).toBe(now.getTime() + m * 60_000);
      }),
    );
  });

  it('a hold is active strictly before its expiry and expired exactly at it', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -10_000_000, max: 10_000_000 }), (expiresAt, offsetMs) => {
        const now = new Date(expiresAt.getTime() + offsetMs);
        expect(isActive({ status: 'active', expiresAt }, now)).toBe(offsetMs < 0);
        expect(isActive({ status: 'active', expiresAt: null }, now)).toBe(true);
        for (const status of ['released', 'consumed', 'expired']) {
          expect(isActive({ status, expiresAt: null }, now)).toBe(false);
          expect(isActive({ status, expiresAt: new Date(now.getTime() + 60_000) }, now)).toBe(false);
        }
      }),
    );
    const t = new Date('2030-05-05T10:00:00Z');
    expect(isActive({ status: 'active', expiresAt: t }, new Date(t.getTime() - 1))).toBe(true);
    expect(isActive({ status: 'active', expiresAt: t }, t)).toBe(false);
  });

  it('extends once, by holdMinutes, only while active and expiring', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -10_000_000, max: 10_000_000 }), minutes, (expiresAt, offsetMs, m) => {
        const now = new Date(expiresAt.getTime() + offsetMs);
        const h = { status: 'active', expiresAt, extended: false };
        const next = extendedExpiry(h, now, m);
        if (offsetMs >= 0) expect(next).toBeNull();
        else {
          expect(next!.getTime()).toBe(expiresAt.getTime() + m * 60_000);
          // Extended once: never again, even while still active.
          expect(extendedExpiry({ ...h, expiresAt: next, extended: true }, now, m)).toBeNull();
        }
        expect(extendedExpiry({ ...h, extended: true }, now, m)).toBeNull();
        expect(extendedExpiry({ ...h, expiresAt: null }, now, m)).toBeNull();
        expect(extendedExpiry({ ...h, status: 'released' }, now, m)).toBeNull();
      }),
    );
  });
});

describe('movementAllowed', () => {
  it('allows a change exactly when on-hand stays at or above what is held (and 0)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: -150, max: 150 }), (onHand, heldShare, delta) => {
        const held = Math.floor((onHand * heldShare) / 100);
        expect(movementAllowed({ onHand, held }, delta)).toBe(onHand + delta >= held);
      }),
    );
    expect(movementAllowed({ onHand: 5, held: 2 }, -3)).toBe(true);
    expect(movementAllowed({ onHand: 5, held: 2 }, -4)).toBe(false);
    expect(movementAllowed({ onHand: 0, held: 0 }, -1)).toBe(false);
  });
});
