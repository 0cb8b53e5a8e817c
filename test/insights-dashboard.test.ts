import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { releaseExpiredHolds } from '../src/modules/catalog/index.ts';
import { FINAL_AFTER_DAYS } from '../src/modules/insights/figures.ts';
import { ACTIVITY_TYPES, buildRollups, sendDailySummaries } from '../src/modules/insights/index.ts';
import { sendReceipt, sweepPayments } from '../src/modules/payments/index.ts';
import { addDays } from '../src/platform/dates.ts';
import { createMailer } from '../src/platform/mail.ts';
import { jobDepsOf, startTestApp, type TestApp } from './support/app.ts';
import { apiToken, makeProduct, stockedProduct } from './support/catalog-helpers.ts';
import { Client, type Res } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { addMember, createCompany, PASSWORD, signUp, waitFor } from './support/factories.ts';
import {
  configureProviders,
  MM_CREDS,
  type MobileMoneyStandin,
  STRIPE_CREDS,
  type StripeStandin,
  startMobileMoneyStandin,
  startSmsReceiver,
  startStripeStandin,
} from './support/pay-kit.ts';
import { startSmtpSink } from './support/smtp-sink.ts';
import { SseClient } from './support/sse.ts';

// The dashboard, its daily series, recent errors, the activity feed and the daily
// summary, over HTTP against hand-computed figures. Jobs are off on the main instance
// (no cron races the test clock); the job handlers are called directly. The daily
// summary's e-mails go through a second instance with jobs on and a real SMTP server.
let a: TestApp;
let dbUrl: string;
let drop: () => Promise<void>;
let stripe: StripeStandin;
let mm: MobileMoneyStandin;
let sms: Awaited<ReturnType<typeof startSmsReceiver>>;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let env: Record<string, string>;
const streams: SseClient[] = [];

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  dbUrl = db.url;
  [stripe, mm, sms, smtp] = await Promise.all([startStripeStandin(), startMobileMoneyStandin(), startSmsReceiver(), startSmtpSink()]);
  env = {
    STRIPE_API_BASE: stripe.url,
    MOBILE_MONEY_URL: mm.url,
    SMS_URL: sms.url,
    SMS_API_KEY: 'sms-key-1',
    COMPTOIR_SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789',
  };
  a = await startTestApp(db.url, env);
});
afterEach(() => {
  for (const s of streams.splice(0)) s.close();
  sms.failNext(0);
  a.clock.reset();
});
afterAll(async () => {
  a?.app.server.closeAllConnections();
  await a?.stop();
  await Promise.all([stripe?.stop(), mm?.stop(), sms?.stop(), smtp?.stop()]);
  await drop();
});

const at = (iso: string) => a.clock.set(new Date(iso));
const unix = () => Math.floor(a.clock.now().getTime() / 1000);
const pub = () => new Client(a.app);
const cookieOf = (c: Client) => `comptoir_session=${c.cookies.get('comptoir_session')}`;

