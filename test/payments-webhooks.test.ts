import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { createCompany, signUp, waitFor } from './support/factories.ts';
import {
  configureProviders,
  MM_CREDS,
  type MobileMoneyStandin,
  STRIPE_CREDS,
  type StandinSession,
  type StripeStandin,
  startMobileMoneyStandin,
  startStripeStandin,
} from './support/pay-kit.ts';

/**
 * Provider webhooks over real HTTP (fetch against the listening app): signatures
 * (Stripe's SDK signs, HMAC for mobile money), deduplication, ordering, races,
 * amounts, tenancy, provider outages at initiation, and what reaches logs and events.
 */

const SECRET_KEY = 'test-secret-key-0123456789abcdef0123456789';

let a: TestApp;
let dbUrl: string;
let drop: () => Promise<void>;
let stripe: StripeStandin;
let mm: MobileMoneyStandin;

beforeAll(async () => {
  const db = await createTestDatabase();
  dbUrl = db.url;
  drop = db.drop;
  [stripe, mm] = await Promise.all([startStripeStandin(), startMobileMoneyStandin()]);
  a = await startTestApp(db.url, { STRIPE_API_BASE: stripe.url, MOBILE_MONEY_URL: mm.url, COMPTOIR_SECRET_KEY: SECRET_KEY });
});
afterAll(async () => {
  await a?.stop();
  await Promise.all([stripe?.stop(), mm?.stop()]);
  await drop?.();
});

// ---------- helpers ----------

interface HttpRes {
  status: number;
  body: any;
}

/** A real HTTP request to an app instance; a string body is sent byte for byte. */
async function http(base: string, method: string, path: string, body?: string | object, headers: Record<string, string> = {}): Promise<HttpRes> {
  const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(raw !== undefined && !('content-type' in headers) ? { 'content-type': 'application/json' } : {}), ...headers },
    body: raw,
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.includes('json') && text ? JSON.parse(text) : text };
}

/** The app's clock in Unix seconds: what a signature must be measured against. */
const nowS = () => Math.floor(a.clock.now().getTime() / 1000);

interface Salon {
  owner: Client;
  companyId: string;
  base: string;
  serviceId: string;
}

/** A company with a 5000 XOF service and both providers configured through the API. */
async function salon(app: TestApp = a): Promise<Salon> {
  const owner = await signUp(app.app, 'Aminata');
  const company = await createCompany(owner.client, { name: `Salon ${randomBytes(3).toString('hex')}`, currency: 'XOF', timezone: 'Africa/Abidjan' });
  const base = `/api/v1/companies/${company.id}`;
  const svc = await owner.client.post(`${base}/products`, { name: 'Coupe femme', kind: 'service', price: 5000 });
  expect(svc.status, JSON.stringify(svc.body)).toBe(201);
  await configureProviders(owner.client, company.id);
  return { owner: owner.client, companyId: company.id, base, serviceId: svc.body.id as string };
}

interface Started {
  sessionId: string;
  /** Public path of the session: /api/v1/public/pay/<token>. */
  p: string;
  paymentId: string;
}

/** Staff open a session, the client identifies and picks a method (all over HTTP). */
async function startPayment(s: Salon, method: 'card' | 'mobile_money' | 'cash', opts: { amount?: number; phone?: string; email?: string; app?: TestApp } = {}): Promise<Started> {
  const app = opts.app ?? a;
  const created = await s.owner.post(`${s.base}/payment-sessions`, opts.amount ? { amount: opts.amount } : { serviceId: s.serviceId });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const p = `/api/v1/public/pay/${created.body.publicUrl.split('/pay/')[1]}`;
  expect((await http(app.url, 'POST', `${p}/scan`, {})).status).toBe(200);
  const who = await http(app.url, 'POST', `${p}/identify`, { name: 'Fatou Diallo', ...(opts.phone ? { phone: opts.phone } : {}), ...(opts.email ? { email: opts.email } : {}) });
  expect(who.status, JSON.stringify(who.body)).toBe(200);
  expect(who.body.next).toBe('pay');
  const paid = await http(app.url, 'POST', `${p}/pay`, { method, ...(method === 'mobile_money' && !opts.phone ? { phone: '+22507000002' } : {}) });
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  expect(paid.body).toMatchObject({ status: 'payment_initiated', next: 'pending', payment: { method, status: 'pending' } });
  return { sessionId: created.body.id, p, paymentId: paid.body.payment.id };
}

/** The stand-in's Checkout Session for one of our payments. */
const checkoutOf = (paymentId: string): StandinSession => {
  const cs = [...stripe.sessions.values()].find((x) => x.metadata.paymentId === paymentId);
  if (!cs) throw new Error(`no checkout session for ${paymentId}`);
  return cs;
};

const stripeHook = (companyId: string, payload: string, signature?: string, base = a.url) =>
  http(base, 'POST', `/api/v1/webhooks/stripe/${companyId}`, payload, { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) });

