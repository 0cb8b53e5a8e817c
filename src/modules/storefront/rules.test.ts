import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAdd, decideSet, type Line, revalidate } from './rules.ts';

// The cart rules against any availability: never more than available, removed at 0,
// and every change named with its product, level and code.
const product = fc.record({ productId: fc.uuid(), name: fc.string({ minLength: 1, maxLength: 20 }) });
const qty = fc.integer({ min: 1, max: 1000 });
const stock = fc.integer({ min: -5, max: 1000 });
const cart = fc.uniqueArray(fc.record({ productId: fc.uuid(), name: fc.string({ maxLength: 10 }), quantity: qty }), { selector: (l) => l.productId, maxLength: 8 });
const about = (p: { productId: string; name: string }) => ({ productId: p.productId, name: p.name });

describe('decideAdd', () => {
  it('all of it or refused with the reason, never beyond what is available', () => {
    fc.assert(
      fc.property(product, fc.integer({ min: 0, max: 1000 }), qty, stock, (p, inCart, requested, available) => {
        const out = decideAdd(p, inCart, requested, available);
        expect(out.message.params).toMatchObject(about(p));
        if (out.ok) {
          expect(out.quantity).toBe(inCart + requested);
          expect(out.quantity).toBeLessThanOrEqual(available);
          expect(out.message).toMatchObject({ level: 'success', code: 'added', params: { quantity: requested } });
        } else if (available <= 0) expect(out.message).toMatchObject({ level: 'warning', code: 'out_of_stock' });
        else if (inCart >= available) expect(out.message).toMatchObject({ level: 'warning', code: 'cannot_add_more', params: { available } });
        else {
          expect(inCart + requested).toBeGreaterThan(available);
          expect(out.message).toEqual({ level: 'error', code: 'insufficient_stock', params: { ...about(p), available, requested: inCart + requested } });
        }
        expect(out.ok).toBe(available > 0 && inCart + requested <= available);
      }),
    );
  });
});

describe('decideSet', () => {
  it('trimmed to what is available with a warning, removed at 0', () => {
    fc.assert(
      fc.property(product, fc.integer({ min: 0, max: 1000 }), stock, (p, quantity, available) => {
        const out = decideSet(p, quantity, available);
        expect(out.quantity).toBeGreaterThanOrEqual(0);
        expect(out.quantity).toBeLessThanOrEqual(Math.max(0, Math.min(quantity, available)));
        expect(out.message.params).toMatchObject(about(p));
        if (quantity === 0) expect(out).toMatchObject({ quantity: 0, message: { level: 'success', code: 'quantity_updated' } });
        else if (available <= 0) expect(out).toMatchObject({ quantity: 0, message: { level: 'warning', code: 'removed_out_of_stock' } });
        else if (quantity > available) {
          expect(out).toEqual({ quantity: available, message: { level: 'warning', code: 'quantity_adjusted', params: { ...about(p), available, requested: quantity } } });
        } else expect(out).toMatchObject({ quantity, message: { level: 'success', code: 'quantity_updated', params: { quantity } } });
      }),
    );
  });
});

/** A cart and availability for each of its lines (some short, some gone, some plenty). */
const cartWithStock = cart.chain((lines) =>
  fc.tuple(fc.constant(lines as Line[]), fc.tuple(...lines.map(() => stock)).map((a) => new Map(lines.map((l, i) => [l.productId, a[i]!])))),
);

describe('revalidate', () => {
  it('never keeps more than available; each change is named once with its level and code', () => {
    fc.assert(
      fc.property(cartWithStock, ([lines, available]) => {
        const out = revalidate(lines, available);
        for (const l of out.lines) {
          expect(l.quantity).toBeGreaterThan(0);
          expect(l.quantity).toBeLessThanOrEqual(available.get(l.productId)!);
        }
        const expected = lines.flatMap((l) => {
          const a = Math.max(0, available.get(l.productId)!);
          if (a === 0) return [{ level: 'warning', code: 'removed_out_of_stock', params: about(l) }];
          if (l.quantity > a) return [{ level: 'warning', code: 'quantity_adjusted', params: { ...about(l), available: a, requested: l.quantity } }];
          return [];
        });
        if (lines.length && !out.lines.length) expected.push({ level: 'error', code: 'cart_empty_after_adjustments', params: {} as never });
        expect(out.messages).toEqual(expected);
        expect(out.changed).toBe(expected.length > 0);
        expect(out.lines.map((l) => l.productId)).toEqual(lines.filter((l) => available.get(l.productId)! > 0).map((l) => l.productId));
      }),
    );
  });

  it('an unchanged cart says nothing; re-validating the result again changes nothing', () => {
    fc.assert(
      fc.property(cart, fc.nat(50), (lines, extra) => {
        const plenty = new Map(lines.map((l) => [l.productId, l.quantity + extra]));
        expect(revalidate(lines, plenty)).toEqual({ lines, messages: [], changed: false });
      }),
    );
    fc.assert(
      fc.property(cartWithStock, ([lines, available]) => {
        const once = revalidate(lines, available);
        const twice = revalidate(once.lines, available);
        if (once.lines.length) expect(twice).toEqual({ lines: once.lines, messages: [], changed: false });
      }),
    );
  });

  it('an emptied cart gets cart_empty_after_adjustments; an empty cart says nothing', () => {
    fc.assert(
      fc.property(cart.filter((l) => l.length > 0), fc.integer({ min: -5, max: 0 }), (lines, gone) => {
        const out = revalidate(lines, new Map(lines.map((l) => [l.productId, gone])));
        expect(out.lines).toEqual([]);
        expect(out.messages.at(-1)).toEqual({ level: 'error', code: 'cart_empty_after_adjustments', params: {} });
        expect(out.messages.filter((m) => m.code === 'removed_out_of_stock')).toHaveLength(lines.length);
      }),
    );
    expect(revalidate([], new Map())).toEqual({ lines: [], messages: [], changed: false });
  });
});