async function ok<T = any>(p: Promise<Res<T>>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/** A company with one member per role (all signed in), its providers configured, and helpers over its API. */
async function business(fields: Record<string, unknown> = {}) {
  const owner = await signUp(a.app, 'Owner');
  const company = await createCompany(owner.client, { timezone: 'Africa/Abidjan', currency: 'XOF', ...fields });
  const manager = await addMember(a.app, owner.client, company.id, 'manager');
  const cashier = await addMember(a.app, owner.client, company.id, 'cashier');
  const server = await addMember(a.app, owner.client, company.id, 'server');
  await configureProviders(owner.client, company.id);
  const base = `/api/v1/companies/${company.id}`;
  const c = owner.client;
  const shop = `/api/v1/public/shops/${company.slug}`;

  const good = (price: number, stock: number, fields: Record<string, unknown> = {}) => stockedProduct(c, company.id, stock, { price, ...fields });
  const openSale = (items: Array<{ productId: string; quantity: number }>, extra: Record<string, unknown> = {}) =>
    ok(c.post(`${base}/sales`, { channel: 'counter', items, ...extra }), 201);
  const tender = (saleId: string, body: Record<string, unknown>) => ok(c.post(`${base}/sales/${saleId}/payments`, body), 201);
  /** A counter sale of `quantity` × product, paid in cash at once. */
  const cashSale = async (productId: string, quantity: number) => {
    const s = await openSale([{ productId, quantity }]);
    const paid = await tender(s.id, { method: 'cash', amount: s.due });
    expect(paid.sale.status).toBe('paid');
    return s;
  };
  const area = async () => (await ok(c.post(`${base}/areas`, { name: 'Salle' }), 201)).id as string;
  const table = async (areaId: string, label: string) => (await ok(c.post(`${base}/tables`, { areaId, label, seats: 4 }), 201)).id as string;

  /** A QR session with a fixed amount; `p` is its public path. */
  const qr = async (amount: number) => {
    const r = await ok(c.post(`${base}/payment-sessions`, { amount }), 201);
    return { id: r.id as string, p: `/api/v1/public/pay/${r.publicUrl.split('/pay/')[1]}` };
  };
  const step = (path: string, body?: unknown) => ok(pub().post(path, body));
  /** A QR session identified and with a payment pending by `method`; answers the payment id. */
  const qrPending = async (amount: number, method: 'cash' | 'mobile_money', phone = '+22507000011') => {
    const s = await qr(amount);
    await step(`${s.p}/identify`, { name: 'Fatou', phone });
    const init = await step(`${s.p}/pay`, { method });
    expect(init.payment).toMatchObject({ method, status: 'pending', amount });
    return { ...s, paymentId: init.payment.id as string };
  };
  const confirmCash = (paymentId: string) => ok(c.post(`${base}/payments/${paymentId}/confirm`, {}));
  const mmHook = async (reference: string, status: 'succeeded' | 'failed', amount: number) => {
    const { body, signature } = mm.webhook({ reference, status, amount }, MM_CREDS.webhookSecret, unix());
    const res = await fetch(`${a.url}/api/v1/webhooks/mobile-money/${company.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signature }, body });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.headers.get('x-request-id');
  };

  /** An online order checked out on the storefront (customer Awa). */
  const onlineOrder = async (productId: string, quantity: number) => {
    const cart = await ok(pub().post(`${shop}/carts`), 201);
    await ok(pub().post(`${shop}/carts/${cart.token}/items`, { productId, quantity }));
    const out = await ok(pub().post(`${shop}/carts/${cart.token}/checkout`, { customer: { name: 'Awa', phone: '+225 07 00 00 00' } }), 201);
    return { token: cart.token as string, orderId: out.order.id as string, total: out.order.total as number };
  };

  const get = (path: string, who: Client = c) => ok(who.get(`${base}${path}`));
  return { company, owner, manager, cashier, server, base, c, shop, good, openSale, tender, cashSale, area, table, qr, step, qrPending, confirmCash, mmHook, onlineOrder, get };
}
type Business = Awaited<ReturnType<typeof business>>;

const noChannels = { counter: { count: 0, revenue: 0 }, table: { count: 0, revenue: 0 }, online: { count: 0, revenue: 0 }, qr: { count: 0, revenue: 0 }, live: { count: 0, revenue: 0 } };
const noMethods = { cash: 0, card: 0, mobile_money: 0 };

async function eventRows(companyId: string, where = 'true', params: unknown[] = []) {
  const { rows } = await a.db.pool.query(
    `SELECT id, position, type, level, subjects, data, request_id, created_at FROM events WHERE company_id = $1 AND ${where} ORDER BY position`,
    [companyId, ...params],
  );
  return rows.map((r) => ({ ...r, position: Number(r.position) }));
}

describe('GET /dashboard: one local day in Abidjan, every figure by hand', () => {
  it('sessions, payments, sales by channel and method, refunds, tables, stock alerts', async () => {
    const D = '2026-11-12';
    at(`${D}T07:00:00Z`);
    const k = await business();
    const jus = await k.good(1000, 50, { name: 'Jus' });
    const biere = await k.good(1500, 50, { name: 'Bière' });
    const the = await k.good(1200, 20, { name: 'Thé' });
    const savon = await k.good(500, 3, { name: 'Savon', lowStockThreshold: 5 });
    // Not alerts: an archived good and an inactive one with nothing left, a service.
    const gone = await makeProduct(k.c, k.company.id, { name: 'Ancien savon', price: 300 });
    await ok(k.c.post(`${k.base}/products/${gone.id}/archive`));
    await makeProduct(k.c, k.company.id, { name: 'Hors saison', price: 300, active: false });
    await makeProduct(k.c, k.company.id, { name: 'Coupe', price: 4000, kind: 'service' });
    const salle = await k.area();
    const t1 = await k.table(salle, '1');
    const t2 = await k.table(salle, '2');

    // Counter: 2 × 1000 in cash; 3 × 1000 split card 1000 + cash 2000.
    at(`${D}T08:00:00Z`);
    const s1 = await k.openSale([{ productId: jus.id, quantity: 2 }]);
    await k.tender(s1.id, { method: 'cash', amount: 2000, tendered: 5000 });
    at(`${D}T08:10:00Z`);
    const s2 = await k.openSale([{ productId: jus.id, quantity: 3 }]);
    await k.tender(s2.id, { method: 'card', amount: 1000, reference: 'TPE-1' });
    await k.tender(s2.id, { method: 'cash', amount: 2000 });

    // Table 1 from 09:00 to 09:45: 45 minutes, 2 × 1500 in cash.
    at(`${D}T09:00:00Z`);
    const s3 = await k.openSale([{ productId: biere.id, quantity: 2 }], { channel: 'table', tableId: t1 });
    at(`${D}T09:45:00Z`);
    expect((await k.tender(s3.id, { method: 'cash', amount: 3000 })).sale.status).toBe('paid');

    // Online: 2 × 1200 ordered at 10:00, paid at pickup at 10:20 in cash.
    at(`${D}T10:00:00Z`);
    const order = await k.onlineOrder(the.id, 2);
    expect(order.total).toBe(2400);
    await ok(pub().post(`${k.shop}/carts/${order.token}/checkout/confirm`));
    at(`${D}T10:20:00Z`);
    const picked = await ok(k.c.post(`${k.base}/online-orders/${order.orderId}/pay`, { method: 'cash', tendered: 3000 }), 201);
    expect(picked.change).toBe(600);

    // QR sessions from 11:00: paid (mobile money), abandoned, left to expire, failed (mobile money).
    at(`${D}T11:00:00Z`);
    const paidQr = await k.qrPending(5000, 'mobile_money');
    await k.mmHook(paidQr.paymentId, 'succeeded', 5000);
    const abandoned = await k.qr(1500);
    await k.step(`${abandoned.p}/scan`);
    await k.step(`${abandoned.p}/cancel`);
    const lapsing = await k.qr(2000);
    const failedQr = await k.qrPending(2500, 'mobile_money', '+22507000012');
    await k.mmHook(failedQr.paymentId, 'failed', 2500);
    at(`${D}T11:31:00Z`);
    await sweepPayments(jobDepsOf(a));
    const statuses = await a.db.pool.query('SELECT id, status FROM payment_sessions WHERE company_id = $1', [k.company.id]);
    expect(Object.fromEntries(statuses.rows.map((r) => [r.id, r.status]))).toEqual({
      [paidQr.id]: 'paid',
      [abandoned.id]: 'abandoned',
      [lapsing.id]: 'expired',
      [failedQr.id]: 'failed',
    });

    // A counter sale asked of a mobile-money provider, which fails: the sale stays open.
    at(`${D}T12:00:00Z`);
    const s5 = await k.openSale([{ productId: jus.id, quantity: 1 }]);
    const request = await ok(k.c.post(`${k.base}/sales/${s5.id}/payment-requests`, { method: 'mobile_money', phone: '+225 07 00 00 20' }), 201);
    await k.mmHook(request.id, 'failed', 1000);
    expect((await k.get(`/payments/${request.id}`)).status).toBe('failed');

    // Refunds: 500 of S1 approved by the manager; one rejected, one still pending (neither counts).
    at(`${D}T13:00:00Z`);
    const cashier = k.cashier.client;
    const manager = k.manager.client;
    const r1 = await ok(cashier.post(`${k.base}/sales/${s1.id}/refunds`, { amount: 500, reason: 'Geste', restock: false }), 201);
    const r2 = await ok(cashier.post(`${k.base}/sales/${s2.id}/refunds`, { amount: 300, reason: 'Erreur', restock: false }), 201);
    await ok(cashier.post(`${k.base}/sales/${s3.id}/refunds`, { amount: 200, reason: 'Attente', restock: false }), 201);
    at(`${D}T13:05:00Z`);
    expect((await ok(manager.post(`${k.base}/refunds/${r1.id}/approve`))).status).toBe('approved');
    expect((await ok(manager.post(`${k.base}/refunds/${r2.id}/reject`))).status).toBe('rejected');

    // Still under way now: a QR session just opened, and table 2 occupied.
    at(`${D}T14:00:00Z`);
    await k.qr(3000);
    await k.openSale([], { channel: 'table', tableId: t2 });

    at(`${D}T14:10:00Z`);
    const expected = {
      from: D,
      to: D,
      timeZone: 'Africa/Abidjan',
      currency: 'XOF',
      sessions: { total: 5, active: 1, paid: 1, abandoned: 1, expired: 1, failed: 1, conversionRate: 0.2 },
      // Tenders: S1 cash, S2 card + cash, S3 cash, the pickup in cash, the QR by mobile money;
      // failed: the QR's mobile money and the sale's request.
      payments: { total: 8, succeeded: 6, failed: 2, revenue: 15_400, averageAmount: 2567 },
      sales: {
        count: 5,
        revenue: 15_400,
        byChannel: { ...noChannels, counter: { count: 2, revenue: 5000 }, table: { count: 1, revenue: 3000 }, online: { count: 1, revenue: 2400 }, qr: { count: 1, revenue: 5000 } },
        byMethod: { cash: 2000 + 2000 + 3000 + 2400, card: 1000, mobile_money: 5000 },
      },
      refunds: { count: 1, amount: 500 },
      tables: { occupiedNow: 1, total: 2, averageOccupationMinutes: 45 },
      stockAlerts: { open: 1, items: [{ productId: savon.id, name: 'Savon', available: 3, threshold: 5 }] },
    };
    expect(await k.get(`/dashboard?from=${D}&to=${D}`)).toEqual(expected);
    // Today by default; the manager sees the same.
    expect(await k.get('/dashboard')).toEqual(expected);
    expect(await k.get('/dashboard', manager)).toEqual(expected);
    expect(await k.get(`/dashboard?from=${D}`)).toEqual(expected);

    // The day before: nothing happened (what is "now" stays).
    const before = addDays(D, -1);
    expect(await k.get(`/dashboard?from=${before}&to=${before}`)).toEqual({
      ...expected,
      from: before,
      to: before,
      sessions: { total: 0, active: 1, paid: 0, abandoned: 0, expired: 0, failed: 0, conversionRate: 0 },
      payments: { total: 0, succeeded: 0, failed: 0, revenue: 0, averageAmount: 0 },
      sales: { count: 0, revenue: 0, byChannel: noChannels, byMethod: noMethods },
      refunds: { count: 0, amount: 0 },
      tables: { occupiedNow: 1, total: 2, averageOccupationMinutes: null },
    });
    // The daily series agrees with the day.
    const daily = await k.get('/dashboard/daily?days=2');
    expect(daily).toEqual({
      timeZone: 'Africa/Abidjan',
      currency: 'XOF',
      days: [
        { date: before, sessions: 0, paidSessions: 0, payments: 0, revenue: 0 },
        { date: D, sessions: 5, paidSessions: 1, payments: 6, revenue: 15_400 },
      ],
    });
  });
});

describe('day boundaries in Europe/Paris across daylight-saving changes', () => {
  // Each sale's amount is 100 × a power of two: a day's revenue names its sales.
  const march: Array<[string, number]> = [
    ['2026-03-28T22:59:00Z', 1], // 23:59 CET, March 28
    ['2026-03-28T23:01:00Z', 2], // 00:01 CET, March 29
    ['2026-03-29T00:30:00Z', 4], // 01:30 CET
    ['2026-03-29T01:30:00Z', 8], // 03:30 CEST (02:00–03:00 does not exist)
    ['2026-03-29T21:59:00Z', 16], // 23:59 CEST, the end of a 23-hour day
    ['2026-03-29T22:01:00Z', 32], // 00:01 CEST, March 30
  ];
  const october: Array<[string, number]> = [
    ['2026-10-24T21:59:00Z', 64], // 23:59 CEST, October 24
    ['2026-10-24T22:01:00Z', 128], // 00:01 CEST, October 25
    ['2026-10-25T00:30:00Z', 256], // 02:30 CEST
    ['2026-10-25T01:30:00Z', 512], // 02:30 CET (the hour again)
    ['2026-10-25T22:59:00Z', 1024], // 23:59 CET, the end of a 25-hour day
    ['2026-10-25T23:01:00Z', 2048], // 00:01 CET, October 26
  ];
  const day = (date: string, payments: number, revenue: number, sessions = 0) => ({ date, sessions, paidSessions: 0, payments, revenue });

  it('each sale counts on its local date: /dashboard?from&to and /dashboard/daily', async () => {
    at('2026-03-20T10:00:00Z');
    const k = await business({ timezone: 'Europe/Paris', currency: 'EUR' });
    // One product per sale, priced 100 × its power of two.
    const priced = new Map<number, string>();
    for (const [, units] of [...march, ...october]) priced.set(units, (await k.good(units * 100, 5, { name: `Café ×${units}` })).id);
    for (const [iso, units] of march) {
      at(iso);
      await k.cashSale(priced.get(units)!, 1);
    }
    // Sessions are bucketed the same way (by when they were opened).
    at('2026-03-28T22:59:30Z');
    await k.qr(1000);
    at('2026-03-29T22:01:30Z');
    await k.qr(1000);

    at('2026-04-02T10:00:00Z');
    const sales = async (from: string, to: string) => {
      const d = await k.get(`/dashboard?from=${from}&to=${to}`);
      expect(d).toMatchObject({ from, to, timeZone: 'Europe/Paris', currency: 'EUR' });
      expect(d.sales.byChannel).toEqual({ ...noChannels, counter: { count: d.sales.count, revenue: d.sales.revenue } });
      expect(d.sales.byMethod).toEqual({ ...noMethods, cash: d.sales.revenue });
      expect(d.payments).toMatchObject({ succeeded: d.sales.count, revenue: d.sales.revenue, failed: 0 });
      return [d.sales.count, d.sales.revenue, d.sessions.total];
    };
    expect(await sales('2026-03-29', '2026-03-29')).toEqual([4, (2 + 4 + 8 + 16) * 100, 0]);
    expect(await sales('2026-03-28', '2026-03-28')).toEqual([1, 100, 1]);
    expect(await sales('2026-03-30', '2026-03-30')).toEqual([1, 3200, 1]);
    expect(await sales('2026-03-28', '2026-03-30')).toEqual([6, 6300, 2]);
    expect(await sales('2026-03-27', '2026-03-27')).toEqual([0, 0, 0]);
    expect((await k.get('/dashboard/daily?days=7')).days).toEqual([
      day('2026-03-27', 0, 0),
      day('2026-03-28', 1, 100, 1),
      day('2026-03-29', 4, 3000),
      day('2026-03-30', 1, 3200, 1),
      day('2026-03-31', 0, 0),
      day('2026-04-01', 0, 0),
      day('2026-04-02', 0, 0),
    ]);

    // Months later the owner's sign-in has lapsed (sessions expire by the business clock): sign in again.
    at(october[0]![0]);
    await ok(k.c.post('/api/v1/auth/login', { email: k.owner.email, password: PASSWORD }));
    for (const [iso, units] of october) {
      at(iso);
      await k.cashSale(priced.get(units)!, 1);
    }
    at('2026-10-28T10:00:00Z');
    expect(await sales('2026-10-25', '2026-10-25')).toEqual([4, (128 + 256 + 512 + 1024) * 100, 0]);
    expect(await sales('2026-10-24', '2026-10-24')).toEqual([1, 6400, 0]);
    expect(await sales('2026-10-26', '2026-10-26')).toEqual([1, 204_800, 0]);
    expect(await sales('2026-10-24', '2026-10-26')).toEqual([6, (64 + 128 + 256 + 512 + 1024 + 2048) * 100, 0]);
    expect((await k.get('/dashboard/daily?days=6')).days).toEqual([
      day('2026-10-23', 0, 0),
      day('2026-10-24', 1, 6400),
      day('2026-10-25', 4, 192_000),
      day('2026-10-26', 1, 204_800),
      day('2026-10-27', 0, 0),
      day('2026-10-28', 0, 0),
    ]);
    // A window over both changes: consecutive dates, each once, every sale on its day.
    const long = (await k.get('/dashboard/daily?days=220')).days as Array<{ date: string; revenue: number; payments: number }>;
    expect(long).toHaveLength(220);
    expect(long[0]!.date).toBe(addDays('2026-10-28', -219));
    expect(long.map((d) => d.date)).toEqual(long.map((_, i) => addDays(long[0]!.date, i)));
    const nonZero = long.filter((d) => d.revenue).map((d) => [d.date, d.payments, d.revenue]);
    expect(nonZero).toEqual([
      ['2026-03-28', 1, 100],
      ['2026-03-29', 4, 3000],
      ['2026-03-30', 1, 3200],
      ['2026-10-24', 1, 6400],
      ['2026-10-25', 4, 192_000],
      ['2026-10-26', 1, 204_800],
    ]);

    // Once those days are frozen by the job (from the company's first day), the same answers.
    at('2026-11-10T10:00:00Z');
    const days = Math.round((Date.parse('2026-11-10') - Date.parse('2026-03-20')) / 86_400_000) + 1;
    const queries = [
      '/dashboard?from=2026-03-29&to=2026-03-29',
      '/dashboard?from=2026-03-28&to=2026-03-30',
      '/dashboard?from=2026-10-25&to=2026-10-25',
      '/dashboard?from=2026-03-20&to=2026-11-10',
      `/dashboard/daily?days=${days}`,
    ];
    const answers = async () => Promise.all(queries.map((q) => k.get(q)));
    const live = await answers();
    await buildRollups(jobDepsOf(a));
    const { rows } = await a.db.pool.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, sales_count, sales_revenue::int AS revenue FROM daily_figures WHERE company_id = $1 AND sales_count > 0 ORDER BY day`,
      [k.company.id],
    );
    expect(rows.map((r) => [r.day, r.sales_count, r.revenue])).toEqual(nonZero);
    expect(await answers()).toEqual(live);
  });
});

