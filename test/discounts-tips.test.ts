import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { receiptHtml, receiptText, type ReceiptContent } from '../src/modules/payments/receipts.ts';
import { checkPayment, discountAmount, needsApproval, priceSale, spreadDiscount, taxBreakdown } from '../src/modules/sales/rules.ts';
import { setPin } from '../src/modules/tenancy/index.ts';
import { inTransaction } from '../src/platform/db/tx.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { eventsOf, expectLedgerConsistent, stockedProduct } from './support/catalog-helpers.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff } from './support/factories.ts';

// Discounts (line and whole sale, amount or percentage, manager approval above the
// company's limit) and tips (outside the total), by hand and as properties.

describe('discount math', () => {
  const rate = fc.constantFrom(0, 550, 1000, 1800, 2000, 10000);
  const spec = fc.option(fc.oneof(
    fc.record({ kind: fc.constant('amount' as const), value: fc.integer({ min: 1, max: 20_000_000 }) }),
    fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 1, max: 10000 }) }),
  ), { nil: null });
  const line = fc.record({ unitPrice: fc.integer({ min: 0, max: 1_000_000 }), quantity: fc.integer({ min: 1, max: 50 }), taxRate: rate, discount: spec });
  const lines = fc.array(line, { maxLength: 20 });

  it('spreadDiscount: shares add up to the discount, stay within each line, floor of pro rata or more; the remainder on the largest line', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), (amounts, f) => {
        const total = amounts.reduce((a, b) => a + b, 0);
        const d = Math.floor(total * f);
        const shares = spreadDiscount(amounts, d);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(d);
        shares.forEach((s, i) => {
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(amounts[i]!);
          if (total > 0) expect(BigInt(s) * BigInt(total)).toBeGreaterThanOrEqual(BigInt(amounts[i]!) * BigInt(d) - BigInt(total) + 1n);
        });
        // Only the largest line takes more than its floor, unless it had nothing left to take.
        if (total > 0) {
          const floors = amounts.map((a) => Number((BigInt(a) * BigInt(d)) / BigInt(total)));
          const largest = amounts.indexOf(Math.max(...amounts));
          const extra = shares.map((s, i) => s - floors[i]!);
          if (shares[largest]! < amounts[largest]!) expect(extra.filter((e, i) => i !== largest && e !== 0)).toEqual([]);
        }
      }),
    );
  });

  it('spreadDiscount examples: 1000 over 11800 and 3960 → 749 + 251; [1, 1, 1] less 2 never goes negative; nothing to spread → zeros', () => {
    expect(spreadDiscount([11800, 3960], 1000)).toEqual([749, 251]);
    expect(spreadDiscount([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(spreadDiscount([500, 0], 0)).toEqual([0, 0]);
    expect(spreadDiscount([0, 0], 0)).toEqual([0, 0]);
    expect(() => spreadDiscount([10], 11)).toThrow(RangeError);
  });

  it('discountAmount: a percentage rounds half up, an amount is capped by its base; needsApproval is strictly above the limit', () => {
    expect(discountAmount({ kind: 'percent', value: 1000 }, 4400)).toBe(440);
    expect(discountAmount({ kind: 'percent', value: 1250 }, 4)).toBe(1); // 0.5 → 1
    expect(discountAmount({ kind: 'percent', value: 1000 }, 4)).toBe(0); // 0.4 → 0
    expect(discountAmount({ kind: 'percent', value: 10000 }, 777)).toBe(777);
    expect(discountAmount({ kind: 'amount', value: 500 }, 300)).toBe(300);
    expect(needsApproval(880, 4400, 20)).toBe(false); // exactly 20 %
    expect(needsApproval(881, 4400, 20)).toBe(true);
    expect(needsApproval(1, 100, 0)).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 10000 }), (base, bp) => {
        const a = discountAmount({ kind: 'percent', value: bp }, base);
        // |2·a·10000 − 2·base·bp| ≤ 10000, ties up.
        const diff = 2n * BigInt(a) * 10000n - 2n * BigInt(base) * BigInt(bp);
        expect(diff <= 10000n && diff > -10000n).toBe(true);
      }),
    );
  });

  it('priceSale: HT + TVA = TTC = total = Σ net; discounts add up; no line below zero; no discount = the plain breakdown', () => {
    fc.assert(
      fc.property(lines, spec, (ls, saleSpec) => {
        const p = priceSale(ls, saleSpec);
        expect(p.totals.ht + p.totals.tva).toBe(p.totals.ttc);
        expect(p.totals.ttc).toBe(p.total);
        for (const r of p.totals.byRate) expect(r.ht + r.tva).toBe(r.ttc);
        expect(p.lines.reduce((a, l) => a + l.net, 0)).toBe(p.total);
        const gross = ls.reduce((a, l) => a + l.unitPrice * l.quantity, 0);
        expect(p.total).toBe(gross - p.discountTotal);
        expect(p.discountTotal).toBe(p.lines.reduce((a, l) => a + l.discount, 0) + p.saleDiscount);
        expect(p.lines.reduce((a, l) => a + l.share, 0)).toBe(p.saleDiscount);
        expect(p.subtotal - p.saleDiscount).toBe(p.total);
        for (const l of p.lines) {
          expect(l.net).toBeGreaterThanOrEqual(0);
          expect(l.lineTotal).toBe(l.gross - l.discount);
          expect(l.share).toBeLessThanOrEqual(l.lineTotal);
        }
        const plain = ls.map(({ unitPrice, quantity, taxRate }) => ({ unitPrice, quantity, taxRate }));
        expect(priceSale(plain).totals).toEqual(taxBreakdown(plain));
      }),
    );
  });

  it('priceSale by hand: 1 × 11800 (18 %) + 2 × 2200 (10 %, less 10 %), whole sale less 1000', () => {
    const p = priceSale(
      [
        { unitPrice: 11800, quantity: 1, taxRate: 1800 },
        { unitPrice: 2200, quantity: 2, taxRate: 1000, discount: { kind: 'percent', value: 1000 } },
      ],
      { kind: 'amount', value: 1000 },
    );
    // Lines 11800 and 4400 − 440 = 3960; 1000 spread: 748.7 → 748 (+1 remainder, largest) = 749 and 251.
    expect(p.lines).toEqual([
      { gross: 11800, discount: 0, lineTotal: 11800, share: 749, net: 11051 },
      { gross: 4400, discount: 440, lineTotal: 3960, share: 251, net: 3709 },
    ]);
    expect(p).toMatchObject({ subtotal: 15760, saleDiscount: 1000, discountTotal: 1440, total: 14760 });
    // 3709 / 1.10 = 3371.8 → 3372; 11051 / 1.18 = 9365.25 → 9365.
    expect(p.totals).toEqual({
      ttc: 14760,
      ht: 12737,
      tva: 2023,
      byRate: [
        { rate: 1000, ttc: 3709, ht: 3372, tva: 337 },
        { rate: 1800, ttc: 11051, ht: 9365, tva: 1686 },
      ],
    });
  });

  it('checkPayment with a tip: cash tendered covers amount + tip, the change is what is left; the tip never counts toward the due', () => {
    expect(checkPayment({ method: 'cash', amount: 3000, tip: 500, tendered: 5000 }, 3000)).toEqual({ ok: true, change: 1500, completes: true });
    expect(checkPayment({ method: 'cash', amount: 3000, tip: 500 }, 3000)).toEqual({ ok: true, change: 0, completes: true });
    expect(checkPayment({ method: 'cash', amount: 3000, tip: 500, tendered: 3400 }, 3000)).toMatchObject({ ok: false, field: 'tendered' });
    expect(checkPayment({ method: 'card', amount: 3000, tip: 500, reference: 'T' }, 2999)).toMatchObject({ ok: false, code: 'payment.exceeds_due' });
    expect(checkPayment({ method: 'card', amount: 1000, tip: 500, reference: 'T' }, 3000)).toEqual({ ok: true, change: 0, completes: false });
  });

  it('receipts show line and sale discounts and tips', () => {
    const r: ReceiptContent = {
      reference: 'V-000042',
      business: { name: 'Chez Awa', address: null },
      lines: [{ name: 'Jus', quantity: 2, unitPrice: 2200, total: 3960, discount: 440, discountReason: 'Happy hour' }],
      discount: { amount: 1000, reason: 'Fidélité' },
      discountTotal: 1440,
      taxes: [{ rate: 1000, base: 2691, tax: 269 }],
      total: 2960,
      currency: 'XOF',
      payments: [{ method: 'card', amount: 2960, tip: 500 }],
      tips: 500,
      method: 'card',
      paidAt: '2026-11-21T10:00:00.000Z',
      paidAtLocal: '21/11/2026 10:00',
      timeZone: 'Africa/Abidjan',
      clientName: null,
    };
    const text = receiptText(r);
    expect(text).toContain('Remise / Discount (Happy hour) : −440');
    expect(text).toContain('Remise / Discount (Fidélité) : −1');
    expect(text).toMatch(/Carte \/ Card : 2\s960\sF\sCFA \+ pourboire \/ tip 500\sF\sCFA/);
    const html = receiptHtml(r);
    expect(html).toContain('Remise / Discount (Happy hour)');
    expect(html).toContain('Pourboire / Tip');
  });
});

