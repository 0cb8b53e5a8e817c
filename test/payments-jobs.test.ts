import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { releaseExpiredHolds } from '../src/modules/catalog/index.ts';
import { refundThroughProvider, sweepPayments } from '../src/modules/payments/index.ts';
import { jobDepsOf, startTestApp, type TestApp } from './support/app.ts';
import { expectLedgerConsistent } from './support/catalog-helpers.ts';
import { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { createCompany, signUp } from './support/factories.ts';
import { configureProviders, MM_CREDS, type MobileMoneyStandin, STRIPE_CREDS, type StandinSession, type StripeStandin, startMobileMoneyStandin, startStripeStandin } from './support/pay-kit.ts';
import { storefront } from './support/storefront-kit.ts';

// The payments jobs run directly (jobs off: no cron races the test), with the test clock:
// session expiry, the pending-payment timeout that asks the provider first, online
// orders paid by card (late successes, paid_unfulfilled and the refund job), and a
// counter sale paid through a provider request.
let a: TestApp;
let drop: () => Promise<void>;
let stripe: StripeStandin;
let mm: MobileMoneyStandin;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  [stripe, mm] = await Promise.all([startStripeStandin(), startMobileMoneyStandin()]);
  a = await startTestApp(db.url, {
    STRIPE_API_BASE: stripe.url,
    MOBILE_MONEY_URL: mm.url,
    COMPTOIR_SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789',
  });
});
afterEach(async () => {
  stripe.failNext(0);
  mm.setDown(false);
  mm.failNext(0);
  a.clock.reset();
  await expectLedgerConsistent(a.db.pool);
});
afterAll(async () => {
  await a?.stop();
  await Promise.all([stripe?.stop(), mm?.stop()]);
  await drop();
});

const sweep = () => sweepPayments(jobDepsOf(a));
const pub = () => new Client(a.app);
const unix = () => Math.floor(a.clock.now().getTime() / 1000);

async function salon(fields: Record<string, unknown> = {}) {
  const owner = await signUp(a.app, 'Aminata');
  const company = await createCompany(owner.client, { name: 'Salon Aminata', currency: 'XOF', timezone: 'Africa/Abidjan', ...fields });
  const base = `/api/v1/companies/${company.id}`;
  const svc = await owner.client.post(`${base}/products`, { name: 'Coupe femme', kind: 'service', price: 5000 });
  expect(svc.status, JSON.stringify(svc.body)).toBe(201);
  await configureProviders(owner.client, company.id);
  return { owner: owner.client, company, base, serviceId: svc.body.id as string };
}
type Salon = Awaited<ReturnType<typeof salon>>;

/** A QR session opened by staff; `p` is its public API path. */
async function openSession(s: Salon, body: Record<string, unknown> = {}) {
  const res = await s.owner.post(`${s.base}/payment-sessions`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as string, p: `/api/v1/public/pay/${res.body.publicUrl.split('/pay/')[1]}` };
}

async function step(path: string, body?: unknown, expected = 200) {
  const res = await pub().post(path, body);
  expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(expected);
  return res.body;
}

/** A session with a fixed amount, identified and with a payment pending by the given method. */
async function pendingPayment(s: Salon, method: 'cash' | 'card' | 'mobile_money', amount: number, phone = '+22507000010') {
  const x = await openSession(s, { amount });
  await step(`${x.p}/identify`, { name: 'Client', phone });
  const paid = await step(`${x.p}/pay`, { method });
  expect(paid).toMatchObject({ status: 'payment_initiated', next: 'pending', payment: { method, status: 'pending', amount } });
  return { ...x, paymentId: paid.payment.id as string };
}

const staffSession = async (s: Salon, id: string) => (await s.owner.get(`${s.base}/payment-sessions/${id}`)).body;
const payment = async (s: { owner: Client; base: string }, id: string) => (await s.owner.get(`${s.base}/payments/${id}`)).body;
const stripeSessionOf = (paymentId: string) => [...stripe.sessions.values()].find((x) => x.metadata.paymentId === paymentId)!;

async function events(companyId: string, type: string, subject?: [string, string]) {
  const { rows } = await a.db.pool.query(
    `SELECT data, level, subjects FROM events WHERE company_id = $1 AND type = $2 AND ($3::text IS NULL OR subjects->>$3 = $4) ORDER BY position`,
    [companyId, type, subject?.[0] ?? null, subject?.[1] ?? null],
  );
  return rows as Array<{ data: Record<string, unknown>; level: string; subjects: Record<string, string> }>;
}

