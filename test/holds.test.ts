import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consumeHolds, type HoldOwner, placeHolds, releaseHolds } from '../src/modules/catalog/index.ts';
import type { DomainError } from '../src/platform/errors.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { eventsOf, expectLedgerConsistent, stockedProduct } from './support/catalog-helpers.ts';
import { createTestDatabase } from './support/db.ts';
import { codeOf, holdRows, live, service, serviceNoRetry, shop } from './support/holds-kit.ts';

// Stock is never sold twice: parallel holds on real PostgreSQL, through the service, the
// HTTP batcher and two app instances; releases and consumes racing. The ledger invariant
// (on_hand = sum of movements, held = sum of active holds) is checked after every test.
let a: TestApp;
let b: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  // One after the other: pg-boss creating the same queues from two instances at once can deadlock.
  a = await startTestApp(db.url);
  b = await startTestApp(db.url);
});
afterEach(async () => expectLedgerConsistent(a.db.pool));
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await drop();
});

const db = () => a.db.pool;

describe('no oversell under concurrency', () => {
  it('200 parallel service transactions for the last 50 units: exactly 50 holds', async () => {
    const s = await shop(a);
    const p = await stockedProduct(s.client, s.companyId, 50);
    const expiresAt = new Date(a.clock.now().getTime() + 15 * 60_000);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => service(a, s.companyId, (ctx) => placeHolds(ctx, live(), [{ productId: p.id, quantity: 1 }], expiresAt))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(ok).toHaveLength(50);
    expect(refused.map(codeOf)).toEqual(Array(150).fill('stock.insufficient'));
    for (const e of refused) expect((e as DomainError).params).toMatchObject({ available: 0, requested: 1, lines: [{ productId: p.id, requested: 1, available: 0 }] });
    expect(await s.product(p.id)).toMatchObject({ onHand: 50, held: 50, available: 0, lowStock: true });
    // One crossing of the threshold (0), one alert, however many transactions raced over it.
    expect(await eventsOf(db(), s.companyId, 'low_stock', p.id)).toMatchObject([{ data: { available: 0, threshold: 0 } }]);
  });

  it('200 parallel HTTP requests for the last 50 units, through the group-commit batcher: exactly 50 holds', async () => {
    const s = await shop(a);
    const p = await stockedProduct(s.client, s.companyId, 50);
    const answers = await Promise.all(Array.from({ length: 200 }, () => s.post('holds', { owner: live(), lines: [{ productId: p.id, quantity: 1 }] })));
    const created = answers.filter((r) => r.status === 201);
    expect(created).toHaveLength(50);
    const refused = answers.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(Array(150).fill([409, 'stock.insufficient']));
    for (const r of refused) expect(r.body.params.lines).toEqual([{ productId: p.id, requested: 1, available: 0 }]);
    const ids = created.map((r) => r.body.holds[0].id);
    expect(new Set(ids).size).toBe(50);
    expect((await holdRows(a, s.companyId)).map((h) => h.id).sort()).toEqual([...ids].sort());
    expect(await eventsOf(db(), s.companyId, 'hold_placed', p.id)).toHaveLength(50);
    expect(await eventsOf(db(), s.companyId, 'low_stock', p.id)).toHaveLength(1);
    expect(await s.product(p.id)).toMatchObject({ onHand: 50, held: 50, available: 0 });
  });

  it('two app instances (two batchers) racing for the last 50 units: exactly 50 holds', async () => {
    const s = await shop(a);
    const p = await stockedProduct(s.client, s.companyId, 50);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => s.post('holds', { owner: live(), lines: [{ productId: p.id, quantity: 1 }] }, {}, i % 2 ? b : a)),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(50);
    expect(answers.filter((r) => r.status === 409 && r.body.code === 'stock.insufficient')).toHaveLength(150);
    expect(await s.product(p.id)).toMatchObject({ onHand: 50, held: 50, available: 0 });
    expect(await eventsOf(db(), s.companyId, 'low_stock', p.id)).toHaveLength(1);
  });

  it('two-product holds in opposite orders, with releases, never deadlock nor oversell', async () => {
    const s = await shop(a);
    const pa = await stockedProduct(s.client, s.companyId, 40, { name: 'A' });
    const pb = await stockedProduct(s.client, s.companyId, 60, { name: 'B' });
    const expiresAt = new Date(a.clock.now().getTime() + 15 * 60_000);
    const granted: HoldOwner[] = [];
    let placed = 0;
    let released = 0;
    for (let round = 0; round < 6; round++) {
      // The last round only places, so it fills B (60 / 2 per request) back up exactly.
      const toRelease = round < 5 ? granted.splice(0, Math.ceil(granted.length / 2)) : [];
      const places = Array.from({ length: 40 }, (_, i) => {
        const owner = live();
        const lines = [{ productId: pa.id, quantity: 1 }, { productId: pb.id, quantity: 2 }];
        return serviceNoRetry(a, s.companyId, (ctx) => placeHolds(ctx, owner, i % 2 ? lines : [...lines].reverse(), expiresAt)).then(
          () => owner,
          (e) => codeOf(e),
        );
      });
      const releases = toRelease.map((o) => serviceNoRetry(a, s.companyId, (ctx) => releaseHolds(ctx, [o])));
      const [outcomes, counts] = await Promise.all([Promise.all(places), Promise.all(releases)]);
      const refusals = outcomes.filter((o) => typeof o === 'string');
      expect(new Set(refusals)).toEqual(new Set(refusals.length ? ['stock.insufficient'] : []));
      const won = outcomes.filter((o): o is HoldOwner => typeof o !== 'string');
      granted.push(...won);
      placed += won.length;
      expect(counts).toEqual(toRelease.map(() => 2));
      released += toRelease.length;
      const active = placed - released;
      expect(await s.product(pa.id)).toMatchObject({ onHand: 40, held: active, available: 40 - active });
      expect(await s.product(pb.id)).toMatchObject({ onHand: 60, held: 2 * active, available: 60 - 2 * active });
      await expectLedgerConsistent(db());
    }
    // B runs out (60 / 2) before A.
    expect(placed - released).toBe(30);
    expect(placed).toBeGreaterThan(30);
    const { rows } = await db().query('SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()');
    expect(Number(rows[0].deadlocks)).toBe(0);
  });
});