let a: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  a = await startTestApp(db.url);
});
afterEach(async () => expectLedgerConsistent(a.db.pool));
afterAll(async () => {
  await a?.stop();
  await drop();
});

/** A company with staff, a dish at 11800 (18 %) and a juice at 2200 (10 %). */
async function shop() {
  const s = await companyWithStaff(a.app);
  const base = `/api/v1/companies/${s.company.id}`;
  const c = s.owner.client;
  const dish = await stockedProduct(c, s.company.id, 50, { name: 'Plat', price: 11800, taxRate: 1800 });
  const juice = await stockedProduct(c, s.company.id, 50, { name: 'Jus', price: 2200, taxRate: 1000 });
  const cashier = s.members.cashier.client;
  const open = async (items: Array<[string, number]>, extra: Record<string, unknown> = {}) => {
    const res = await cashier.post(`${base}/sales`, { channel: 'counter', items: items.map(([productId, quantity]) => ({ productId, quantity })), ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; items: Array<{ id: string; productId: string }> };
  };
  const pin = (userId: string, value: string) =>
    inTransaction(a.db, { kind: 'company', companyId: s.company.id }, (tx) =>
      setPin({ companyId: s.company.id, actor: { type: 'system' }, clock: a.clock, tx }, userId, value),
    );
  return { ...s, base, c, dish, juice, cashier, open, pin };
}

describe('discounts over HTTP', () => {
  it('a line and a whole-sale discount: lines, totals, taxes and the due follow; events say so; removing them restores the sale', async () => {
    const s = await shop();
    const sale = await s.open([[s.dish.id, 1], [s.juice.id, 2]]);
    const juiceLine = sale.items.find((i) => i.productId === s.juice.id)!.id;
    const url = `${s.base}/sales/${sale.id}`;

    const line = await s.cashier.post(`${url}/items/${juiceLine}/discount`, { kind: 'percent', value: 1000, reason: 'Happy hour' });
    expect(line.status, JSON.stringify(line.body)).toBe(200);
    expect(line.body.items.find((i: { id: string }) => i.id === juiceLine)).toMatchObject({
      lineTotal: 3960,
      netTotal: 3960,
      discount: { kind: 'percent', value: 1000, amount: 440, reason: 'Happy hour', approvedBy: null },
    });
    expect(line.body).toMatchObject({ discountTotal: 440, due: 15760, discount: null, totals: { ttc: 15760 } });

    const whole = await s.cashier.post(`${url}/discount`, { kind: 'amount', value: 1000, reason: 'Fidélité' });
    expect(whole.status, JSON.stringify(whole.body)).toBe(200);
    expect(whole.body).toMatchObject({
      discount: { kind: 'amount', value: 1000, amount: 1000, reason: 'Fidélité', approvedBy: null },
      discountTotal: 1440,
      due: 14760,
      paid: 0,
      totals: {
        ttc: 14760,
        ht: 12737,
        tva: 2023,
        byRate: [
          { rate: 1000, ttc: 3709, ht: 3372, tva: 337 },
          { rate: 1800, ttc: 11051, ht: 9365, tva: 1686 },
        ],
      },
    });
    const byProduct = (id: string) => whole.body.items.find((i: { productId: string }) => i.productId === id);
    expect(byProduct(s.dish.id)).toMatchObject({ lineTotal: 11800, netTotal: 11051, discount: null });
    expect(byProduct(s.juice.id)).toMatchObject({ lineTotal: 3960, netTotal: 3709 });
    const { rows } = await a.db.pool.query('SELECT total, discount_amount, discount_total FROM sales WHERE id = $1', [sale.id]);
    expect(rows[0]).toEqual({ total: 14760, discount_amount: 1000, discount_total: 1440 });

    const events = await eventsOf(a.db.pool, s.company.id, 'discount_applied');
    expect(events.map((e) => e.data)).toEqual([
      { saleId: sale.id, itemId: juiceLine, amount: 440, currency: 'XOF', kind: 'percent', value: 1000, reason: 'Happy hour' },
      { saleId: sale.id, amount: 1000, currency: 'XOF', kind: 'amount', value: 1000, reason: 'Fidélité' },
    ]);

    // A percentage of the sale follows the lines; an item added later is discounted too.
    const pct = await s.cashier.post(`${url}/discount`, { kind: 'percent', value: 500, reason: 'Groupe' });
    expect(pct.body).toMatchObject({ discount: { amount: 788 }, due: 15760 - 788 }); // 5 % of 15760
    const more = await s.cashier.post(`${url}/items`, { productId: s.juice.id, quantity: 1 });
    expect(more.body).toMatchObject({ discount: { amount: 898 }, due: 17960 - 898 }); // 5 % of 17960

    expect((await s.cashier.delete(`${url}/discount`)).body).toMatchObject({ discount: null, discountTotal: 440, due: 17960 });
    const back = await s.cashier.delete(`${url}/items/${juiceLine}/discount`);
    expect(back.body).toMatchObject({ discountTotal: 0, due: 18400, totals: { ttc: 18400 } });
    expect(back.body.items.every((i: { discount: unknown }) => i.discount === null)).toBe(true);
  });

  it('above the limit: 403 approval_required, a wrong or non-manager PIN refused, a manager PIN approves (recorded); a manager needs none; the limit is a setting', async () => {
    const s = await shop();
    await s.pin(s.members.manager.userId, '4821');
    await s.pin(s.members.server.userId, '1357');
    const sale = await s.open([[s.juice.id, 2]]); // 4400
    const lineUrl = `${s.base}/sales/${sale.id}/items/${sale.items[0]!.id}/discount`;

    // Exactly 20 % needs nobody.
    expect((await s.cashier.post(lineUrl, { kind: 'amount', value: 880, reason: 'Geste' })).status).toBe(200);
    const over = await s.cashier.post(lineUrl, { kind: 'percent', value: 2500, reason: 'Geste' });
    expect(over.status).toBe(403);
    expect(over.body).toMatchObject({ code: 'discount.approval_required', params: { limitPercent: 20 } });
    const wrong = await s.cashier.post(lineUrl, { kind: 'percent', value: 2500, reason: 'Geste', managerPin: '0000' });
    expect([wrong.status, wrong.body.code]).toEqual([403, 'discount.approval_refused']);
    const notManager = await s.cashier.post(lineUrl, { kind: 'percent', value: 2500, reason: 'Geste', managerPin: '1357' });
    expect([notManager.status, notManager.body.code]).toEqual([403, 'discount.approval_refused']);
    // Nothing changed on refusal.
    expect((await s.cashier.get(`${s.base}/sales/${sale.id}`)).body.items[0].discount).toMatchObject({ amount: 880 });

    const approved = await s.cashier.post(lineUrl, { kind: 'percent', value: 2500, reason: 'Geste', managerPin: '4821' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.items[0].discount).toMatchObject({ amount: 1100, approvedBy: { userId: s.members.manager.userId, name: 'manager' } });
    const { rows } = await a.db.pool.query('SELECT discount_approved_by FROM sale_items WHERE id = $1', [sale.items[0]!.id]);
    expect(rows[0].discount_approved_by).toBe(s.members.manager.userId);
    const last = (await eventsOf(a.db.pool, s.company.id, 'discount_applied')).at(-1)!;
    expect(last.data).toMatchObject({ saleId: sale.id, itemId: sale.items[0]!.id, amount: 1100, approvedBy: s.members.manager.userId });

    // Whole sale: the base is the sale before its discount (here 4400 − 1100 = 3300).
    const saleUrl = `${s.base}/sales/${sale.id}/discount`;
    expect((await s.cashier.post(saleUrl, { kind: 'amount', value: 661, reason: 'Geste' })).body.code).toBe('discount.approval_required');
    expect((await s.cashier.post(saleUrl, { kind: 'amount', value: 660, reason: 'Geste' })).status).toBe(200);
    // A manager applying it is the approver.
    const byManager = await s.members.manager.client.post(saleUrl, { kind: 'percent', value: 5000, reason: 'Patron' });
    expect(byManager.status, JSON.stringify(byManager.body)).toBe(200);
    expect(byManager.body.discount).toMatchObject({ amount: 1650, approvedBy: { userId: s.members.manager.userId } });

    const patched = await s.c.patch(`/api/v1/companies/${s.company.id}`, { settings: { discountApprovalPercent: 60 } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const fine = await s.cashier.post(saleUrl, { kind: 'percent', value: 6000, reason: 'Soldes' });
    expect(fine.status, JSON.stringify(fine.body)).toBe(200);
    expect(fine.body.discount).toMatchObject({ amount: 1980, approvedBy: null });
  });

  it('refusals: bad values (400), unknown line (404), not below what was paid (409), only open sales (409)', async () => {
    const s = await shop();
    const sale = await s.open([[s.juice.id, 1]]); // 2200
    const url = `${s.base}/sales/${sale.id}`;
    const item = sale.items[0]!.id;
    const bad = [
      { kind: 'percent', value: 10001, reason: 'x' },
      { kind: 'amount', value: 0, reason: 'x' },
      { kind: 'amount', value: 2201, reason: 'x' },
      { kind: 'amount', value: 100, reason: '  ' },
      { kind: 'other', value: 100, reason: 'x' },
      { kind: 'percent', value: 1, reason: 'x' }, // 0.01 % of 2200 rounds to nothing
    ];
    for (const body of bad) expect((await s.cashier.post(`${url}/items/${item}/discount`, body)).status, JSON.stringify(body)).toBe(400);
    expect((await s.cashier.post(`${url}/items/${randomUUID()}/discount`, { kind: 'amount', value: 1, reason: 'x' })).status).toBe(404);
    expect((await s.cashier.delete(`${url}/items/${randomUUID()}/discount`)).status).toBe(404);

    expect((await s.cashier.post(`${url}/payments`, { method: 'card', amount: 2000, reference: 'TPE-1' })).status).toBe(201);
    const below = await s.cashier.post(`${url}/discount`, { kind: 'amount', value: 201, reason: 'Geste' });
    expect(below.status).toBe(409);
    expect(below.body).toMatchObject({ code: 'discount.below_paid', params: { paid: 2000, total: 1999 } });
    // Down to exactly what was paid: nothing is due, the sale closes without another payment.
    const exact = await s.cashier.post(`${url}/discount`, { kind: 'amount', value: 200, reason: 'Geste' });
    expect(exact.body).toMatchObject({ status: 'open', due: 0, paid: 2000 });
    const done = await s.cashier.post(`${url}/complete`);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: 'paid', due: 0 });
    expect((await s.cashier.post(`${url}/discount`, { kind: 'amount', value: 1, reason: 'x' })).body.code).toBe('sale.illegal_transition');
    expect((await s.cashier.delete(`${url}/discount`)).body.code).toBe('sale.illegal_transition');
    expect((await s.c.get(`${s.base}/products/${s.juice.id}`)).body).toMatchObject({ onHand: 49, held: 0 });
  });

  it('offered in full: 100 % with approval, then completed with nothing paid; complete refuses while something is due', async () => {
    const s = await shop();
    await s.pin(s.members.owner.userId, '246810');
    const sale = await s.open([[s.dish.id, 1]]);
    const url = `${s.base}/sales/${sale.id}`;
    const early = await s.cashier.post(`${url}/complete`);
    expect(early.body).toMatchObject({ status: 409, code: 'sale.amount_due', params: { due: 11800 } });
    const offered = await s.cashier.post(`${url}/discount`, { kind: 'percent', value: 10000, reason: 'Offert', managerPin: '246810' });
    expect(offered.body).toMatchObject({ due: 0, totals: { ttc: 0, ht: 0, tva: 0 }, discount: { amount: 11800, approvedBy: { userId: s.members.owner.userId } } });
    expect((await s.cashier.post(`${url}/complete`)).body).toMatchObject({ status: 'paid', paid: 0, payments: [] });
    expect((await s.c.get(`${s.base}/products/${s.dish.id}`)).body).toMatchObject({ onHand: 49, held: 0 });
  });

  it('refunds follow the discounted prices and never exceed what was paid (tips excluded)', async () => {
    const s = await shop();
    const sale = await s.open([[s.dish.id, 1], [s.juice.id, 3]]); // 11800 + 6600
    const url = `${s.base}/sales/${sale.id}`;
    const juice = sale.items.find((i) => i.productId === s.juice.id)!.id;
    await s.cashier.post(`${url}/items/${juice}/discount`, { kind: 'amount', value: 600, reason: 'Lot' }); // 6000
    const paid = await s.cashier.post(`${url}/payments`, { method: 'card', amount: 17800, tip: 1000, reference: 'TPE-7' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.sale).toMatchObject({ status: 'paid', paid: 17800, tips: 1000 });
    const two = await s.cashier.post(`${url}/refunds`, { items: [{ itemId: juice, quantity: 2 }], reason: 'Renversé', restock: false });
    expect(two.status, JSON.stringify(two.body)).toBe(201);
    expect(two.body.amount).toBe(4000); // 2 of 3 at 6000 for the line
    const tooMuch = await s.cashier.post(`${url}/refunds`, { amount: 13801, reason: 'Tout', restock: false });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ code: 'refund.exceeds_paid', params: { refundable: 13800 } });
  });
});

describe('tips', () => {
  it('cash: tendered covers amount + tip, change is the rest, the tip is the server’s and lands in expected cash, outside the total and revenue', async () => {
    const s = await shop();
    const sid = (await s.cashier.post(`${s.base}/cash-sessions`, { register: 'Caisse', openingFloat: 10000 })).body.id as string;
    const sale = await s.open([[s.juice.id, 1]], { serverId: s.members.server.userId }); // 2200
    const url = `${s.base}/sales/${sale.id}/payments`;
    const short = await s.cashier.post(url, { method: 'cash', amount: 2200, tip: 300, tendered: 2400, cashSessionId: sid });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([{ field: 'tendered', code: 'too_small' }]);
    const res = await s.cashier.post(url, { method: 'cash', amount: 2200, tip: 300, tendered: 5000, cashSessionId: sid });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.change).toBe(2500);
    expect(res.body.payment).toMatchObject({ amount: 2200, tip: 300, tendered: 5000, change: 2500, serverId: s.members.server.userId });
    expect(res.body.sale).toMatchObject({ status: 'paid', paid: 2200, due: 0, tips: 300, totals: { ttc: 2200 } });
    expect((await s.cashier.get(`${s.base}/cash-sessions/${sid}`)).body).toMatchObject({ cashIn: 5000, changeGiven: 2500, expectedCash: 12500 });
    const { rows } = await a.db.pool.query('SELECT amount, tip FROM payments WHERE sale_id = $1', [sale.id]);
    expect(rows).toEqual([{ amount: 2200, tip: 300 }]);
    const { rows: sales } = await a.db.pool.query('SELECT total, paid FROM sales WHERE id = $1', [sale.id]);
    expect(sales[0]).toEqual({ total: 2200, paid: 2200 });
    // The dashboard's revenue leaves the tip out.
    const dashboard = await s.c.get(`${s.base}/dashboard`);
    expect(dashboard.status, JSON.stringify(dashboard.body)).toBe(200);
    expect(dashboard.body).toMatchObject({ payments: { revenue: 2200 }, sales: { count: 1, revenue: 2200 } });
  });

  it('card and mobile money take a tip too; with no server on the sale the tip is whoever took the payment; a tip is never negative', async () => {
    const s = await shop();
    const sale = await s.open([[s.juice.id, 2]]); // 4400, no server
    const url = `${s.base}/sales/${sale.id}/payments`;
    expect((await s.cashier.post(url, { method: 'card', amount: 1000, tip: -1, reference: 'T' })).status).toBe(400);
    const card = await s.cashier.post(url, { method: 'card', amount: 2400, tip: 200, reference: 'TPE-1' });
    expect(card.body.payment).toMatchObject({ tip: 200, serverId: s.members.cashier.userId });
    const momo = await s.members.manager.client.post(url, { method: 'mobile_money', amount: 2000, tip: 100, reference: 'OM-1' });
    expect(momo.body.payment).toMatchObject({ tip: 100, serverId: s.members.manager.userId });
    expect(momo.body.sale).toMatchObject({ status: 'paid', paid: 4400, tips: 300 });
    expect(momo.body.sale.payments.map((p: { tip: number; serverId: string | null }) => [p.tip, p.serverId])).toEqual([
      [200, s.members.cashier.userId],
      [100, s.members.manager.userId],
    ]);
    // Without a tip, no one is recorded.
    const plain = await s.open([[s.juice.id, 1]]);
    const p = await s.cashier.post(`${s.base}/sales/${plain.id}/payments`, { method: 'card', amount: 2200, reference: 'TPE-2' });
    expect(p.body.payment).toMatchObject({ tip: 0, serverId: null });
  });
});
