import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addTransfer,
  type CatalogEntry,
  checklist,
  completionRate,
  holdDiff,
  isComplete,
  isPhone,
  type LiveItem,
  mergeRequests,
  newProducts,
  type OrderSteps,
  paymentOf,
  priceItems,
  receivedOf,
  totalOf,
  underpayment,
  wantedHolds,
} from './rules.ts';

const item = (productId: string, quantity: number, unitPrice: number, kind: 'good' | 'service' = 'good'): LiveItem => ({
  productId, name: productId, kind, quantity, unitPrice, lineTotal: unitPrice * quantity,
});
const empty: OrderSteps = { items: [], transfers: [], deliveryZone: null, customerPhone: null };

describe('checklist and completion rate', () => {
  it('counts a quarter per step, in any combination', () => {
    const steps = fc.record({ products: fc.boolean(), payment: fc.boolean(), delivery: fc.boolean(), phone: fc.boolean() });
    fc.assert(
      fc.property(steps, (s) => {
        const o: OrderSteps = {
          items: s.products ? [item('p', 2, 1000)] : [],
          transfers: s.payment ? [{ reference: 'MM1', amount: 2000 }] : [],
          deliveryZone: s.delivery ? 'Cocody' : null,
          customerPhone: s.phone ? '+2250700000001' : null,
        };
        const c = checklist(o);
        // Payment counts only with lines to pay for.
        expect(c).toEqual({ products: s.products, payment: s.payment && s.products, delivery: s.delivery, phone: s.phone });
        expect(completionRate(c)).toBe([c.products, c.payment, c.delivery, c.phone].filter(Boolean).length * 25);
        expect(isComplete(c)).toBe(completionRate(c) === 100);
      }),
    );
  });

  it('payment counts only when everything received covers the total', () => {
    const base = { ...empty, items: [item('p', 3, 1000)] };
    expect(checklist({ ...base, transfers: [{ reference: 'a', amount: 2999 }] }).payment).toBe(false);
    expect(checklist({ ...base, transfers: [{ reference: 'a', amount: 3000 }] }).payment).toBe(true);
    expect(checklist({ ...base, transfers: [{ reference: 'a', amount: 2000 }, { reference: 'b', amount: 1000 }] }).payment).toBe(true);
    expect(checklist({ ...base, transfers: [{ reference: 'a', amount: 5000 }] }).payment).toBe(true);
    // Lines added later raise the total above what was received: incomplete again.
    expect(checklist({ ...base, items: [item('p', 4, 1000)], transfers: [{ reference: 'a', amount: 3000 }] }).payment).toBe(false);
    // Nothing to pay: a payment alone is not a paid order.
    expect(checklist({ ...empty, transfers: [{ reference: 'a', amount: 3000 }] }).payment).toBe(false);
    expect(checklist({ ...empty, items: [item('free', 1, 0)], transfers: [{ reference: 'a', amount: 1 }] }).payment).toBe(false);
    expect(completionRate(checklist(empty))).toBe(0);
  });
});