/** A signed checkout.session.completed, posted over real HTTP as Stripe would. */
async function stripeCompleted(companyId: string, session: StandinSession, eventId?: string) {
  const payload = stripe.event('checkout.session.completed', session, eventId);
  const res = await fetch(`${a.url}/api/v1/webhooks/stripe/${companyId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': stripe.sign(payload, STRIPE_CREDS.webhookSecret, unix()) },
    body: payload,
  });
  return { status: res.status, body: await res.json() };
}

describe('the session expiry job', () => {
  it('expires created/scanned/identified/service_selected sessions past 30 minutes, once each; payment_initiated stays', async () => {
    const s = await salon();
    const created = await openSession(s);
    const scanned = await openSession(s);
    await step(`${scanned.p}/scan`);
    const identified = await openSession(s);
    await step(`${identified.p}/identify`, { name: 'Awa' });
    const selected = await openSession(s);
    await step(`${selected.p}/identify`, { name: 'Binta' });
    await step(`${selected.p}/service`, { serviceId: s.serviceId });
    const fixed = await openSession(s, { amount: 3000 });
    const initiated = await pendingPayment(s, 'cash', 2500);
    const expirable = { created, scanned, identified, selected, fixed };
    for (const [status, x] of Object.entries({ created, scanned, identified, service_selected: selected })) {
      expect((await staffSession(s, x.id)).status).toBe(status);
    }

    a.clock.advanceMinutes(29);
    await sweep();
    expect(await events(s.company.id, 'session_expired')).toEqual([]);
    // Opened just before the others lapse: it has its own 30 minutes.
    const late = await openSession(s);

    a.clock.advanceMinutes(2);
    await sweep();
    await sweep();
    for (const x of Object.values(expirable)) {
      expect(await events(s.company.id, 'session_expired', ['paymentSessionId', x.id]), x.id).toHaveLength(1);
      const { rows } = await a.db.pool.query('SELECT status FROM payment_sessions WHERE id = $1', [x.id]);
      expect(rows[0].status).toBe('expired');
    }
    expect(await events(s.company.id, 'session_expired')).toHaveLength(5);
    expect(await staffSession(s, initiated.id)).toMatchObject({ status: 'payment_initiated', payment: { id: initiated.paymentId, status: 'pending' } });
    expect((await staffSession(s, late.id)).status).toBe('created');

    // The public page says so, and every step is refused.
    for (const x of Object.values(expirable)) {
      const page = await pub().get(x.p);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ status: 'expired', next: 'closed', payment: null, receipt: null });
    }
    const refusals = [
      [identified.p, 'identify', { name: 'Awa' }],
      [selected.p, 'identify', { name: 'Binta' }],
      [identified.p, 'service', { serviceId: s.serviceId }],
      [fixed.p, 'service', { serviceId: s.serviceId }],
      [fixed.p, 'pay', { method: 'mobile_money' }],
      [selected.p, 'pay', { method: 'cash' }],
      [created.p, 'pay', { method: 'cash' }],
      [identified.p, 'pay', { method: 'card' }],
      [scanned.p, 'cancel', {}],
    ] as const;
    for (const [p, what, body] of refusals) {
      const res = await pub().post(`${p}/${what}`, body);
      expect([what, res.status, res.body.code, res.headers['content-type']], JSON.stringify(res.body)).toEqual([what, 409, 'pay.closed', expect.stringContaining('application/problem+json')]);
    }
    // Nothing was paid for an expired session.
    const { rows } = await a.db.pool.query('SELECT count(*)::int AS n FROM payment_intents WHERE company_id = $1', [s.company.id]);
    expect(rows[0].n).toBe(1);
  });

  it('two sweeps racing 20 client steps expire each session exactly once', async () => {
    const s = await salon();
    const sessions = [];
    for (let i = 0; i < 20; i++) {
      const x = await openSession(s);
      if (i % 2) await step(`${x.p}/identify`, { name: `Client ${i}` });
      sessions.push(x);
    }
    a.clock.advanceMinutes(31);
    const [, , ...answers] = await Promise.all([
      sweep(),
      sweep(),
      ...sessions.map((x) => pub().post(`${x.p}/identify`, { name: 'Trop tard' })),
    ]);
    for (const res of answers) expect([res.status, res.body.code]).toEqual([409, 'pay.closed']);
    for (const x of sessions) expect(await events(s.company.id, 'session_expired', ['paymentSessionId', x.id]), x.id).toHaveLength(1);
    const { rows } = await a.db.pool.query(`SELECT status, count(*)::int AS n FROM payment_sessions WHERE company_id = $1 GROUP BY status`, [s.company.id]);
    expect(rows).toEqual([{ status: 'expired', n: 20 }]);
    // Whoever came first expired it (the job, or the client's request), and only once.
    const { rows: by } = await a.db.pool.query(
      `SELECT actor_type, count(*)::int AS n FROM events WHERE company_id = $1 AND type = 'session_expired' GROUP BY actor_type`,
      [s.company.id],
    );
    expect(by.every((r) => ['job', 'client'].includes(r.actor_type))).toBe(true);
    expect(by.reduce((n, r) => n + r.n, 0)).toBe(20);
  });

  it("a company's qrSessionMinutes (5) is the limit; another company keeps the default 30", async () => {
    const quick = await salon();
    const patched = await quick.owner.patch(`/api/v1/companies/${quick.company.id}`, { settings: { qrSessionMinutes: 5 } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.settings).toMatchObject({ qrSessionMinutes: 5, paymentTimeoutMinutes: 60 });
    const slow = await salon();
    const q = await openSession(quick, { serviceId: quick.serviceId });
    const o = await openSession(slow, { serviceId: slow.serviceId });
    const qView = await staffSession(quick, q.id);
    expect(new Date(qView.expiresAt).getTime() - new Date(qView.createdAt).getTime()).toBe(5 * 60_000);
    const oView = await staffSession(slow, o.id);
    expect(new Date(oView.expiresAt).getTime() - new Date(oView.createdAt).getTime()).toBe(30 * 60_000);

    a.clock.advanceMinutes(4);
    await sweep();
    expect(await events(quick.company.id, 'session_expired')).toEqual([]);
    a.clock.advanceMinutes(2);
    await sweep();
    expect(await events(quick.company.id, 'session_expired', ['paymentSessionId', q.id])).toHaveLength(1);
    expect(await events(slow.company.id, 'session_expired')).toEqual([]);
    expect((await pub().get(q.p)).body).toMatchObject({ status: 'expired', next: 'closed' });
    expect((await pub().get(o.p)).body).toMatchObject({ status: 'created', next: 'scan' });
    const refused = await pub().post(`${q.p}/pay`, { method: 'cash' });
    expect([refused.status, refused.body.code]).toEqual([409, 'pay.closed']);
    // The other company's session still works.
    await step(`${o.p}/identify`, { name: 'Awa' });
  });
});

describe('the pending-payment timeout asks the provider first', () => {
  it('paid at Stripe → settled; open at Stripe → expired there and failed; mobile money succeeded → settled; cash → failed', async () => {
    const s = await salon();
    const cardPaid = await pendingPayment(s, 'card', 5000);
    const cardOpen = await pendingPayment(s, 'card', 4000);
    const mmPaid = await pendingPayment(s, 'mobile_money', 2500, '+22507000011');
    const cash = await pendingPayment(s, 'cash', 1500);
    const paidAtStripe = stripeSessionOf(cardPaid.paymentId);
    const openAtStripe = stripeSessionOf(cardOpen.paymentId);
    expect([paidAtStripe.amount_total, openAtStripe.amount_total]).toEqual([5000, 4000]);
    // The customer pays on Stripe's page; no webhook ever arrives.
    stripe.complete(paidAtStripe.id);
    mm.byReference(mmPaid.paymentId)!.status = 'succeeded';

    a.clock.advanceMinutes(59);
    await sweep();
    for (const x of [cardPaid, cardOpen, mmPaid, cash]) expect((await payment(s, x.paymentId)).status).toBe('pending');
    expect(openAtStripe.status).toBe('open');

    a.clock.advanceMinutes(2);
    await sweep();
    const settled = await payment(s, cardPaid.paymentId);
    expect(settled).toMatchObject({ status: 'succeeded', received: 5000, saleId: expect.any(String), failureReason: null });
    expect(await staffSession(s, cardPaid.id)).toMatchObject({ status: 'paid', saleId: settled.saleId });
    const sale = await s.owner.get(`${s.base}/sales/${settled.saleId}`);
    expect(sale.body).toMatchObject({ status: 'paid', channel: 'qr', totals: { ttc: 5000 }, payments: [{ method: 'card', amount: 5000 }] });
    expect((await pub().get(cardPaid.p)).body).toMatchObject({ status: 'paid', next: 'receipt', receipt: { reference: sale.body.reference } });

    expect(openAtStripe.status).toBe('expired');
    expect(await payment(s, cardOpen.paymentId)).toMatchObject({ status: 'failed', failureReason: 'timeout', saleId: null, checkoutUrl: null });
    expect(await staffSession(s, cardOpen.id)).toMatchObject({ status: 'failed' });
    expect((await pub().get(cardOpen.p)).body).toMatchObject({ status: 'failed', next: 'retry', payment: { status: 'failed' } });

    const mmSettled = await payment(s, mmPaid.paymentId);
    expect(mmSettled).toMatchObject({ status: 'succeeded', received: 2500, saleId: expect.any(String) });
    expect(await staffSession(s, mmPaid.id)).toMatchObject({ status: 'paid' });

    expect(await payment(s, cash.paymentId)).toMatchObject({ status: 'failed', failureReason: 'timeout' });
    expect(await staffSession(s, cash.id)).toMatchObject({ status: 'failed' });

    const failed = await events(s.company.id, 'payment_failed');
    expect(failed.map((e) => [e.data.paymentId, e.data.reason, e.level]).sort()).toEqual(
      [[cardOpen.paymentId, 'timeout', 'warning'], [cash.paymentId, 'timeout', 'warning']].sort(),
    );
    const confirmed = await events(s.company.id, 'payment_confirmed');
    expect(confirmed.map((e) => e.data.paymentId).sort()).toEqual([cardPaid.paymentId, mmPaid.paymentId].sort());
    // Nothing is done twice by the next sweep.
    await sweep();
    expect(await events(s.company.id, 'payment_failed')).toHaveLength(2);
    expect(await events(s.company.id, 'payment_confirmed')).toHaveLength(2);
  });

  it('an unreachable provider leaves the payment pending; the next sweep asks again', async () => {
    const s = await salon();
    const card = await pendingPayment(s, 'card', 3000);
    const money = await pendingPayment(s, 'mobile_money', 2000, '+22507000012');
    const checkout = stripeSessionOf(card.paymentId);
    a.clock.advanceMinutes(61);
    stripe.failNext(100);
    mm.setDown(true);
    const stripeCalls = stripe.calls.length;
    await sweep();
    expect(stripe.calls.length).toBeGreaterThan(stripeCalls);
    expect(await payment(s, card.paymentId)).toMatchObject({ status: 'pending', failureReason: null });
    expect(await payment(s, money.paymentId)).toMatchObject({ status: 'pending', failureReason: null });
    expect(await staffSession(s, card.id)).toMatchObject({ status: 'payment_initiated' });
    expect(checkout.status).toBe('open');
    expect(await events(s.company.id, 'payment_failed')).toEqual([]);

    // Reachable again, and still unpaid: now it fails (and closes at the provider).
    stripe.failNext(0);
    mm.setDown(false);
    await sweep();
    expect(checkout.status).toBe('expired');
    expect(await payment(s, card.paymentId)).toMatchObject({ status: 'failed', failureReason: 'timeout' });
    expect(await payment(s, money.paymentId)).toMatchObject({ status: 'failed', failureReason: 'timeout' });
    expect(mm.byReference(money.paymentId)!.status).toBe('cancelled');
  });
});

describe('online orders paid by card', () => {
  async function shopWithCard() {
    const sf = await storefront(a);
    await configureProviders(sf.client, sf.company.id, ['stripe']);
    return { ...sf, owner: sf.client, base: sf.staff };
  }
  type Shop = Awaited<ReturnType<typeof shopWithCard>>;

  /** A cart of `quantity` × product, checked out and sent to Stripe Checkout. */
  async function orderPaidByCard(sf: Shop, productId: string, quantity: number) {
    const token = await sf.newCart();
    expect((await sf.add(token, productId, quantity)).status).toBe(200);
    const out = await sf.checkout(token);
    expect(out.status, JSON.stringify(out.body)).toBe(201);
    const pay = await sf.call('POST', `/carts/${token}/checkout/pay`, { method: 'card' });
    expect(pay.status, JSON.stringify(pay.body)).toBe(201);
    expect(pay.body.payment).toMatchObject({ method: 'card', status: 'pending', amount: out.body.order.total, checkoutUrl: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\//) });
    return { token, orderId: out.body.order.id as string, total: out.body.order.total as number, paymentId: pay.body.payment.id as string, checkout: stripeSessionOf(pay.body.payment.id) };
  }
  const publicOrder = async (sf: Shop, o: { orderId: string; token: string }) => (await sf.call('GET', `/orders/${o.orderId}?token=${o.token}`)).body;
  const jobsOf = async (name: string, paymentId: string) =>
    (await a.db.pool.query(`SELECT data, state FROM pgboss.job WHERE name = $1 AND data->>'paymentId' = $2`, [name, paymentId])).rows;

  it('a signed checkout.session.completed pays the order: a paid online sale, its holds consumed', async () => {
    const sf = await shopWithCard();
    const good = await sf.good(5, { name: 'Pagne wax', price: 3000 });
    const o = await orderPaidByCard(sf, good.id, 2);
    expect(o.total).toBe(6000);
    expect(o.checkout).toMatchObject({ amount_total: 6000, currency: 'xof', metadata: { paymentId: o.paymentId, companyId: sf.company.id } });
    expect(o.checkout.success_url.endsWith(`/shop/${sf.company.slug}?order=${o.orderId}&checkout=success`)).toBe(true);
    expect(o.checkout.cancel_url.endsWith(`/shop/${sf.company.slug}?order=${o.orderId}&checkout=cancel`)).toBe(true);
    expect(await sf.staffProduct(good.id)).toMatchObject({ onHand: 5, held: 2 });

    stripe.complete(o.checkout.id);
    expect((await stripeCompleted(sf.company.id, o.checkout)).status).toBe(200);

    const view = await publicOrder(sf, o);
    expect(view).toMatchObject({ order: { id: o.orderId, status: 'paid', total: 6000 }, payment: { id: o.paymentId, status: 'succeeded', method: 'card', amount: 6000, checkoutUrl: null, issue: null } });
    const paid = await payment(sf, o.paymentId);
    expect(paid).toMatchObject({ status: 'succeeded', purpose: 'order', orderId: o.orderId, received: 6000, saleId: expect.any(String) });
    const sale = await sf.owner.get(`${sf.base}/sales/${paid.saleId}`);
    expect(sale.body).toMatchObject({ status: 'paid', channel: 'online', totals: { ttc: 6000 }, payments: [{ method: 'card', amount: 6000 }], items: [{ productId: good.id, quantity: 2 }] });
    expect(await sf.staffProduct(good.id)).toMatchObject({ onHand: 3, held: 0 });
    const { rows: holds } = await a.db.pool.query('SELECT status, count(*)::int AS n FROM holds WHERE company_id = $1 GROUP BY status', [sf.company.id]);
    expect(holds).toEqual([{ status: 'consumed', n: 1 }]);
  });

  it('a cancelled checkout: the sweep expires the Stripe session and the payment', async () => {
    const sf = await shopWithCard();
    const good = await sf.good(3, { price: 2000 });
    const o = await orderPaidByCard(sf, good.id, 1);
    const cancel = await sf.call('POST', `/carts/${o.token}/checkout/cancel`);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect((await publicOrder(sf, o)).order.status).toBe('cancelled');
    expect(await sf.staffProduct(good.id)).toMatchObject({ onHand: 3, held: 0 });
    expect(o.checkout.status).toBe('open');

    await sweep();
    expect(o.checkout.status).toBe('expired');
    expect(await payment(sf, o.paymentId)).toMatchObject({ status: 'expired', failureReason: 'order_closed', checkoutUrl: null });
    expect((await publicOrder(sf, o)).payment).toMatchObject({ status: 'expired', checkoutUrl: null });
    expect(await events(sf.company.id, 'payment_failed', ['paymentId', o.paymentId])).toHaveLength(1);
    // A second sweep has nothing left to do for it.
    const expireCalls = () => stripe.calls.filter((c) => c.path === `/v1/checkout/sessions/${o.checkout.id}/expire`).length;
    expect(expireCalls()).toBe(1);
    await sweep();
    expect(expireCalls()).toBe(1);
  });

  it('a checkout hold that lapses: the sweep expires the Stripe session and the payment', async () => {
    const sf = await shopWithCard();
    const good = await sf.good(2, { price: 1500 });
    const o = await orderPaidByCard(sf, good.id, 2);
    a.clock.advanceMinutes(14);
    await releaseExpiredHolds.handler(jobDepsOf(a), {});
    await sweep();
    expect(o.checkout.status).toBe('open');
    expect((await payment(sf, o.paymentId)).status).toBe('pending');
    a.clock.advanceMinutes(2);
    await releaseExpiredHolds.handler(jobDepsOf(a), {});
    expect((await publicOrder(sf, o)).order.status).toBe('expired');
    await sweep();
    expect(o.checkout.status).toBe('expired');
    expect(await payment(sf, o.paymentId)).toMatchObject({ status: 'expired', failureReason: 'order_closed' });
    expect(await sf.staffProduct(good.id)).toMatchObject({ onHand: 2, held: 0 });
  });

  it('a success after the hold lapsed takes the stock if it is still there', async () => {
    const sf = await shopWithCard();
    const good = await sf.good(3, { price: 2500 });
    const o = await orderPaidByCard(sf, good.id, 1);
    a.clock.advanceMinutes(16);
    await releaseExpiredHolds.handler(jobDepsOf(a), {});
    expect((await publicOrder(sf, o)).order.status).toBe('expired');
    expect(await sf.staffProduct(good.id)).toMatchObject({ onHand: 3, held: 0 });

    stripe.complete(o.checkout.id);
    expect((await stripeCompleted(sf.company.id, o.checkout)).status).toBe(200);
    expect(await publicOrder(sf, o)).toMatchObject({ order: { status: 'paid' }, payment: { status: 'succeeded', issue: null } });
    const paid = await payment(sf, o.paymentId);
    const sale = await sf.owner.get(`${sf.base}/sales/${paid.saleId}`);
    expect(sale.body).toMatchObject({ status: 'paid', channel: 'online', totals: { ttc: 2500 } });
    expect(await sf.staffProduct(good.id)).toMatchObject({ onHand: 2, held: 0 });
    expect(await jobsOf('payments.provider-refund', o.paymentId)).toEqual([]);
  });

  it('a success after the stock was sold to someone else: paid_unfulfilled, payment_issue, refunded by the job', async () => {
    const sf = await shopWithCard();
    const good = await sf.good(1, { price: 4500 });
    const o = await orderPaidByCard(sf, good.id, 1);
    a.clock.advanceMinutes(16);
    await releaseExpiredHolds.handler(jobDepsOf(a), {});
    // Someone buys the last one at the counter.
    const other = await sf.owner.post(`${sf.base}/sales`, { channel: 'counter', items: [{ productId: good.id, quantity: 1 }] });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const cash = await sf.owner.post(`${sf.base}/sales/${other.body.id}/payments`, { method: 'cash', amount: 4500, tendered: 5000 });
    expect(cash.status, JSON.stringify(cash.body)).toBe(201);
    expect(await sf.staffProduct(good.id)).toMatchObject({ onHand: 0, held: 0 });

    const paidAtStripe = stripe.complete(o.checkout.id);
    expect((await stripeCompleted(sf.company.id, o.checkout)).status).toBe(200);
    expect(await publicOrder(sf, o)).toMatchObject({ order: { status: 'paid_unfulfilled' }, payment: { status: 'succeeded', issue: 'paid_unfulfilled' } });
    expect(await payment(sf, o.paymentId)).toMatchObject({ status: 'succeeded', issue: 'paid_unfulfilled', saleId: null });
    const issues = await events(sf.company.id, 'payment_issue', ['paymentId', o.paymentId]);
    expect(issues.map((e) => [e.data.issue, e.level])).toEqual([['paid_unfulfilled', 'error']]);
    expect(await sf.staffProduct(good.id)).toMatchObject({ onHand: 0, held: 0 });
    const { rows: sales } = await a.db.pool.query(`SELECT count(*)::int AS n FROM sales WHERE company_id = $1 AND channel = 'online'`, [sf.company.id]);
    expect(sales[0].n).toBe(0);

    // The refund was enqueued with the payment; the job gives the money back through Stripe.
    const [job] = await jobsOf('payments.provider-refund', o.paymentId);
    expect(job).toMatchObject({ state: 'created', data: { companyId: sf.company.id, paymentId: o.paymentId, reason: 'paid_unfulfilled' } });
    await refundThroughProvider(jobDepsOf(a), job.data);
    await refundThroughProvider(jobDepsOf(a), job.data);
    expect(stripe.refunds.filter((r) => r.payment_intent === paidAtStripe.payment_intent)).toEqual([
      { payment_intent: paidAtStripe.payment_intent, amount: 4500, idempotencyKey: `comptoir-refund-${o.paymentId}` },
    ]);
    expect(await payment(sf, o.paymentId)).toMatchObject({ status: 'refunded' });
    const refunded = await events(sf.company.id, 'payment_refunded', ['paymentId', o.paymentId]);
    expect(refunded.map((e) => e.data)).toEqual([{ paymentId: o.paymentId, amount: 4500, currency: 'XOF', reason: 'paid_unfulfilled' }]);
    expect((await publicOrder(sf, o)).payment.status).toBe('refunded');
  });

  it('100 parallel webhooks for 100 orders competing for the last 5 units never oversell', async () => {
    const sf = await shopWithCard();
    const good = await sf.good(100, { name: 'Tissu', price: 1000 });
    const orders: Array<Awaited<ReturnType<typeof orderPaidByCard>>> = [];
    for (let i = 0; i < 100; i += 10) orders.push(...(await Promise.all(Array.from({ length: 10 }, () => orderPaidByCard(sf, good.id, 1)))));
    expect(await sf.staffProduct(good.id)).toMatchObject({ onHand: 100, held: 100 });
    // Every hold lapses; 95 units are lost meanwhile: 5 left for 100 paid orders.
    a.clock.advanceMinutes(16);
    await releaseExpiredHolds.handler(jobDepsOf(a), {});
    await sf.loss(good.id, 95);
    expect(await sf.staffProduct(good.id)).toMatchObject({ onHand: 5, held: 0 });

    for (const o of orders) stripe.complete(o.checkout.id);
    const deliveries = orders.map((o, i) => ({ o, id: `evt_race_${i}` }));
    // The first 20 events are delivered twice, at the same time.
    const answers = await Promise.all([...deliveries, ...deliveries.slice(0, 20)].map((d) => stripeCompleted(sf.company.id, d.o.checkout, d.id)));
    expect(answers.map((r) => r.status)).toEqual(Array(120).fill(200));

    const { rows } = await a.db.pool.query(`SELECT status, count(*)::int AS n FROM online_orders WHERE company_id = $1 GROUP BY status ORDER BY status`, [sf.company.id]);
    expect(rows).toEqual([{ status: 'paid', n: 5 }, { status: 'paid_unfulfilled', n: 95 }]);
    const { rows: intents } = await a.db.pool.query(
      `SELECT status, issue, count(*)::int AS n FROM payment_intents WHERE company_id = $1 GROUP BY status, issue ORDER BY issue NULLS FIRST`,
      [sf.company.id],
    );
    expect(intents).toEqual([{ status: 'succeeded', issue: null, n: 5 }, { status: 'succeeded', issue: 'paid_unfulfilled', n: 95 }]);
    const { rows: sales } = await a.db.pool.query(`SELECT status, count(*)::int AS n, sum(total)::int AS total FROM sales WHERE company_id = $1 AND channel = 'online' GROUP BY status`, [sf.company.id]);
    expect(sales).toEqual([{ status: 'paid', n: 5, total: 5000 }]);
    expect(await sf.staffProduct(good.id)).toMatchObject({ onHand: 0, held: 0 });
    expect(await events(sf.company.id, 'payment_issue')).toHaveLength(95);
    expect(await events(sf.company.id, 'payment_confirmed')).toHaveLength(100);
    const received = await events(sf.company.id, 'webhook_received');
    expect([received.length, received.filter((e) => e.data.duplicate === true).length]).toEqual([120, 20]);
    const { rows: refunds } = await a.db.pool.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'payments.provider-refund' AND data->>'companyId' = $1`,
      [sf.company.id],
    );
    expect(refunds[0].n).toBe(95);
    await expectLedgerConsistent(a.db.pool);
  }, 120_000);
});