describe('frozen days answer what live days answered', () => {
  it('after the rollup job, /dashboard and /dashboard/daily are unchanged; reruns and parallel runs are harmless; companies never mix', async () => {
    // A in Paris (its days 23, 24 (CEST) and 25 (25 hours)…), B in Abidjan, same dates.
    at('2026-10-23T07:00:00Z');
    const A = await business({ timezone: 'Europe/Paris', currency: 'EUR' });
    const B = await business();
    const pa = await A.good(1000, 100, { name: 'Plat' });
    const pb = await B.good(3000, 100, { name: 'Poulet' });
    const t = await A.table(await A.area(), 'T');

    at('2026-10-23T08:00:00Z');
    const s1 = await A.openSale([{ productId: pa.id, quantity: 2 }]);
    await A.tender(s1.id, { method: 'card', amount: 500, reference: 'TPE-9' });
    await A.tender(s1.id, { method: 'cash', amount: 1500 });
    at('2026-10-23T09:00:00Z');
    const s2 = await A.openSale([{ productId: pa.id, quantity: 1 }], { channel: 'table', tableId: t });
    const b1 = await B.cashSale(pb.id, 1);
    at('2026-10-23T10:30:00Z');
    await A.tender(s2.id, { method: 'cash', amount: 1000 });
    at('2026-10-23T11:00:00Z');
    const paidQr = await A.qrPending(1500, 'cash');
    await A.confirmCash(paidQr.paymentId);
    const gaveUp = await A.qr(800);
    await A.step(`${gaveUp.p}/cancel`);
    await A.qr(900); // expires (the sweep below)

    at('2026-10-24T21:59:00Z');
    await A.cashSale(pa.id, 1);
    at('2026-10-24T22:01:00Z');
    await A.cashSale(pa.id, 2);

    at('2026-10-25T01:30:00Z'); // 02:30 CET, the second time
    const failing = await A.qrPending(700, 'mobile_money');
    await A.mmHook(failing.paymentId, 'failed', 700);
    at('2026-10-25T10:00:00Z');
    const refund = await ok(A.cashier.client.post(`${A.base}/sales/${s1.id}/refunds`, { amount: 500, reason: 'Geste', restock: false }), 201);
    await ok(A.manager.client.post(`${A.base}/refunds/${refund.id}/approve`));
    const b2 = await B.openSale([{ productId: pb.id, quantity: 2 }]);
    await B.tender(b2.id, { method: 'mobile_money', amount: 6000, reference: 'OM-1' });

    at('2026-10-27T12:00:00Z');
    const s6 = await A.openSale([{ productId: pa.id, quantity: 1 }]);
    await A.tender(s6.id, { method: 'card', amount: 1000, reference: 'TPE-10' });
    const refundB = await ok(B.cashier.client.post(`${B.base}/sales/${b1.id}/refunds`, { amount: 1000, reason: 'Froid', restock: false }), 201);
    await ok(B.manager.client.post(`${B.base}/refunds/${refundB.id}/approve`));

    // Long after: every one of those days is final. The sweep has expired the lapsed session.
    const later = addDays('2026-10-27', FINAL_AFTER_DAYS + 1);
    const lastFinal = addDays(later, -FINAL_AFTER_DAYS);
    expect(lastFinal >= '2026-10-27').toBe(true);
    at(`${later}T10:00:00Z`);
    await sweepPayments(jobDepsOf(a));

    // Hand-checked before any rollup.
    const aWeek = await A.get('/dashboard?from=2026-10-23&to=2026-10-27');
    expect(aWeek).toEqual({
      from: '2026-10-23',
      to: '2026-10-27',
      timeZone: 'Europe/Paris',
      currency: 'EUR',
      sessions: { total: 4, active: 0, paid: 1, abandoned: 1, expired: 1, failed: 1, conversionRate: 0.25 },
      payments: { total: 8, succeeded: 7, failed: 1, revenue: 8500, averageAmount: 1214 },
      sales: {
        count: 6,
        revenue: 8500,
        byChannel: { ...noChannels, counter: { count: 4, revenue: 6000 }, table: { count: 1, revenue: 1000 }, qr: { count: 1, revenue: 1500 } },
        byMethod: { cash: 1500 + 1000 + 1500 + 1000 + 2000, card: 1500, mobile_money: 0 },
      },
      refunds: { count: 1, amount: 500 },
      tables: { occupiedNow: 0, total: 1, averageOccupationMinutes: 90 },
      stockAlerts: { open: 0, items: [] },
    });
    const bWeek = await B.get('/dashboard?from=2026-10-23&to=2026-10-27');
    expect(bWeek).toMatchObject({
      sessions: { total: 0 },
      payments: { total: 2, succeeded: 2, failed: 0, revenue: 9000, averageAmount: 4500 },
      sales: { count: 2, revenue: 9000, byChannel: { ...noChannels, counter: { count: 2, revenue: 9000 } }, byMethod: { cash: 3000, card: 0, mobile_money: 6000 } },
      refunds: { count: 1, amount: 1000 },
    });
    const dayOf = (date: string, sessions: number, paidSessions: number, payments: number, revenue: number) => ({ date, sessions, paidSessions, payments, revenue });
    const daysFromFirst = Math.round((Date.parse(later) - Date.parse('2026-10-23')) / 86_400_000) + 1;
    const aDaily = await A.get(`/dashboard/daily?days=${daysFromFirst}`);
    expect(aDaily.days.slice(0, 6)).toEqual([
      dayOf('2026-10-23', 3, 1, 4, 4500),
      dayOf('2026-10-24', 0, 0, 1, 1000),
      dayOf('2026-10-25', 1, 0, 1, 2000),
      dayOf('2026-10-26', 0, 0, 0, 0),
      dayOf('2026-10-27', 0, 0, 1, 1000),
      dayOf('2026-10-28', 0, 0, 0, 0),
    ]);

    // Everything both companies' screens could ask, before the job…
    const queries = [
      '/dashboard?from=2026-10-23&to=2026-10-27', // all frozen afterwards
      '/dashboard?from=2026-10-24&to=2026-10-25',
      `/dashboard?from=2026-10-24&to=${later}`, // frozen, then live
      '/dashboard?from=2026-10-20&to=2026-10-30', // starts before the first frozen day
      '/dashboard',
      `/dashboard/daily?days=${daysFromFirst}`, // its first day is the first frozen one
      '/dashboard/daily?days=10',
      '/dashboard/daily?days=40',
    ];
    const snapshot = async (k: Business) => {
      const out: Record<string, unknown> = {};
      for (const q of queries) out[q] = await k.get(q);
      return out;
    };
    const beforeA = await snapshot(A);
    const beforeB = await snapshot(B);

    // …two runs at once, then the same answers, built from frozen rows.
    await Promise.all([buildRollups(jobDepsOf(a)), buildRollups(jobDepsOf(a))]);
    const frozen = async (companyId: string) =>
      (
        await a.db.pool.query(
          `SELECT to_char(day, 'YYYY-MM-DD') AS day, sales_count, sales_revenue::int AS revenue, sessions_total, payments_count, refunds_amount::int AS refunds, built_at
           FROM daily_figures WHERE company_id = $1 ORDER BY day`,
          [companyId],
        )
      ).rows;
    const rowsA = await frozen(A.company.id);
    const rowsB = await frozen(B.company.id);
    const finalDays = Array.from({ length: Math.round((Date.parse(lastFinal) - Date.parse('2026-10-23')) / 86_400_000) + 1 }, (_, i) => addDays('2026-10-23', i));
    expect(rowsA.map((r) => r.day)).toEqual(finalDays);
    expect(rowsB.map((r) => r.day)).toEqual(finalDays);
    expect(rowsA.slice(0, 5).map((r) => [r.day, r.sales_count, r.revenue, r.sessions_total, r.payments_count, r.refunds])).toEqual([
      ['2026-10-23', 3, 4500, 3, 4, 0],
      ['2026-10-24', 1, 1000, 0, 1, 0],
      ['2026-10-25', 1, 2000, 1, 1, 500],
      ['2026-10-26', 0, 0, 0, 0, 0],
      ['2026-10-27', 1, 1000, 0, 1, 0],
    ]);
    expect(rowsB.slice(0, 5).map((r) => [r.day, r.sales_count, r.revenue, r.refunds])).toEqual([
      ['2026-10-23', 1, 3000, 0],
      ['2026-10-24', 0, 0, 0],
      ['2026-10-25', 1, 6000, 0],
      ['2026-10-26', 0, 0, 0],
      ['2026-10-27', 0, 0, 1000],
    ]);
    expect(await snapshot(A)).toEqual(beforeA);
    expect(await snapshot(B)).toEqual(beforeB);
    expect(JSON.stringify(await snapshot(A))).toBe(JSON.stringify(beforeA));

    // A second run builds nothing new and rewrites nothing.
    expect(await buildRollups(jobDepsOf(a))).toBe(0);
    expect(await frozen(A.company.id)).toEqual(rowsA);
    expect(await frozen(B.company.id)).toEqual(rowsB);
    expect(await snapshot(A)).toEqual(beforeA);
  });
});