describe('lines', () => {
  it('merges a product named twice, keeping first-seen order', () => {
    expect(mergeRequests([{ productId: 'b', quantity: 1 }, { productId: 'a', quantity: 2 }, { productId: 'b', quantity: 3 }])).toEqual([
      { productId: 'b', quantity: 4 },
      { productId: 'a', quantity: 2 },
    ]);
  });

  it('prices new products from the catalog and keeps the price a product entered the order at', () => {
    const catalog = new Map<string, CatalogEntry>([
      ['a', { name: 'Savon', price: 1500, kind: 'good' }],
      ['b', { name: 'Coupe', price: 5000, kind: 'service' }],
    ]);
    const first = priceItems([{ productId: 'a', quantity: 2 }], [], catalog);
    expect(first).toEqual({ ok: true, items: [{ productId: 'a', name: 'Savon', kind: 'good', quantity: 2, unitPrice: 1500, lineTotal: 3000 }] });
    if (!first.ok) throw new Error('unreachable');
    // The catalog price changed meanwhile: Savon stays at 1500 for this order.
    const later = new Map(catalog).set('a', { name: 'Savon bio', price: 9999, kind: 'good' });
    const second = priceItems([{ productId: 'a', quantity: 3 }, { productId: 'b', quantity: 1 }], first.items, later);
    expect(second.ok && second.items.map((i) => [i.productId, i.name, i.unitPrice, i.lineTotal])).toEqual([
      ['a', 'Savon', 1500, 4500],
      ['b', 'Coupe', 5000, 5000],
    ]);
    expect(priceItems([{ productId: 'zz', quantity: 1 }], [], catalog)).toEqual({ ok: false, unknown: 'zz' });
    expect(newProducts([{ productId: 'a', quantity: 1 }, { productId: 'c', quantity: 1 }, { productId: 'c', quantity: 2 }], first.items)).toEqual(['c']);
  });

  it('holds cover goods only; the diff names exactly the products whose held quantity is wrong', () => {
    const items = [item('a', 2, 100), item('s', 1, 500, 'service'), item('b', 1, 100)];
    expect(wantedHolds(items)).toEqual(new Map([['a', 2], ['b', 1]]));
    const qty = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 1, max: 5 }));
    fc.assert(
      fc.property(qty, qty, (h, w) => {
        const held = new Map(Object.entries(h));
        const wanted = new Map(Object.entries(w));
        const diff = holdDiff(held, wanted);
        for (const id of ['a', 'b', 'c', 'd']) expect(diff.includes(id)).toBe((held.get(id) ?? 0) !== (wanted.get(id) ?? 0));
        expect(diff).toEqual([...diff].sort());
      }),
    );
    expect(totalOf(items)).toBe(200 + 500 + 100);
  });
});

describe('payment', () => {
  it('the same reference replaces its report, another reference tops up', () => {
    let t = addTransfer([], { reference: 'MM1', amount: 8000 });
    t = addTransfer(t, { reference: 'MM1', amount: 8000 });
    expect(receivedOf(t)).toBe(8000);
    t = addTransfer(t, { reference: 'MM2', amount: 2000 });
    expect(receivedOf(t)).toBe(10_000);
    t = addTransfer(t, { reference: 'MM1', amount: 7000 });
    expect(t).toEqual([{ reference: 'MM1', amount: 7000 }, { reference: 'MM2', amount: 2000 }]);
    expect(paymentOf(t)).toEqual({ reference: 'MM1, MM2', received: 9000 });
    expect(paymentOf([])).toBeNull();
  });

  it('reports an underpayment only when the payment or the lines changed and the total is not covered', () => {
    const o: OrderSteps = { ...empty, items: [item('p', 2, 5000)], transfers: [{ reference: 'a', amount: 8000 }] };
    expect(underpayment(o, { payment: true, items: false })).toEqual({ received: 8000, due: 10_000 });
    expect(underpayment(o, { payment: false, items: true })).toEqual({ received: 8000, due: 10_000 });
    expect(underpayment(o, { payment: false, items: false })).toBeNull();
    expect(underpayment({ ...o, transfers: [{ reference: 'a', amount: 10_000 }] }, { payment: true, items: false })).toBeNull();
    expect(underpayment({ ...o, items: [] }, { payment: true, items: false })).toBeNull();
    expect(underpayment({ ...o, transfers: [] }, { payment: false, items: true })).toBeNull();
  });
});

describe('phone', () => {
  it('accepts numbers a courier can call and refuses the rest', () => {
    for (const ok of ['+225 07 00 00 00 01', '0700000001', '(01) 23-45.67', '123456']) expect(isPhone(ok), ok).toBe(true);
    for (const bad of ['12345', 'call me', '+225 07 abc', '', '1234567890123456', '++2250700']) expect(isPhone(bad), bad).toBe(false);
  });
});