describe('a counter sale paid through a provider request', () => {
  it('mobile money: a pending payment, then the signed webhook pays the sale', async () => {
    const s = await salon();
    const sale = await s.owner.post(`${s.base}/sales`, { channel: 'counter', items: [{ productId: s.serviceId, quantity: 1 }] });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    expect(sale.body).toMatchObject({ status: 'open', due: 5000 });
    const req = await s.owner.post(`${s.base}/sales/${sale.body.id}/payment-requests`, { method: 'mobile_money', phone: '+225 07 00 00 20' });
    expect(req.status, JSON.stringify(req.body)).toBe(201);
    expect(req.body).toMatchObject({ method: 'mobile_money', provider: 'mobile_money', status: 'pending', amount: 5000, currency: 'XOF', purpose: 'sale', saleId: sale.body.id, providerReference: expect.stringMatching(/^mm_/) });
    const atProvider = mm.byReference(req.body.id)!;
    expect(atProvider).toMatchObject({ amount: 5000, currency: 'XOF', phone: '+225 07 00 00 20', status: 'pending' });
    expect((await s.owner.get(`${s.base}/sales/${sale.body.id}`)).body.status).toBe('open');

    const { body, signature } = mm.webhook({ reference: req.body.id, status: 'succeeded', amount: 5000 }, MM_CREDS.webhookSecret, unix());
    const hook = await fetch(`${a.url}/api/v1/webhooks/mobile-money/${s.company.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signature }, body });
    expect(hook.status).toBe(200);
    const after = await s.owner.get(`${s.base}/sales/${sale.body.id}`);
    expect(after.body).toMatchObject({ status: 'paid', due: 0, payments: [{ method: 'mobile_money', amount: 5000 }] });
    expect(await payment(s, req.body.id)).toMatchObject({ status: 'succeeded', received: 5000, saleId: sale.body.id });
    // A later request for a paid sale is refused.
    const again = await s.owner.post(`${s.base}/sales/${sale.body.id}/payment-requests`, { method: 'mobile_money', phone: '+225 07 00 00 20' });
    expect([again.status, again.body.code]).toEqual([409, 'sale.not_open']);
  });
});

describe('webhooks and companies', () => {
  it("a provider event sent to another company's endpoint changes nothing there or here", async () => {
    const A = await salon();
    const B = await salon();
    const card = await pendingPayment(A, 'card', 5000);
    const money = await pendingPayment(A, 'mobile_money', 2500, '+22507000030');
    const checkout = stripe.complete(stripeSessionOf(card.paymentId).id);
    // Both companies use the same test secrets: the signature is valid at B's endpoint too.
    expect((await stripeCompleted(B.company.id, checkout)).status).toBe(200);
    const mmHook = (companyId: string) => {
      const { body, signature } = mm.webhook({ reference: money.paymentId, status: 'succeeded', amount: 2500 }, MM_CREDS.webhookSecret, unix());
      return fetch(`${a.url}/api/v1/webhooks/mobile-money/${companyId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signature }, body });
    };
    expect((await mmHook(B.company.id)).status).toBe(200);
    expect(await payment(A, card.paymentId)).toMatchObject({ status: 'pending' });
    expect(await payment(A, money.paymentId)).toMatchObject({ status: 'pending' });
    const { rows } = await a.db.pool.query(`SELECT count(*)::int AS n FROM payment_intents WHERE company_id = $1`, [B.company.id]);
    expect(rows[0].n).toBe(0);
    // An unknown company: 404.
    const unknown = await fetch(`${a.url}/api/v1/webhooks/stripe/00000000-0000-4000-8000-000000000000`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': 'x' }, body: '{}' });
    expect(unknown.status).toBe(404);
    // At A's own endpoint, the same events settle A's payments.
    expect((await stripeCompleted(A.company.id, checkout)).status).toBe(200);
    expect((await mmHook(A.company.id)).status).toBe(200);
    expect(await payment(A, card.paymentId)).toMatchObject({ status: 'succeeded' });
    expect(await payment(A, money.paymentId)).toMatchObject({ status: 'succeeded', received: 2500 });
  });
});