describe('GET /dashboard/errors', () => {
  /** A 500 inside a command: a check constraint that refuses this company's rows, for one request. */
  async function failingInsert(k: Business, table: string, request: () => Promise<Res>) {
    const name = `insights_boom_${table}`;
    await a.db.pool.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} CHECK (company_id <> '${k.company.id}'::uuid) NOT VALID`);
    try {
      const res = await request();
      expect(res.status, JSON.stringify(res.body)).toBe(500);
      expect(res.body).toMatchObject({ code: 'internal', requestId: res.headers['x-request-id'] });
      return res.headers['x-request-id'] as string;
    } finally {
      await a.db.pool.query(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
    }
  }

  it('error and critical events of the window, newest first, with their trail; warnings and older ones left out', async () => {
    at('2026-11-13T08:00:00Z');
    const k = await business();
    const other = await business();
    const failArea = () => k.c.post(`${k.base}/areas`, { name: 'Boom' });
    at('2026-11-13T09:00:00Z');
    const oldRequest = await failingInsert(k, 'areas', failArea);
    await failingInsert(other, 'areas', () => other.c.post(`${other.base}/areas`, { name: 'Boom' }));

    // Warnings: a failed mobile-money payment, an underpaid one.
    at('2026-11-14T10:00:00Z');
    const failed = await k.qrPending(2500, 'mobile_money');
    await k.mmHook(failed.paymentId, 'failed', 2500);
    const short = await k.qrPending(3000, 'mobile_money', '+22507000013');
    await k.mmHook(short.paymentId, 'succeeded', 1000);

    // An order paid by card after its stock went to someone else: payment_issue (error).
    at('2026-11-14T10:05:00Z');
    const last = await k.good(4500, 1, { name: 'Pagne' });
    const order = await k.onlineOrder(last.id, 1);
    const card = await ok(pub().post(`${k.shop}/carts/${order.token}/checkout/pay`, { method: 'card' }), 201);
    const checkout = [...stripe.sessions.values()].find((x) => x.metadata.paymentId === card.payment.id)!;
    at('2026-11-14T10:21:00Z');
    await releaseExpiredHolds.handler(jobDepsOf(a), {});
    await k.cashSale(last.id, 1);
    stripe.complete(checkout.id);
    const payload = stripe.event('checkout.session.completed', checkout);
    const hook = await fetch(`${a.url}/api/v1/webhooks/stripe/${k.company.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripe.sign(payload, STRIPE_CREDS.webhookSecret, unix()) },
      body: payload,
    });
    expect(hook.status).toBe(200);
    const hookRequest = hook.headers.get('x-request-id');

    // A receipt SMS that finally fails: receipt_failed (error) about the QR session.
    at('2026-11-14T10:30:00Z');
    const cashQr = await k.qrPending(2000, 'cash', '+22507000014');
    await k.confirmCash(cashQr.paymentId);
    const staffView = await k.get(`/payment-sessions/${cashQr.id}`);
    sms.failNext(1);
    await expect(sendReceipt(jobDepsOf(a), { companyId: k.company.id, receiptId: staffView.receiptId, channel: 'sms' }, true)).rejects.toThrow(/502/);

    // Unexpected errors: on a payments route (critical), then elsewhere (error).
    at('2026-11-14T10:40:00Z');
    const criticalRequest = await failingInsert(k, 'payment_sessions', () => k.c.post(`${k.base}/payment-sessions`, { amount: 1000 }));
    at('2026-11-14T10:50:00Z');
    const errorRequest = await failingInsert(k, 'areas', failArea);

    const levels = (await eventRows(k.company.id, `type IN ('payment_failed', 'payment_issue')`)).map((e) => [e.type, e.level, e.data.issue ?? null]);
    expect(levels).toEqual([
      ['payment_failed', 'warning', null],
      ['payment_issue', 'warning', 'underpaid'],
      ['payment_issue', 'error', 'paid_unfulfilled'],
    ]);
    const idOf = async (type: string, where: string) => (await eventRows(k.company.id, `type = $2 AND ${where}`, [type]))[0]!;
    const sysOld = await idOf('system_error', `request_id = '${oldRequest}'`);
    const sysCritical = await idOf('system_error', `request_id = '${criticalRequest}'`);
    const sysError = await idOf('system_error', `request_id = '${errorRequest}'`);
    const issue = await idOf('payment_issue', `level = 'error'`);
    const receiptFailed = await idOf('receipt_failed', 'true');

    at('2026-11-14T11:00:00Z');
    const areaRoute = '/api/v1/companies/:companyId/areas';
    /** A feed item of a logged event: its id and time from the log, the rest as expected. */
    const item = (row: { id: string; type: string; level: string; created_at: Date }, rest: Record<string, unknown>) => ({
      id: row.id,
      type: row.type,
      level: row.level,
      at: row.created_at.toISOString(),
      ...rest,
    });
    const expected = [
      item(sysError, { message: expect.stringContaining('violates check constraint'), requestId: errorRequest, route: areaRoute, subjects: {}, trail: null }),
      item(sysCritical, {
        message: expect.stringContaining('violates check constraint'),
        requestId: criticalRequest,
        route: '/api/v1/companies/:companyId/payment-sessions',
        subjects: {},
        trail: null,
      }),
      item(receiptFailed, {
        message: expect.stringContaining('502'),
        requestId: null,
        route: null,
        subjects: { saleId: staffView.saleId, paymentSessionId: cashQr.id },
        trail: { kind: 'payment_session', id: cashQr.id },
      }),
      item(issue, {
        message: 'paid_unfulfilled',
        requestId: hookRequest,
        route: null,
        subjects: { paymentId: card.payment.id, orderId: order.orderId },
        trail: { kind: 'payment', id: card.payment.id },
      }),
    ];
    expect([sysError.level, sysCritical.level, receiptFailed.level, issue.level]).toEqual(['error', 'critical', 'error', 'error']);
    const recent = await k.get('/dashboard/errors?hours=24');
    expect(recent).toEqual({ items: expected });
    // 24 hours is the default; a wider window reaches the day-old failure, last.
    expect(await k.get('/dashboard/errors')).toEqual(recent);
    const wider = await k.get('/dashboard/errors?hours=27');
    expect(wider.items.map((i: { id: string }) => i.id)).toEqual([...expected.map((e) => e.id), sysOld.id]);
    expect(wider.items.at(-1)).toMatchObject({ type: 'system_error', level: 'error', requestId: oldRequest, route: areaRoute, trail: null });
    expect(wider.items.at(-1).at.slice(0, 16)).toBe('2026-11-13T09:00');
    // One hour back from 11:00 reaches 10:00 (all four); from 11:35, only those since 10:35.
    expect((await k.get('/dashboard/errors?hours=1')).items.map((i: { id: string }) => i.id)).toEqual([sysError.id, sysCritical.id, receiptFailed.id, issue.id]);
    at('2026-11-14T11:35:00Z');
    expect((await k.get('/dashboard/errors?hours=1')).items.map((i: { id: string }) => i.id)).toEqual([sysError.id, sysCritical.id]);
    // The other company sees only its own.
    const theirs = await other.get('/dashboard/errors?hours=720');
    expect(theirs.items.map((i: { type: string }) => i.type)).toEqual(['system_error']);
  });
});