const mmHook = (companyId: string, body: string, signature?: string, base = a.url) =>
  http(base, 'POST', `/api/v1/webhooks/mobile-money/${companyId}`, body, { 'content-type': 'application/json', ...(signature ? { 'x-signature': signature } : {}) });

/** A signed `checkout.session.completed` for a payment whose checkout the customer completed. */
function completedEvent(paymentId: string, id?: string) {
  const cs = stripe.complete(checkoutOf(paymentId).id);
  const payload = stripe.event('checkout.session.completed', cs, id);
  return { cs, payload, signature: stripe.sign(payload, STRIPE_CREDS.webhookSecret, nowS()) };
}

interface EventRow {
  type: string;
  level: string;
  data: Record<string, any>;
  subjects: Record<string, any>;
}

async function eventsOf(companyId: string, type?: string): Promise<EventRow[]> {
  const { rows } = await a.db.pool.query(
    `SELECT type, level, data, subjects FROM events WHERE company_id = $1 AND ($2::text IS NULL OR type = $2) ORDER BY position`,
    [companyId, type ?? null],
  );
  return rows;
}

/** What a settlement writes, counted in the database (each test has its own company). */
async function ledger(companyId: string) {
  const { rows } = await a.db.pool.query(
    `SELECT (SELECT count(*)::int FROM sales WHERE company_id = $1) AS sales,
            (SELECT count(*)::int FROM sales WHERE company_id = $1 AND channel = 'qr' AND status = 'paid') AS "paidQrSales",
            (SELECT count(*)::int FROM payments WHERE company_id = $1) AS payments,
            (SELECT count(*)::int FROM events WHERE company_id = $1 AND type = 'payment_confirmed') AS confirmed,
            (SELECT count(*)::int FROM events WHERE company_id = $1 AND type = 'payment_failed') AS failed`,
    [companyId],
  );
  return rows[0] as { sales: number; paidQrSales: number; payments: number; confirmed: number; failed: number };
}

