import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extendHolds, getProduct, type HoldOwner, lockProducts, placeHolds, releaseExpiredHolds, saveStock } from '../src/modules/catalog/index.ts';
import type { Ctx } from '../src/platform/context.ts';
import { inTransaction } from '../src/platform/db/tx.ts';
import { createMailer } from '../src/platform/mail.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { eventsOf, expectLedgerConsistent, stockedProduct } from './support/catalog-helpers.ts';
import { createTestDatabase } from './support/db.ts';
import { waitFor } from './support/factories.ts';
import { holdRows, live, service, shop } from './support/holds-kit.ts';

// Holds over time and retries: lapsed holds leave availability at read time, the expiry
// job and the CLI racing expire each hold once, extension once; Idempotency-Key through
// the group-commit batcher. The ledger invariant is checked after every test.
const run = promisify(execFile);
let a: TestApp;
let dbUrl: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  dbUrl = db.url;
  drop = db.drop;
  a = await startTestApp(db.url);
});
afterEach(async () => {
  a.clock.reset();
  await expectLedgerConsistent(a.db.pool);
});
afterAll(async () => {
  await a?.stop();
  await drop();
});

const db = () => a.db.pool;
/** The expiry job's handler, run in this process on the test clock. */
const sweepJob = () =>
  releaseExpiredHolds.handler({ db: a.db, clock: a.clock, mailer: createMailer(undefined, 'x@example.test'), log: { info() {}, warn() {}, error() {} }, publicUrl: a.url, config: a.config, jobs: a.jobs }, {});