describe('GET /activity and the stream', () => {
  it('latest business events, newest first, as feed items; other types never; the same events arrive live', async () => {
    at('2026-11-16T09:00:00Z');
    const k = await business();
    const s = await SseClient.open(`${a.url}${k.base}/stream`, { cookie: cookieOf(k.c) });
    const sCashier = await SseClient.open(`${a.url}${k.base}/stream`, { cookie: cookieOf(k.cashier.client) });
    const sServer = await SseClient.open(`${a.url}${k.base}/stream`, { cookie: cookieOf(k.server.client) });
    streams.push(s, sCashier, sServer);
    expect([s.status, sCashier.status, sServer.status]).toEqual([200, 200, 200]);
    await addMember(a.app, k.c, k.company.id, 'manager'); // member_added: not business activity
    const jus = await k.good(1000, 20, { name: 'Jus' });
    const the = await k.good(1200, 20, { name: 'Thé' });

    at('2026-11-16T09:10:00Z');
    const sale = await k.cashSale(jus.id, 1); // hold_placed, sale_opened, sale_paid
    at('2026-11-16T09:20:00Z');
    const paidQr = await k.qrPending(2000, 'cash'); // payment_initiated (not in the feed)
    const confirmed = await k.confirmCash(paidQr.paymentId); // sale_opened (qr), sale_paid, payment_confirmed
    at('2026-11-16T09:30:00Z');
    const order = await k.onlineOrder(the.id, 2); // hold_placed, order_created
    at('2026-11-16T09:40:00Z');
    const short = await k.qrPending(2500, 'mobile_money');
    await k.mmHook(short.paymentId, 'succeeded', 1500); // payment_issue (underpaid)

    const feed = await k.get('/activity?limit=100');
    const expected = [
      { type: 'payment_issue', params: { issue: 'underpaid', received: 1500, due: 2500, currency: 'XOF' }, subject: { type: 'payment', id: short.paymentId } },
      { type: 'order_created', params: { channel: 'online', amount: 2400, currency: 'XOF' }, subject: { type: 'order', id: order.orderId } },
      { type: 'payment_confirmed', params: { method: 'cash', amount: 2000, currency: 'XOF' }, subject: { type: 'sale', id: confirmed.saleId } },
      { type: 'sale_paid', params: { reference: 'V-000002', amount: 2000, currency: 'XOF' }, subject: { type: 'sale', id: confirmed.saleId } },
      { type: 'sale_opened', params: { reference: 'V-000002', channel: 'qr' }, subject: { type: 'sale', id: confirmed.saleId } },
      { type: 'sale_paid', params: { reference: 'V-000001', amount: 1000, currency: 'XOF' }, subject: { type: 'sale', id: sale.id } },
      { type: 'sale_opened', params: { reference: 'V-000001', channel: 'counter' }, subject: { type: 'sale', id: sale.id } },
    ];
    expect(feed.items.map(({ type, params, subject }: any) => ({ type, params, subject }))).toEqual(expected);
    // Each item is its event: id, position, time, title code.
    const logged = await eventRows(k.company.id, 'type = ANY($2::text[])', [ACTIVITY_TYPES]);
    expect(feed.items).toEqual(
      logged.reverse().map((e, i) => ({ id: e.id, position: e.position, type: e.type, titleCode: `activity.${e.type}`, params: expected[i]!.params, subject: expected[i]!.subject, at: e.created_at.toISOString() })),
    );
    // The log does hold other types the feed leaves out.
    const others = new Set((await eventRows(k.company.id)).map((e) => e.type));
    for (const t of ['hold_placed', 'member_added', 'payment_initiated', 'sale_updated']) expect(others.has(t), t).toBe(true);
    // limit: the newest ones.
    expect((await k.get('/activity?limit=3')).items).toEqual(feed.items.slice(0, 3));
    expect((await k.get('/activity')).items).toEqual(feed.items);

    // The stream carried the same events, in the same order.
    const head = Math.max(...(await eventRows(k.company.id)).map((e) => e.position));
    await waitFor(() => s.positions.includes(head), 5000, 'stream caught up');
    const streamed = s.frames.filter((f) => (ACTIVITY_TYPES as readonly string[]).includes(f.event)).map((f) => [Number(f.id), f.event, f.data.position, f.data.type]);
    expect(streamed).toEqual([...feed.items].reverse().map((i: { position: number; type: string }) => [i.position, i.type, i.position, i.type]));

    // Every role reads the feed, and each one's feed holds what its own stream brings:
    // a cashier is not shown payment issues, a server neither those nor payment confirmations.
    const lastSeen = async (st: SseClient, type: string, key: string, id: string) => {
      const pos = (await eventRows(k.company.id, `type = $2 AND subjects->>'${key}' = $3`, [type, id])).at(-1)!.position;
      await waitFor(() => st.positions.includes(pos), 5000, `${type} on the stream`);
    };
    await lastSeen(sCashier, 'payment_initiated', 'paymentId', short.paymentId);
    await lastSeen(sServer, 'order_created', 'orderId', order.orderId);
    const activityFrames = (st: SseClient) => st.frames.filter((f) => (ACTIVITY_TYPES as readonly string[]).includes(f.event)).map((f) => Number(f.id)).reverse();
    const cashierFeed = await k.get('/activity?limit=100', k.cashier.client);
    const serverFeed = await k.get('/activity?limit=100', k.server.client);
    expect(cashierFeed.items).toEqual(feed.items.filter((i: { type: string }) => i.type !== 'payment_issue'));
    expect(serverFeed.items).toEqual(feed.items.filter((i: { type: string }) => !['payment_issue', 'payment_confirmed'].includes(i.type)));
    expect(cashierFeed.items.map((i: { position: number }) => i.position)).toEqual(activityFrames(sCashier));
    expect(serverFeed.items.map((i: { position: number }) => i.position)).toEqual(activityFrames(sServer));

    // A new sale: its frame arrives live and the feed starts with it.
    at('2026-11-16T09:50:00Z');
    const next = await k.openSale([{ productId: jus.id, quantity: 1 }]);
    const frame = await waitFor(() => s.frames.find((f) => f.event === 'sale_opened' && f.data.data.saleId === next.id), 5000, 'sale_opened frame');
    expect(frame.data.data).toMatchObject({ reference: 'V-000003', channel: 'counter' });
    const top = (await k.get('/activity?limit=1')).items;
    expect(top).toEqual([
      { id: expect.any(String), position: Number(frame.id), type: 'sale_opened', titleCode: 'activity.sale_opened', params: { reference: 'V-000003', channel: 'counter' }, subject: { type: 'sale', id: next.id }, at: frame.data.at },
    ]);
  });
});