const sessionOf = async (s: Salon, sessionId: string) => {
  const r = await s.owner.get(`${s.base}/payment-sessions/${sessionId}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

const paymentOf = async (s: Salon, paymentId: string) => {
  const r = await s.owner.get(`${s.base}/payments/${paymentId}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

/** Nothing moved: the payment pending, the session waiting, no sale, no confirmation. */
async function expectUntouched(s: Salon, t: Started) {
  expect((await sessionOf(s, t.sessionId))).toMatchObject({ status: 'payment_initiated', saleId: null, payment: { id: t.paymentId, status: 'pending', received: null } });
  expect(await ledger(s.companyId)).toEqual({ sales: 0, paidQrSales: 0, payments: 0, confirmed: 0, failed: 0 });
}

/** Settled: payment succeeded, session paid with its qr sale of `amount`, exactly one of each. */
async function expectSettledOnce(s: Salon, t: Started, amount: number) {
  const session = await sessionOf(s, t.sessionId);
  expect(session).toMatchObject({ status: 'paid', saleId: expect.any(String), payment: { id: t.paymentId, status: 'succeeded' } });
  const sale = await s.owner.get(`${s.base}/sales/${session.saleId}`);
  expect(sale.body).toMatchObject({ status: 'paid', channel: 'qr', totals: { ttc: amount } });
  const { rows } = await a.db.pool.query('SELECT id, sale_id, amount::int, status FROM payments WHERE company_id = $1', [s.companyId]);
  expect(rows).toEqual([{ id: t.paymentId, sale_id: session.saleId, amount, status: 'succeeded' }]);
  const confirmed = await eventsOf(s.companyId, 'payment_confirmed');
  expect(confirmed).toHaveLength(1);
  expect(confirmed[0]!.data).toMatchObject({ paymentId: t.paymentId, amount });
  expect((await ledger(s.companyId)).sales).toBe(1);
  return session;
}

// ---------- 1. Stripe ----------

describe('Stripe webhooks', () => {
  it('a valid SDK-signed checkout.session.completed settles the session once', async () => {
    const s = await salon();
    const t = await startPayment(s, 'card');
    const { payload, signature, cs } = completedEvent(t.paymentId);
    const hook = await stripeHook(s.companyId, payload, signature);
    expect(hook).toEqual({ status: 200, body: { received: true } });
    await expectSettledOnce(s, t, 5000);
    const payment = await paymentOf(s, t.paymentId);
    expect(payment).toMatchObject({ status: 'succeeded', received: 5000, issue: null, provider: 'stripe', providerReference: cs.id, completedAt: expect.any(String) });
    const received = await eventsOf(s.companyId, 'webhook_received');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ level: 'info', data: { provider: 'stripe', eventType: 'checkout.session.completed', providerEventId: JSON.parse(payload).id, paymentId: t.paymentId } });
    expect(received[0]!.data).not.toHaveProperty('duplicate');
    expect((await http(a.url, 'GET', t.p)).body).toMatchObject({ status: 'paid', next: 'receipt', payment: { status: 'succeeded' }, receipt: { reference: expect.stringMatching(/^V-/) } });
  });

  it('a signature made with another secret → 400 webhook.invalid_signature, a warning event, nothing changes', async () => {
    const s = await salon();
    const t = await startPayment(s, 'card');
    const { payload } = completedEvent(t.paymentId);
    const bad = await stripeHook(s.companyId, payload, stripe.sign(payload, 'whsec_someone_else_entirely', nowS()));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: 400, code: 'webhook.invalid_signature', params: { reason: 'mismatch' } });
    const rejected = await eventsOf(s.companyId, 'webhook_rejected');
    expect(rejected).toEqual([expect.objectContaining({ level: 'warning', data: { provider: 'stripe', reason: 'mismatch' } })]);
    expect(await eventsOf(s.companyId, 'webhook_received')).toEqual([]);
    await expectUntouched(s, t);
    // The event id was not burnt by the forged delivery: the genuine one still settles.
    const good = await stripeHook(s.companyId, payload, stripe.sign(payload, STRIPE_CREDS.webhookSecret, nowS()));
    expect(good.status).toBe(200);
    await expectSettledOnce(s, t, 5000);
  });

  it('a body altered after signing is refused (the raw bytes are verified)', async () => {
    const s = await salon();
    const t = await startPayment(s, 'card');
    const { payload, signature } = completedEvent(t.paymentId);
    const altered = payload.replace('"amount_total":5000', '"amount_total":50000');
    expect(altered).not.toBe(payload);
    const r = await stripeHook(s.companyId, altered, signature);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'webhook.invalid_signature', params: { reason: 'mismatch' } });
    // Same JSON, other bytes (re-serialised with spaces): still not what was signed.
    const reformatted = JSON.stringify(JSON.parse(payload), null, 2);
    expect((await stripeHook(s.companyId, reformatted, signature)).status).toBe(400);
    expect((await eventsOf(s.companyId, 'webhook_rejected')).map((e) => e.data.reason)).toEqual(['mismatch', 'mismatch']);
    await expectUntouched(s, t);
  });

  it('a stale signature (older than 300 s by the app clock) → 400; 290 s old is still accepted', async () => {
    const s = await salon();
    const t = await startPayment(s, 'card');
    const { payload } = completedEvent(t.paymentId);
    const stale = await stripeHook(s.companyId, payload, stripe.sign(payload, STRIPE_CREDS.webhookSecret, nowS() - 301));
    expect(stale.status, JSON.stringify(stale.body)).toBe(400);
    expect(stale.body).toMatchObject({ code: 'webhook.invalid_signature', params: { reason: 'stale' } });
    // Signed "now" by the wall clock, but the app's clock is 6 minutes ahead: stale too.
    a.clock.advanceMinutes(6);
    try {
      const ahead = await stripeHook(s.companyId, payload, stripe.sign(payload, STRIPE_CREDS.webhookSecret, Math.floor(Date.now() / 1000)));
      expect(ahead.status, JSON.stringify(ahead.body)).toBe(400);
      expect(ahead.body).toMatchObject({ code: 'webhook.invalid_signature', params: { reason: 'stale' } });
    } finally {
      a.clock.reset();
    }
    const rejected = await eventsOf(s.companyId, 'webhook_rejected');
    expect(rejected.map((e) => [e.level, e.data])).toEqual([
      ['warning', { provider: 'stripe', reason: 'stale' }],
      ['warning', { provider: 'stripe', reason: 'stale' }],
    ]);
    await expectUntouched(s, t);
    const late = await stripeHook(s.companyId, payload, stripe.sign(payload, STRIPE_CREDS.webhookSecret, nowS() - 290));
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    await expectSettledOnce(s, t, 5000);
  });

  it('a missing Stripe-Signature header → 400 and a webhook_rejected warning', async () => {
    const s = await salon();
    const t = await startPayment(s, 'card');
    const { payload } = completedEvent(t.paymentId);
    const r = await stripeHook(s.companyId, payload);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'webhook.invalid_signature', params: { reason: 'missing' } });
    expect(await eventsOf(s.companyId, 'webhook_rejected')).toEqual([expect.objectContaining({ level: 'warning', data: { provider: 'stripe', reason: 'missing' } })]);
    await expectUntouched(s, t);
  });

  it('the same event delivered twice: 200 both times, one state change, two webhook_received (the second a duplicate)', async () => {
    const s = await salon();
    const t = await startPayment(s, 'card');
    const { payload, signature } = completedEvent(t.paymentId);
    const first = await stripeHook(s.companyId, payload, signature);
    const second = await stripeHook(s.companyId, payload, signature);
    expect([first.status, second.status]).toEqual([200, 200]);
    await expectSettledOnce(s, t, 5000);
    const eventId = JSON.parse(payload).id;
    const received = await eventsOf(s.companyId, 'webhook_received');
    expect(received.map((e) => e.data)).toEqual([
      { provider: 'stripe', eventType: 'checkout.session.completed', providerEventId: eventId, paymentId: t.paymentId },
      { provider: 'stripe', eventType: 'checkout.session.completed', providerEventId: eventId, paymentId: t.paymentId, duplicate: true },
    ]);
    const { rows } = await a.db.pool.query('SELECT event_id FROM provider_events WHERE company_id = $1', [s.companyId]);
    expect(rows).toEqual([{ event_id: eventId }]);
  });

  it('the same event raced 20 times in parallel: exactly one sale, one payments row, one payment_confirmed', async () => {
    const s = await salon();
    const t = await startPayment(s, 'card');
    const { payload, signature } = completedEvent(t.paymentId);
    const answers = await Promise.all(Array.from({ length: 20 }, () => stripeHook(s.companyId, payload, signature)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    await expectSettledOnce(s, t, 5000);
    expect(await ledger(s.companyId)).toEqual({ sales: 1, paidQrSales: 1, payments: 1, confirmed: 1, failed: 0 });
    const received = await eventsOf(s.companyId, 'webhook_received');
    expect(received).toHaveLength(20);
    expect(received.filter((e) => e.data.duplicate === true)).toHaveLength(19);
    const { rows } = await a.db.pool.query('SELECT count(*)::int AS n FROM receipts WHERE company_id = $1', [s.companyId]);
    expect(rows[0].n).toBe(1);
  });

  it('out of order: checkout.session.expired after completed changes nothing', async () => {
    const s = await salon();
    const t = await startPayment(s, 'card');
    const { payload, signature, cs } = completedEvent(t.paymentId);
    expect((await stripeHook(s.companyId, payload, signature)).status).toBe(200);
    const expired = stripe.event('checkout.session.expired', { ...cs, status: 'expired', payment_status: 'unpaid' });
    expect((await stripeHook(s.companyId, expired, stripe.sign(expired, STRIPE_CREDS.webhookSecret, nowS()))).status).toBe(200);
    await expectSettledOnce(s, t, 5000);
    expect(await paymentOf(s, t.paymentId)).toMatchObject({ status: 'succeeded', failureReason: null });
    expect(await ledger(s.companyId)).toMatchObject({ failed: 0 });
    expect((await eventsOf(s.companyId, 'webhook_received')).map((e) => e.data.eventType)).toEqual(['checkout.session.completed', 'checkout.session.expired']);
  });

  it('out of order: payment_intent.payment_failed after completed changes nothing', async () => {
    const s = await salon();
    const t = await startPayment(s, 'card');
    const { payload, signature, cs } = completedEvent(t.paymentId);
    expect((await stripeHook(s.companyId, payload, signature)).status).toBe(200);
    const failed = stripe.event('payment_intent.payment_failed', cs);
    expect((await stripeHook(s.companyId, failed, stripe.sign(failed, STRIPE_CREDS.webhookSecret, nowS()))).status).toBe(200);
    await expectSettledOnce(s, t, 5000);
    expect(await paymentOf(s, t.paymentId)).toMatchObject({ status: 'succeeded', failureReason: null });
    expect(await ledger(s.companyId)).toMatchObject({ failed: 0 });
  });

  it('a late success: completed arriving after payment_failed still settles', async () => {
    const s = await salon();
    const t = await startPayment(s, 'card');
    const cs0 = checkoutOf(t.paymentId);
    const failed = stripe.event('payment_intent.payment_failed', cs0);
    expect((await stripeHook(s.companyId, failed, stripe.sign(failed, STRIPE_CREDS.webhookSecret, nowS()))).status).toBe(200);
    expect(await paymentOf(s, t.paymentId)).toMatchObject({ status: 'failed', failureReason: 'card_declined' });
    expect((await http(a.url, 'GET', t.p)).body).toMatchObject({ status: 'failed', next: 'retry', payment: { status: 'failed' } });
    expect((await eventsOf(s.companyId, 'payment_failed')).map((e) => [e.level, e.data])).toEqual([['warning', { paymentId: t.paymentId, method: 'card', reason: 'card_declined' }]]);

    const { payload, signature } = completedEvent(t.paymentId);
    expect((await stripeHook(s.companyId, payload, signature)).status).toBe(200);
    await expectSettledOnce(s, t, 5000);
    expect(await paymentOf(s, t.paymentId)).toMatchObject({ status: 'succeeded', received: 5000, failureReason: null });
    expect((await http(a.url, 'GET', t.p)).body).toMatchObject({ status: 'paid', next: 'receipt' });
  });

  it("metadata naming ANOTHER company's payment, posted to this company's URL with its secret, changes nothing in either", async () => {
    const [mine, theirs] = await Promise.all([salon(), salon()]);
    const myPayment = await startPayment(mine, 'card');
    const theirPayment = await startPayment(theirs, 'card');
    const { payload } = completedEvent(theirPayment.paymentId);
    expect(JSON.parse(payload).data.object.metadata).toMatchObject({ paymentId: theirPayment.paymentId, companyId: theirs.companyId });
    const forged = await stripeHook(mine.companyId, payload, stripe.sign(payload, STRIPE_CREDS.webhookSecret, nowS()));
    expect(forged.status).toBe(200);
    await expectUntouched(mine, myPayment);
    await expectUntouched(theirs, theirPayment);
    // Recorded where it was posted, naming no payment; nothing at all on the other side.
    expect((await eventsOf(mine.companyId, 'webhook_received')).map((e) => [e.data, e.subjects])).toEqual([
      [{ provider: 'stripe', eventType: 'checkout.session.completed', providerEventId: JSON.parse(payload).id }, {}],
    ]);
    expect(await eventsOf(theirs.companyId, 'webhook_received')).toEqual([]);
    // Same for mobile money: their payment id as the reference, our URL and secret.
    const mmBody = mm.webhook({ reference: theirPayment.paymentId, status: 'succeeded', amount: 5000 }, MM_CREDS.webhookSecret, nowS());
    expect((await mmHook(mine.companyId, mmBody.body, mmBody.signature)).status).toBe(200);
    await expectUntouched(mine, myPayment);
    await expectUntouched(theirs, theirPayment);
    // The genuine delivery to their own URL still settles theirs (the id was not burnt).
    expect((await stripeHook(theirs.companyId, payload, stripe.sign(payload, STRIPE_CREDS.webhookSecret, nowS()))).status).toBe(200);
    await expectSettledOnce(theirs, theirPayment, 5000);
    await expectUntouched(mine, myPayment);
  });

  it('an unknown company id → 404 (Stripe and mobile money)', async () => {
    const unknown = randomUUID();
    const payload = JSON.stringify({ id: 'evt_x', object: 'event', type: 'checkout.session.completed', data: { object: {} } });
    const r = await stripeHook(unknown, payload, stripe.sign(payload, STRIPE_CREDS.webhookSecret, nowS()));
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: 404, code: 'not_found' });
    const m = mm.webhook({ reference: randomUUID(), status: 'succeeded', amount: 1 }, MM_CREDS.webhookSecret, nowS());
    expect((await mmHook(unknown, m.body, m.signature)).status).toBe(404);
    const { rows } = await a.db.pool.query('SELECT count(*)::int AS n FROM events WHERE company_id = $1', [unknown]);
    expect(rows[0].n).toBe(0);
  });
});