describe('expiry', () => {
  it('lapsed holds leave availability at once; the job and the CLI racing expire each exactly once', async () => {
    const s = await shop(a);
    const pa = await stockedProduct(s.client, s.companyId, 20, { name: 'A' });
    const pb = await stockedProduct(s.client, s.companyId, 20, { name: 'B' });
    // Placed 20 minutes ago (holdMinutes 15), so they have lapsed on the CLI's real clock too.
    a.clock.set(new Date(Date.now() - 20 * 60_000));
    for (let i = 0; i < 6; i++) {
      const res = await s.post('holds', { owner: live(), lines: [{ productId: pa.id, quantity: 2 }, { productId: pb.id, quantity: 1 }] });
      expect(res.status).toBe(201);
    }
    const sale: HoldOwner = { type: 'sale', id: randomUUID() };
    await service(a, s.companyId, (ctx) => placeHolds(ctx, sale, [{ productId: pa.id, quantity: 3 }], null));
    expect(await s.product(pa.id)).toMatchObject({ onHand: 20, held: 15, available: 5 });
    a.clock.advanceMinutes(16);
    expect(await s.product(pa.id)).toMatchObject({ onHand: 20, held: 3, available: 17 });
    expect(await s.product(pb.id)).toMatchObject({ onHand: 20, held: 0, available: 20 });
    const stored = await db().query('SELECT held FROM products WHERE company_id = $1 ORDER BY name', [s.companyId]);
    expect(stored.rows.map((r) => r.held)).toEqual([15, 6]);

    // Hold the products' locks so that two in-process runs and the CLI all queue on them, then let go at once.
    const blocker = await db().connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM products WHERE company_id = $1 FOR UPDATE', [s.companyId]);
    const env = { ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'silent' };
    const cli = run(process.execPath, ['bin/comptoir.js', 'jobs:run', 'release-expired-holds'], { env, timeout: 60_000 });
    const jobs = [sweepJob(), sweepJob()];
    const waiting = async () =>
      (await db().query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n >= 3;
    try {
      await waitFor(waiting, 30_000, 'the job runs and the CLI to queue on the product locks');
    } finally {
      await blocker.query('COMMIT');
      blocker.release();
    }
    const [out] = await Promise.all([cli, ...jobs]);
    expect(out.stdout).toContain('job release-expired-holds done');

    const expired = await eventsOf(db(), s.companyId, 'hold_expired');
    expect(expired).toHaveLength(12);
    expect(new Set(expired.map((e) => e.data.holdId)).size).toBe(12);
    const rows = await holdRows(a, s.companyId);
    expect(rows.filter((h) => h.status === 'expired')).toHaveLength(12);
    expect(rows.filter((h) => h.status === 'active').map((h) => h.owner_id)).toEqual([sale.id]);
    expect(await s.product(pa.id)).toMatchObject({ onHand: 20, held: 3, available: 17 });
    const again = await db().query('SELECT held FROM products WHERE company_id = $1 ORDER BY name', [s.companyId]);
    expect(again.rows.map((r) => r.held)).toEqual([3, 0]);
    await sweepJob();
    expect(await eventsOf(db(), s.companyId, 'hold_expired')).toHaveLength(12);
  });

  it('a hold lapses exactly at its expiresAt, for readers and for the sweep', async () => {
    const s = await shop(a);
    const p = await stockedProduct(s.client, s.companyId, 10);
    const at = new Date(a.clock.now().getTime() + 15 * 60_000);
    await service(a, s.companyId, (ctx) => placeHolds(ctx, live(), [{ productId: p.id, quantity: 4 }], at));
    const fixed = (ms: number) => ({ now: () => new Date(at.getTime() + ms) });
    const inTx = <T>(ms: number, fn: (ctx: Ctx) => Promise<T>) =>
      inTransaction(a.db, { kind: 'company', companyId: s.companyId }, (tx) => fn({ companyId: s.companyId, actor: { type: 'system' }, clock: fixed(ms), tx }));
    expect((await inTx(-1, (ctx) => getProduct(ctx, p.id))).held).toBe(4);
    expect((await inTx(0, (ctx) => getProduct(ctx, p.id))).held).toBe(0);
    // What the sweep and every command do first: lock, expire what has lapsed, write back.
    const sweep = async (ctx: Ctx) => {
      const stock = await lockProducts(ctx, [p.id]);
      await saveStock(ctx, stock);
      return stock.get(p.id)!.held;
    };
    expect(await inTx(-1, sweep)).toBe(4);
    expect(await eventsOf(db(), s.companyId, 'hold_expired')).toHaveLength(0);
    expect(await inTx(0, sweep)).toBe(0);
    expect(await eventsOf(db(), s.companyId, 'hold_expired')).toMatchObject([{ data: { productId: p.id, quantity: 4 } }]);
  });

  it('extends a hold once by holdMinutes while active, never after it lapsed', async () => {
    const s = await shop(a);
    const p = await stockedProduct(s.client, s.companyId, 10);
    const now = a.clock.now();
    const cart: HoldOwner = { type: 'cart', id: randomUUID() };
    const late: HoldOwner = { type: 'cart', id: randomUUID() };
    const expiresAt = new Date(now.getTime() + 15 * 60_000);
    for (const o of [cart, late]) await service(a, s.companyId, (ctx) => placeHolds(ctx, o, [{ productId: p.id, quantity: 2 }], expiresAt));
    a.clock.advanceMinutes(10);
    const extended = await service(a, s.companyId, (ctx) => extendHolds(ctx, cart, 15));
    expect(extended?.getTime()).toBe(expiresAt.getTime() + 15 * 60_000);
    expect(await service(a, s.companyId, (ctx) => extendHolds(ctx, cart, 15))).toBeNull();
    a.clock.advanceMinutes(6);
    expect(await service(a, s.companyId, (ctx) => extendHolds(ctx, late, 15))).toBeNull();
    expect(await s.product(p.id)).toMatchObject({ held: 2, available: 8 });
    // The sweep past the first expiry takes the late hold only.
    await sweepJob();
    expect((await holdRows(a, s.companyId)).map((h) => [h.owner_id, h.status]).sort()).toEqual([[cart.id, 'active'], [late.id, 'expired']].sort());
    expect(await eventsOf(db(), s.companyId, 'hold_expired')).toHaveLength(1);
    a.clock.advanceMinutes(15);
    expect(await s.product(p.id)).toMatchObject({ held: 0, available: 10 });
    expect(await service(a, s.companyId, (ctx) => extendHolds(ctx, cart, 15))).toBeNull();
  });
});

describe('idempotency through the batcher', () => {
  it('the same key and body sent 10 times at once holds once and answers the same', async () => {
    const s = await shop(a);
    const p = await stockedProduct(s.client, s.companyId, 5);
    const body = { owner: live(), lines: [{ productId: p.id, quantity: 2 }] };
    const key = { 'idempotency-key': randomUUID() };
    const answers = await Promise.all(Array.from({ length: 10 }, () => s.post('holds', body, key)));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(201));
    for (const r of answers) expect(r.body).toEqual(answers[0]!.body);
    expect(answers.filter((r) => r.replayed === 'true')).toHaveLength(9);
    expect(await holdRows(a, s.companyId)).toHaveLength(1);
    expect(await s.product(p.id)).toMatchObject({ held: 2, available: 3 });
    const other = await s.post('holds', { ...body, lines: [{ productId: p.id, quantity: 1 }] }, key);
    expect([other.status, other.body.code]).toEqual([422, 'idempotency.key_reused']);
  });

  it('the same key several times in one batch: one command, the others marked as replays', async () => {
    const s = await shop(a);
    const p = await stockedProduct(s.client, s.companyId, 5);
    // Stall the batches in flight (two per company) on the product lock, so the next requests queue up and share one batch.
    const blocker = await db().connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM products WHERE company_id = $1 AND id = $2 FOR UPDATE', [s.companyId, p.id]);
    const waiting = async (n: number) =>
      (await db().query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n === n;
    const stalled: Array<ReturnType<typeof s.post>> = [];
    let arrived = 0;
    const count = () => arrived++;
    const body = { owner: live(), lines: [{ productId: p.id, quantity: 2 }] };
    const key = { 'idempotency-key': randomUUID() };
    let answers: Promise<Array<Awaited<ReturnType<typeof s.post>>>> = Promise.resolve([]);
    try {
      for (const n of [1, 2]) {
        stalled.push(s.post('holds', { owner: live(), lines: [{ productId: p.id, quantity: 1 }] }));
        await waitFor(() => waiting(n), 5000, `batch ${n} to wait on the product lock`);
      }
      a.app.server.on('request', count);
      answers = Promise.all(Array.from({ length: 10 }, () => s.post('holds', body, key)));
      await waitFor(() => arrived === 10, 5000, 'ten requests to arrive');
      // Their token look-ups done: nothing of the app's runs but what waits on the lock.
      const busy = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'comptoir'
        AND state = 'active' AND wait_event_type IS DISTINCT FROM 'Lock' AND pid <> pg_backend_pid()`;
      await waitFor(async () => (await db().query(busy)).rows[0].n === 0, 5000, 'the requests to queue');
    } finally {
      a.app.server.off('request', count);
      await blocker.query('COMMIT');
      blocker.release();
    }
    for (const r of await Promise.all(stalled)) expect(r.status).toBe(201);
    const all = await answers;
    expect(all.map((r) => r.status)).toEqual(Array(10).fill(201));
    for (const r of all) expect(r.body).toEqual(all[0]!.body);
    expect(all.filter((r) => r.replayed === 'true')).toHaveLength(9);
    expect(await holdRows(a, s.companyId)).toHaveLength(3);
    expect(await s.product(p.id)).toMatchObject({ held: 4, available: 1 });
  });

  it('one key with two bodies at once: one wins, the other is refused 422', async () => {
    const s = await shop(a);
    const p = await stockedProduct(s.client, s.companyId, 5);
    const key = { 'idempotency-key': randomUUID() };
    const bodies = [1, 2].map((quantity) => ({ owner: live(), lines: [{ productId: p.id, quantity }] }));
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => s.post('holds', bodies[i % 2], key)));
    const won = answers.filter((r) => r.status === 201);
    expect(won).toHaveLength(5);
    for (const r of won) expect(r.body).toEqual(won[0]!.body);
    expect(answers.filter((r) => r.status === 422 && r.body.code === 'idempotency.key_reused')).toHaveLength(5);
    const rows = await holdRows(a, s.companyId);
    expect(rows).toHaveLength(1);
    expect(rows.map((h) => h.id)).toEqual([won[0]!.body.holds[0].id]);
  });
});