describe('the daily summary', () => {
  it('at each company’s local time, once per company and local date; notification for managers; e-mail to those who opted in', async () => {
    at('2026-11-18T07:00:00Z');
    const P = await business({ timezone: 'Europe/Paris', currency: 'EUR' });
    const A = await business();
    expect((await ok(P.c.patch(`/api/v1/companies/${P.company.id}`, { settings: { dailySummaryTime: '23:00' } }))).settings.dailySummaryTime).toBe('23:00');
    expect((await ok(A.c.patch(`/api/v1/companies/${A.company.id}`, { settings: { dailySummaryTime: '20:00' } }))).settings.dailySummaryTime).toBe('20:00');
    const prefs = (who: Client, companyId: string, emailDailySummary: boolean) =>
      ok(who.put(`/api/v1/companies/${companyId}/notification-preferences`, { mutedTypes: [], sound: true, emailDailySummary }));
    // Paris: the manager opted in (the owner did not; a cashier's wish does not count). Abidjan: the owner.
    await prefs(P.manager.client, P.company.id, true);
    await prefs(P.cashier.client, P.company.id, true);
    await prefs(A.owner.client, A.company.id, true);
    await prefs(A.manager.client, A.company.id, false);
    const pp = await P.good(1250, 100, { name: 'Croissant' });
    const ap = await A.good(1000, 100, { name: 'Attiéké' });

    at('2026-11-18T22:30:00Z'); // Paris 23:30 on the 18th
    await P.cashSale(pp.id, 1);
    at('2026-11-18T23:30:00Z'); // Paris 00:30 on the 19th; Abidjan 23:30 on the 18th
    await P.cashSale(pp.id, 1);
    await A.cashSale(ap.id, 1);
    at('2026-11-19T08:00:00Z');
    await P.cashSale(pp.id, 1);
    await P.cashSale(pp.id, 2);
    await A.cashSale(ap.id, 1);
    const big = await A.cashSale(ap.id, 4);
    const qrA = await A.qrPending(3000, 'cash');
    await A.confirmCash(qrA.paymentId);
    at('2026-11-19T09:00:00Z');
    const refund = await ok(A.cashier.client.post(`${A.base}/sales/${big.id}/refunds`, { amount: 500, reason: 'Geste', restock: false }), 201);
    await ok(A.manager.client.post(`${A.base}/refunds/${refund.id}/approve`));

    const summaries = async (k: Business) => (await eventRows(k.company.id, `type = 'daily_summary'`)).map((e) => e.data);
    const mailer = createMailer(smtp.url, 'comptoir@example.test');
    const send = () => sendDailySummaries(jobDepsOf(a, mailer));
    // The e-mails go through the queue, worked by an instance with jobs on.
    const mailing = await startTestApp(dbUrl, { ...env, SMTP_URL: smtp.url, COMPTOIR_JOBS: 'on' }, { clock: a.clock, pollingIntervalSeconds: 0.5 });
    try {
      // Before either local time: nothing.
      at('2026-11-19T19:59:00Z');
      await send();
      expect(await summaries(A)).toEqual([]);
      expect(await summaries(P)).toEqual([]);

      // 20:00 in Abidjan (21:00 in Paris): Abidjan's, with its day's figures.
      at('2026-11-19T20:00:30Z');
      await send();
      const aDay19 = { date: '2026-11-19', salesCount: 3, revenue: 1000 + 4000 + 3000, currency: 'XOF', sessions: 1, paidSessions: 1, refunds: 500 };
      expect(await summaries(A)).toEqual([aDay19]);
      expect(await summaries(P)).toEqual([]);
      at('2026-11-19T21:59:00Z'); // 22:59 in Paris
      await send();
      expect(await summaries(P)).toEqual([]);

      // 23:00 in Paris: two sweeps racing send it once; Abidjan's is not sent again.
      at('2026-11-19T22:00:30Z');
      await Promise.all([send(), send()]);
      const pDay19 = { date: '2026-11-19', salesCount: 3, revenue: 1250 * 4, currency: 'EUR', sessions: 0, paidSessions: 0, refunds: 0 };
      expect(await summaries(P)).toEqual([pDay19]);
      expect(await summaries(A)).toEqual([aDay19]);
      await send();
      expect(await summaries(P)).toEqual([pDay19]);

      // A notification for the owner and the manager, not the cashier.
      const inbox = async (who: Client, companyId: string) =>
        (await ok(who.get(`/api/v1/companies/${companyId}/notifications?type=daily_summary`))).items.map((n: { type: string; data: unknown }) => [n.type, n.data]);
      for (const [k, day] of [[P, pDay19], [A, aDay19]] as const) {
        expect(await inbox(k.owner.client, k.company.id)).toEqual([['daily_summary', day]]);
        expect(await inbox(k.manager.client, k.company.id)).toEqual([['daily_summary', day]]);
        expect(await inbox(k.cashier.client, k.company.id)).toEqual([]);
      }

      // E-mails: the Paris manager and the Abidjan owner only.
      const queued = async () =>
        (await a.db.pool.query(`SELECT data->>'to' AS to, data->>'subject' AS subject FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' = ANY($1::text[]) ORDER BY created_on`, [
          [P.owner.email, P.manager.email, P.cashier.email, A.owner.email, A.manager.email, A.cashier.email],
        ])).rows.map((r) => r.to);
      expect((await queued()).sort()).toEqual([P.manager.email, A.owner.email].sort());
      const toP = await waitFor(() => smtp.mails.find((m) => m.to.includes(P.manager.email)), 15_000, 'Paris manager summary');
      const toA = await waitFor(() => smtp.mails.find((m) => m.to.includes(A.owner.email)), 15_000, 'Abidjan owner summary');
      expect(toP.text).toContain('2026-11-19');
      expect(toP.text).toMatch(/3 ventes|3 sales/);
      expect(toA.text).toContain('2026-11-19');
      expect(toA.text).toMatch(/3 ventes|3 sales/);
      expect(toA.text).toMatch(/8[\s\u202f\u00a0.,]?000/);

      // The next local day sends again (with that day's figures).
      at('2026-11-20T10:00:00Z');
      await P.cashSale(pp.id, 1);
      at('2026-11-20T20:00:30Z');
      await send();
      const aDay20 = { date: '2026-11-20', salesCount: 0, revenue: 0, currency: 'XOF', sessions: 0, paidSessions: 0, refunds: 0 };
      expect(await summaries(A)).toEqual([aDay19, aDay20]);
      expect(await summaries(P)).toEqual([pDay19]);
      at('2026-11-20T22:00:30Z');
      await Promise.all([send(), send()]);
      expect(await summaries(P)).toEqual([pDay19, { date: '2026-11-20', salesCount: 1, revenue: 1250, currency: 'EUR', sessions: 0, paidSessions: 0, refunds: 0 }]);
      expect(await summaries(A)).toEqual([aDay19, aDay20]);
      const { rows: claims } = await a.db.pool.query(`SELECT company_id, to_char(day, 'YYYY-MM-DD') AS day FROM daily_summaries WHERE company_id = ANY($1::uuid[]) ORDER BY day, company_id`, [[P.company.id, A.company.id]]);
      expect(claims).toHaveLength(4);
      expect((await queued()).sort()).toEqual([P.manager.email, P.manager.email, A.owner.email, A.owner.email].sort());
      await waitFor(() => smtp.mails.filter((m) => m.to.includes(P.manager.email) || m.to.includes(A.owner.email)).length === 4, 15_000, 'second day e-mails');
      const recipients = smtp.mails.flatMap((m) => m.to).filter((t) => [P.owner.email, P.manager.email, P.cashier.email, A.owner.email, A.manager.email, A.cashier.email].includes(t));
      expect(recipients.sort()).toEqual([P.manager.email, P.manager.email, A.owner.email, A.owner.email].sort());
    } finally {
      mailing.app.server.closeAllConnections();
      await mailing.stop();
    }
  }, 90_000);
});