describe('release and consume', () => {
  it('gives stock back on release, turns holds into sale movements on consume', async () => {
    const s = await shop(a);
    const pa = await stockedProduct(s.client, s.companyId, 10, { name: 'A' });
    const pb = await stockedProduct(s.client, s.companyId, 5, { name: 'B' });
    const cart: HoldOwner = { type: 'cart', id: randomUUID() };
    const expiresAt = new Date(a.clock.now().getTime() + 15 * 60_000);
    await service(a, s.companyId, (ctx) => placeHolds(ctx, cart, [{ productId: pa.id, quantity: 3 }, { productId: pb.id, quantity: 2 }], expiresAt));
    expect(await s.product(pa.id)).toMatchObject({ held: 3, available: 7 });
    expect(await service(a, s.companyId, (ctx) => releaseHolds(ctx, [{ type: 'cart', id: randomUUID() }]))).toBe(0);
    expect(await service(a, s.companyId, (ctx) => releaseHolds(ctx, [cart]))).toBe(2);
    expect(await service(a, s.companyId, (ctx) => releaseHolds(ctx, [cart]))).toBe(0);
    expect(await s.product(pa.id)).toMatchObject({ onHand: 10, held: 0, available: 10 });
    expect(await s.product(pb.id)).toMatchObject({ onHand: 5, held: 0, available: 5 });

    const order = live();
    expect((await s.post('holds', { owner: order, lines: [{ productId: pa.id, quantity: 4 }] })).status).toBe(201);
    expect((await s.client.get(`${s.base}/holds?ownerType=live_order&ownerId=${order.id}`)).body.items).toMatchObject([{ productId: pa.id, quantity: 4 }]);
    expect((await s.post('holds/release', { owner: live() })).body).toEqual({ released: 0 });
    expect((await s.post('holds/release', { owner: order })).body).toEqual({ released: 1 });
    expect((await s.client.get(`${s.base}/holds?ownerType=live_order&ownerId=${order.id}`)).body.items).toEqual([]);

    const sale: HoldOwner = { type: 'sale', id: randomUUID() };
    await service(a, s.companyId, (ctx) => placeHolds(ctx, sale, [{ productId: pa.id, quantity: 2 }, { productId: pb.id, quantity: 1 }], null));
    const consumed = await service(a, s.companyId, (ctx) => consumeHolds(ctx, sale, { type: 'sale', id: sale.id }));
    expect(consumed.map((h) => h.quantity).sort()).toEqual([1, 2]);
    expect(await s.product(pa.id)).toMatchObject({ onHand: 8, held: 0, available: 8 });
    expect(await s.product(pb.id)).toMatchObject({ onHand: 4, held: 0, available: 4 });
    const [m] = (await s.client.get(`${s.base}/products/${pa.id}/movements?limit=1`)).body.items;
    expect(m).toMatchObject({ kind: 'sale', quantity: -2, onHandAfter: 8, refType: 'sale', refId: sale.id, actor: { type: 'system' } });
    expect(await service(a, s.companyId, (ctx) => consumeHolds(ctx, sale, { type: 'sale', id: sale.id }))).toEqual([]);
  });

  it('a release racing a consume of the same owner: exactly one of them takes each hold', async () => {
    const s = await shop(a);
    const pa = await stockedProduct(s.client, s.companyId, 100, { name: 'A' });
    const pb = await stockedProduct(s.client, s.companyId, 100, { name: 'B' });
    const owners = Array.from({ length: 30 }, (): HoldOwner => ({ type: 'sale', id: randomUUID() }));
    for (const o of owners) await service(a, s.companyId, (ctx) => placeHolds(ctx, o, [{ productId: pb.id, quantity: 1 }, { productId: pa.id, quantity: 2 }], null));
    const release = (o: HoldOwner) => serviceNoRetry(a, s.companyId, (ctx) => releaseHolds(ctx, [o]));
    const consume = (o: HoldOwner) => serviceNoRetry(a, s.companyId, (ctx) => consumeHolds(ctx, o, { type: 'sale', id: o.id }));
    const raced = await Promise.all(
      owners.map(async (o, i) => {
        // Half start the release first, half the consume.
        if (i % 2) return Promise.all([release(o), consume(o)]);
        const c = consume(o);
        return Promise.all([release(o), c]);
      }),
    );
    let sold = 0;
    for (const [releasedCount, consumed] of raced) {
      expect([releasedCount, consumed.length].sort()).toEqual([0, 2]);
      if (consumed.length) sold++;
    }
    expect(await s.product(pa.id)).toMatchObject({ onHand: 100 - 2 * sold, held: 0, available: 100 - 2 * sold });
    expect(await s.product(pb.id)).toMatchObject({ onHand: 100 - sold, held: 0 });
    const statuses = (await holdRows(a, s.companyId)).map((h) => h.status);
    expect(statuses.filter((x) => x === 'consumed')).toHaveLength(2 * sold);
    expect(statuses.filter((x) => x === 'released')).toHaveLength(2 * (30 - sold));
    expect(await eventsOf(db(), s.companyId, 'hold_released')).toHaveLength(2 * (30 - sold));
  });
});