// ---------- 2. Mobile money ----------

describe('mobile-money webhooks', () => {
  const mmSigned = (reference: string, status: 'succeeded' | 'failed' | 'pending' | 'expired', amount: number, id?: string) =>
    mm.webhook({ reference, status, amount, ...(id ? { id } : {}) }, MM_CREDS.webhookSecret, nowS());

  it('underpaid leaves the payment pending with payment_issue {received, due}; the full amount then settles', async () => {
    const s = await salon();
    const t = await startPayment(s, 'mobile_money', { amount: 2500, phone: '+22507000002' });
    expect(mm.byReference(t.paymentId)).toMatchObject({ amount: 2500, currency: 'XOF', phone: '+22507000002', status: 'pending' });
    const part = mmSigned(t.paymentId, 'succeeded', 1000);
    expect((await mmHook(s.companyId, part.body, part.signature)).status).toBe(200);
    expect(await paymentOf(s, t.paymentId)).toMatchObject({ status: 'pending', amount: 2500, received: 1000, issue: 'underpaid', completedAt: null });
    expect((await sessionOf(s, t.sessionId)).status).toBe('payment_initiated');
    expect((await http(a.url, 'GET', t.p)).body).toMatchObject({ status: 'payment_initiated', next: 'pending', payment: { status: 'pending', received: 1000, issue: 'underpaid' } });
    expect((await eventsOf(s.companyId, 'payment_issue')).map((e) => [e.level, e.data])).toEqual([
      ['warning', { paymentId: t.paymentId, issue: 'underpaid', received: 1000, due: 2500, currency: 'XOF' }],
    ]);
    expect(await ledger(s.companyId)).toEqual({ sales: 0, paidQrSales: 0, payments: 0, confirmed: 0, failed: 0 });

    const full = mmSigned(t.paymentId, 'succeeded', 2500);
    expect(JSON.parse(full.body).id).not.toBe(JSON.parse(part.body).id);
    expect((await mmHook(s.companyId, full.body, full.signature)).status).toBe(200);
    await expectSettledOnce(s, t, 2500);
    expect(await paymentOf(s, t.paymentId)).toMatchObject({ status: 'succeeded', received: 2500, issue: null });
    expect(await eventsOf(s.companyId, 'payment_issue')).toHaveLength(1);
  });

  it("overpaid succeeds with issue 'overpaid' and a payment_issue event", async () => {
    const s = await salon();
    const t = await startPayment(s, 'mobile_money', { amount: 2500 });
    const over = mmSigned(t.paymentId, 'succeeded', 3000);
    expect((await mmHook(s.companyId, over.body, over.signature)).status).toBe(200);
    // The sale is for what was due (2500); the 500 surplus is the issue.
    await expectSettledOnce(s, t, 2500);
    expect(await paymentOf(s, t.paymentId)).toMatchObject({ status: 'succeeded', amount: 2500, received: 3000, issue: 'overpaid' });
    expect((await eventsOf(s.companyId, 'payment_issue')).map((e) => [e.level, e.data])).toEqual([
      ['warning', { paymentId: t.paymentId, issue: 'overpaid', received: 3000, due: 2500, currency: 'XOF' }],
    ]);
  });

  it('failed → payment failed, session failed, payment_failed; the client can then pay by cash', async () => {
    const s = await salon();
    const t = await startPayment(s, 'mobile_money', { amount: 2500 });
    const f = mmSigned(t.paymentId, 'failed', 2500);
    expect((await mmHook(s.companyId, f.body, f.signature)).status).toBe(200);
    expect(await paymentOf(s, t.paymentId)).toMatchObject({ status: 'failed', failureReason: 'provider_failed', received: null, completedAt: null });
    expect(await sessionOf(s, t.sessionId)).toMatchObject({ status: 'failed', saleId: null });
    expect((await eventsOf(s.companyId, 'payment_failed')).map((e) => [e.level, e.data])).toEqual([['warning', { paymentId: t.paymentId, method: 'mobile_money', reason: 'provider_failed' }]]);
    expect((await http(a.url, 'GET', t.p)).body).toMatchObject({ status: 'failed', next: 'retry', payment: { id: t.paymentId, status: 'failed' } });

    const cash = await http(a.url, 'POST', `${t.p}/pay`, { method: 'cash' });
    expect(cash.status, JSON.stringify(cash.body)).toBe(200);
    expect(cash.body).toMatchObject({ status: 'payment_initiated', next: 'pending', payment: { method: 'cash', status: 'pending', amount: 2500 } });
    expect(cash.body.payment.id).not.toBe(t.paymentId);
    const confirmed = await s.owner.post(`${s.base}/payments/${cash.body.payment.id}/confirm`, {});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect((await http(a.url, 'GET', t.p)).body).toMatchObject({ status: 'paid', next: 'receipt', payment: { method: 'cash', status: 'succeeded' } });
    expect(await ledger(s.companyId)).toEqual({ sales: 1, paidQrSales: 1, payments: 1, confirmed: 1, failed: 1 });
  });

  it('the same confirmation delivered twice: one settlement, the second recorded as a duplicate', async () => {
    const s = await salon();
    const t = await startPayment(s, 'mobile_money', { amount: 2500 });
    const ok = mmSigned(t.paymentId, 'succeeded', 2500);
    const answers = await Promise.all(Array.from({ length: 20 }, () => mmHook(s.companyId, ok.body, ok.signature)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    await expectSettledOnce(s, t, 2500);
    const received = await eventsOf(s.companyId, 'webhook_received');
    expect(received).toHaveLength(20);
    expect(received.filter((e) => e.data.duplicate === true)).toHaveLength(19);
  });

  it('a succeeded and a failed event for the same payment raced (10 + 10): one terminal outcome, consistent with the session', async () => {
    const s = await salon();
    const t = await startPayment(s, 'mobile_money', { amount: 2500 });
    const deliveries = Array.from({ length: 20 }, (_, i) => mmSigned(t.paymentId, i % 2 === 0 ? 'succeeded' : 'failed', 2500));
    const answers = await Promise.all(deliveries.map((d) => mmHook(s.companyId, d.body, d.signature)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    // A success settles a pending or failed payment; a failure only fails a pending one.
    // Whatever the order, the end is: succeeded, session paid, one sale.
    await expectSettledOnce(s, t, 2500);
    const l = await ledger(s.companyId);
    expect(l).toMatchObject({ sales: 1, paidQrSales: 1, payments: 1, confirmed: 1 });
    expect(l.failed).toBeLessThanOrEqual(1);
    const received = await eventsOf(s.companyId, 'webhook_received');
    expect(received).toHaveLength(20);
    expect(received.filter((e) => e.data.duplicate)).toHaveLength(0);
    expect((await http(a.url, 'GET', t.p)).body).toMatchObject({ status: 'paid', next: 'receipt', payment: { status: 'succeeded', received: 2500 } });
  });

  it('bad, tampered, stale or missing X-Signature → 400 + webhook_rejected, nothing changes', async () => {
    const s = await salon();
    const t = await startPayment(s, 'mobile_money', { amount: 2500 });
    const good = mmSigned(t.paymentId, 'succeeded', 2500);
    const other = mm.webhook({ reference: t.paymentId, status: 'succeeded', amount: 2500 }, 'mm_whsec_not_this_company', nowS());
    const stale = mm.webhook({ reference: t.paymentId, status: 'succeeded', amount: 2500 }, MM_CREDS.webhookSecret, nowS() - 301);
    const future = mm.webhook({ reference: t.paymentId, status: 'succeeded', amount: 2500 }, MM_CREDS.webhookSecret, nowS() + 400);
    const tampered = good.body.replace('"amount":2500', '"amount":25000');
    expect(tampered).not.toBe(good.body);
    const tries: Array<[string, string | undefined, string]> = [
      [other.body, other.signature, 'mismatch'],
      [tampered, good.signature, 'mismatch'],
      [stale.body, stale.signature, 'stale'],
      [future.body, future.signature, 'stale'],
      [good.body, undefined, 'missing'],
      [good.body, 'v1=deadbeef', 'malformed'],
    ];
    for (const [body, sig, reason] of tries) {
      const r = await mmHook(s.companyId, body, sig);
      expect(r.status, `${reason}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body).toMatchObject({ code: 'webhook.invalid_signature', params: { reason } });
    }
    expect((await eventsOf(s.companyId, 'webhook_rejected')).map((e) => [e.level, e.data])).toEqual(
      tries.map(([, , reason]) => ['warning', { provider: 'mobile_money', reason }]),
    );
    expect(await eventsOf(s.companyId, 'webhook_received')).toEqual([]);
    await expectUntouched(s, t);
    expect((await mmHook(s.companyId, good.body, good.signature)).status).toBe(200);
    await expectSettledOnce(s, t, 2500);
  });
});

// ---------- 3. Provider unreachable at initiation ----------

describe('provider unreachable when paying', () => {
  async function expectFailedThenCash(s: Salon, t: { sessionId: string; p: string }, method: 'card' | 'mobile_money', amount: number) {
    const session = await sessionOf(s, t.sessionId);
    expect(session).toMatchObject({ status: 'failed', saleId: null, payment: { method, status: 'failed', failureReason: 'provider.unreachable' } });
    const paymentId = session.payment.id as string;
    expect((await eventsOf(s.companyId, 'payment_failed')).map((e) => e.data)).toEqual([{ paymentId, method, reason: 'provider.unreachable' }]);
    expect((await http(a.url, 'GET', t.p)).body).toMatchObject({ status: 'failed', next: 'retry', payment: { id: paymentId, status: 'failed', checkoutUrl: null } });
    const cash = await http(a.url, 'POST', `${t.p}/pay`, { method: 'cash' });
    expect(cash.status, JSON.stringify(cash.body)).toBe(200);
    expect(cash.body).toMatchObject({ status: 'payment_initiated', next: 'pending', payment: { method: 'cash', status: 'pending', amount } });
    const ok = await s.owner.post(`${s.base}/payments/${cash.body.payment.id}/confirm`, {});
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await http(a.url, 'GET', t.p)).body).toMatchObject({ status: 'paid', next: 'receipt' });
    expect(await ledger(s.companyId)).toEqual({ sales: 1, paidQrSales: 1, payments: 1, confirmed: 1, failed: 1 });
  }

  async function untilPay(s: Salon, amount?: number) {
    const created = await s.owner.post(`${s.base}/payment-sessions`, amount ? { amount } : { serviceId: s.serviceId });
    const p = `/api/v1/public/pay/${created.body.publicUrl.split('/pay/')[1]}`;
    expect((await http(a.url, 'POST', `${p}/identify`, { name: 'Moussa', phone: '+22507000003' })).body.next).toBe('pay');
    return { sessionId: created.body.id as string, p };
  }

  it('mobile money down → 502 pay.provider_unavailable, payment and session failed, cash works afterwards', async () => {
    const s = await salon();
    const t = await untilPay(s, 2500);
    const before = mm.calls.length;
    mm.setDown(true);
    let r: HttpRes;
    try {
      r = await http(a.url, 'POST', `${t.p}/pay`, { method: 'mobile_money' });
    } finally {
      mm.setDown(false);
    }
    expect(r.status, JSON.stringify(r.body)).toBe(502);
    expect(r.body).toMatchObject({ status: 502, code: 'pay.provider_unavailable' });
    // Three attempts, one idempotency key (a retry never charges twice).
    const attempts = mm.calls.slice(before).filter((c) => c.path === '/payments');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((c) => c.idempotencyKey)).size).toBe(1);
    await expectFailedThenCash(s, t, 'mobile_money', 2500);
  });

  it('Stripe failing → 502 pay.provider_unavailable, payment and session failed, cash works afterwards', async () => {
    const s = await salon();
    const t = await untilPay(s);
    stripe.failNext(10);
    let r: HttpRes;
    try {
      r = await http(a.url, 'POST', `${t.p}/pay`, { method: 'card' });
    } finally {
      stripe.failNext(0);
    }
    expect(r.status, JSON.stringify(r.body)).toBe(502);
    expect(r.body).toMatchObject({ status: 502, code: 'pay.provider_unavailable' });
    await expectFailedThenCash(s, t, 'card', 5000);
  });
});

// ---------- 4. No secrets or personal payment data in logs and events ----------

describe('logs and events', () => {
  it('carry no card number, CVC, provider keys, webhook secrets or client contact details', async () => {
    const lines: string[] = [];
    // pino writes through process.stdout when its write was replaced before the logger
    // was built (otherwise it opens fd 1 directly): install the spy first.
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write);
    let b: TestApp | undefined;
    const phone = '+22507999888';
    const email = 'mariam.kone@example.test';
    let companyId = '';
    try {
      b = await startTestApp(dbUrl, { STRIPE_API_BASE: stripe.url, MOBILE_MONEY_URL: mm.url, COMPTOIR_SECRET_KEY: SECRET_KEY, LOG_LEVEL: 'info', COMPTOIR_JOBS: 'on' }, { pollingIntervalSeconds: 0.5 });
      const app = b;
      const s = await salon(app);
      companyId = s.companyId;
      expect((await s.owner.post(`${s.base}/payment-providers/stripe/test`, {})).body).toEqual({ ok: true, code: 'provider.ok' });
      expect((await s.owner.post(`${s.base}/payment-providers/mobile_money/test`, {})).body).toEqual({ ok: true, code: 'provider.ok' });

      // Card: a Stripe payload carrying a card number and CVC in a metadata-free field.
      const card = await startPayment(s, 'card', { phone, email, app });
      const cs = stripe.complete(checkoutOf(card.paymentId).id);
      const event = JSON.parse(stripe.event('checkout.session.completed', cs));
      event.data.object.card_number = '4242424242424242';
      event.data.object.cvc = '123';
      event.data.object.customer_details = { email, phone, name: 'Mariam Koné' };
      const payload = JSON.stringify(event);
      const forged = await stripeHook(s.companyId, payload, stripe.sign(payload, 'whsec_forger_0000', Math.floor(app.clock.now().getTime() / 1000)), app.url);
      expect(forged.status).toBe(400);
      const hook = await stripeHook(s.companyId, payload, stripe.sign(payload, STRIPE_CREDS.webhookSecret, Math.floor(app.clock.now().getTime() / 1000)), app.url);
      expect(hook.status, JSON.stringify(hook.body)).toBe(200);
      expect((await http(app.url, 'GET', card.p)).body).toMatchObject({ status: 'paid' });

      // Mobile money, with a rejected delivery too.
      const mobile = await startPayment(s, 'mobile_money', { amount: 2500, phone, app });
      const t = Math.floor(app.clock.now().getTime() / 1000);
      const bad = mm.webhook({ reference: mobile.paymentId, status: 'succeeded', amount: 2500 }, 'mm_whsec_forger', t);
      expect((await mmHook(s.companyId, bad.body, bad.signature, app.url)).status).toBe(400);
      const ok = mm.webhook({ reference: mobile.paymentId, status: 'succeeded', amount: 2500 }, MM_CREDS.webhookSecret, t);
      expect((await mmHook(s.companyId, ok.body, ok.signature, app.url)).status).toBe(200);
      expect((await http(app.url, 'GET', mobile.p)).body).toMatchObject({ status: 'paid' });
      // A provider outage at initiation (an error path that logs).
      const third = await s.owner.post(`${s.base}/payment-sessions`, { amount: 1500 });
      const p3 = `/api/v1/public/pay/${third.body.publicUrl.split('/pay/')[1]}`;
      await http(app.url, 'POST', `${p3}/identify`, { name: 'Mariam', phone });
      mm.setDown(true);
      try {
        expect((await http(app.url, 'POST', `${p3}/pay`, { method: 'mobile_money' })).status).toBe(502);
      } finally {
        mm.setDown(false);
      }
      // The logger really was captured: the webhook requests are in it.
      await waitFor(() => lines.some((l) => l.includes(`/api/v1/webhooks/mobile-money/${s.companyId}`)), 5000, 'webhook request log lines');
    } finally {
      await b?.stop();
      spy.mockRestore();
    }

    const logged = lines.filter((l) => l.startsWith('{'));
    expect(logged.some((l) => l.includes(`/api/v1/webhooks/stripe/${companyId}`))).toBe(true);
    expect(logged.some((l) => /"level":30/.test(l))).toBe(true);
    const forbidden = [
      '4242424242424242',
      '"cvc"',
      '"123"',
      'card_number',
      STRIPE_CREDS.secretKey,
      STRIPE_CREDS.webhookSecret,
      MM_CREDS.apiKey,
      MM_CREDS.webhookSecret,
      SECRET_KEY,
      phone,
      '07999888',
      email,
    ];
    const leaksIn = (texts: string[]) => forbidden.flatMap((f) => texts.filter((x) => x.includes(f)).map((x) => `${f} in ${x.slice(0, 300)}`));
    expect(leaksIn(logged)).toEqual([]);

    const { rows: events } = await a.db.pool.query('SELECT row_to_json(e)::text AS row FROM events e WHERE company_id = $1', [companyId]);
    expect(events.length).toBeGreaterThan(10);
    expect(leaksIn(events.map((r) => r.row as string))).toEqual([]);
    const { rows: notes } = await a.db.pool.query('SELECT row_to_json(n)::text AS row FROM notifications n WHERE company_id = $1', [companyId]);
    expect(leaksIn(notes.map((r) => r.row as string))).toEqual([]);
  });
});