describe('the daily summary across daylight-saving changes', () => {
  it('a time skipped in spring is reached at the jump; a time lived twice in autumn sends once', async () => {
    at('2026-03-20T10:00:00Z');
    const P = await business({ timezone: 'Europe/Paris', currency: 'EUR' });
    await ok(P.c.patch(`/api/v1/companies/${P.company.id}`, { settings: { dailySummaryTime: '02:30' } }));
    const dates = async () => (await eventRows(P.company.id, `type = 'daily_summary'`)).map((e) => e.data.date);
    const send = () => sendDailySummaries(jobDepsOf(a));
    at('2026-03-29T00:59:00Z'); // 01:59 CET
    await send();
    expect(await dates()).toEqual([]);
    at('2026-03-29T01:00:30Z'); // 03:00 CEST: 02:30 never happened that day
    await send();
    expect(await dates()).toEqual(['2026-03-29']);
    at('2026-10-25T00:30:30Z'); // 02:30 CEST
    await send();
    at('2026-10-25T01:30:30Z'); // 02:30 CET, the same local time again
    await send();
    expect(await dates()).toEqual(['2026-03-29', '2026-10-25']);
  });
});

describe('permissions, isolation and input', () => {
  it('managers read the dashboard, every role the activity; another company gets 404 everywhere; bad input names its field', async () => {
    at('2026-11-17T09:00:00Z');
    const k = await business();
    const other = await business();
    const pending = await k.qrPending(1500, 'cash');
    await k.cashSale((await k.good(700, 5)).id, 1);
    const routes = ['/dashboard', '/dashboard/daily', '/dashboard/errors', '/activity'];

    for (const who of [k.owner, k.manager]) for (const r of routes) expect((await who.client.get(`${k.base}${r}`)).status, r).toBe(200);
    for (const who of [k.cashier, k.server]) {
      for (const r of routes.slice(0, 3)) {
        const res = await who.client.get(`${k.base}${r}`);
        expect(res.status, r).toBe(403);
      }
      expect((await who.client.get(`${k.base}/activity`)).status).toBe(200);
    }
    const cashierToken = new Client(a.app).withToken(await apiToken(k.c, k.company.id, 'cashier'));
    expect((await cashierToken.get(`${k.base}/dashboard`)).status).toBe(403);
    expect((await cashierToken.get(`${k.base}/activity`)).status).toBe(200);
    const managerToken = new Client(a.app).withToken(await apiToken(k.c, k.company.id, 'manager'));
    expect((await managerToken.get(`${k.base}/dashboard`)).status).toBe(200);

    // Another company's owner (and its token): 404 on every insights route of this company,
    // and this company's payment and session ids are unknown on its own routes.
    const everyRoute = [
      ...routes,
      '/dashboard?from=2026-11-01&to=2026-11-17',
      '/dashboard/daily?days=7',
      '/dashboard/errors?hours=48',
      '/activity?limit=5',
      '/events',
      '/events.csv',
      `/payments/${pending.paymentId}/trail`,
      `/payment-sessions/${pending.id}/trail`,
    ];
    const otherToken = new Client(a.app).withToken(await apiToken(other.c, other.company.id, 'manager'));
    for (const r of everyRoute) {
      expect((await other.c.get(`${k.base}${r}`)).status, r).toBe(404);
      expect((await otherToken.get(`${k.base}${r}`)).status, r).toBe(404);
    }
    expect((await other.c.get(`${other.base}/payments/${pending.paymentId}/trail`)).status).toBe(404);
    expect((await other.c.get(`${other.base}/payment-sessions/${pending.id}/trail`)).status).toBe(404);
    // Its own dashboard and feed hold nothing of this company's.
    expect((await other.get('/dashboard')).sessions.total).toBe(0);
    expect((await k.get('/dashboard')).sessions.total).toBe(1);
    const theirFeed = await other.get('/activity?limit=100');
    expect(theirFeed.items).toEqual([]);

    const bad = async (path: string, field: string) => {
      const res = await k.c.get(`${k.base}${path}`);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.code).toBe('validation');
      expect(res.body.errors.map((e: { field: string }) => e.field), path).toEqual([field]);
    };
    await bad('/dashboard/daily?days=0', 'days');
    await bad('/dashboard/daily?days=367', 'days');
    await bad('/dashboard/daily?days=abc', 'days');
    await bad('/dashboard?from=2026-11-10&to=2026-11-09', 'from');
    await bad('/dashboard?from=2026-02-30', 'from');
    await bad('/dashboard?to=17-11-2026', 'to');
    await bad('/dashboard?from=2025-01-01&to=2026-06-01', 'to');
    await bad('/dashboard/errors?hours=1000', 'hours');
    await bad('/dashboard/errors?hours=0', 'hours');
    await bad('/activity?limit=0', 'limit');
    await bad('/activity?limit=101', 'limit');
    // The edges are accepted.
    expect((await k.get('/dashboard/daily?days=366')).days).toHaveLength(366);
    expect((await k.get('/dashboard/daily?days=1')).days).toHaveLength(1);
    expect((await k.get('/dashboard?from=2025-11-17&to=2026-11-17')).from).toBe('2025-11-17');
    expect((await k.get('/dashboard/errors?hours=720')).items).toEqual([]);
    expect((await k.get('/activity?limit=100')).items.length).toBeGreaterThan(0);
  });
});
