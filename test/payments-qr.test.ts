import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { createCompany, signUp, waitFor } from './support/factories.ts';
import { configureProviders, MM_CREDS, type MobileMoneyStandin, STRIPE_CREDS, type StripeStandin, startMobileMoneyStandin, startSmsReceiver, startStripeStandin } from './support/pay-kit.ts';
import { startSmtpSink } from './support/smtp-sink.ts';

let a: TestApp;
let drop: () => Promise<void>;
let stripe: StripeStandin;
let mm: MobileMoneyStandin;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let sms: Awaited<ReturnType<typeof startSmsReceiver>>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  [stripe, mm, smtp, sms] = await Promise.all([startStripeStandin(), startMobileMoneyStandin(), startSmtpSink(), startSmsReceiver()]);
  a = await startTestApp(db.url, {
    STRIPE_API_BASE: stripe.url,
    MOBILE_MONEY_URL: mm.url,
    SMTP_URL: smtp.url,
    SMS_URL: sms.url,
    SMS_API_KEY: 'sms-key-1',
    COMPTOIR_SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789',
    COMPTOIR_JOBS: 'on',
  }, { pollingIntervalSeconds: 0.5 });
});
afterAll(async () => {
  await a?.stop();
  await Promise.all([stripe?.stop(), mm?.stop(), smtp?.stop(), sms?.stop()]);
  await drop();
});

async function salon() {
  const owner = await signUp(a.app, 'Aminata');
  const company = await createCompany(owner.client, { name: 'Salon Aminata', currency: 'XOF', timezone: 'Africa/Abidjan' });
  const base = `/api/v1/companies/${company.id}`;
  const svc = await owner.client.post(`${base}/products`, { name: 'Coupe femme', kind: 'service', price: 5000 });
  expect(svc.status, JSON.stringify(svc.body)).toBe(201);
  await configureProviders(owner.client, company.id);
  return { owner: owner.client, company, base, serviceId: svc.body.id as string };
}

const pub = () => new Client(a.app);

describe('QR payment session journey', () => {
  it('cash: scan → identify → service → cash → staff confirm → paid sale, receipt by e-mail and SMS', async () => {
    const s = await salon();
    const created = await s.owner.post(`${s.base}/payment-sessions`, {});
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.qrSvg).toContain('<svg');
    const token = created.body.publicUrl.split('/pay/')[1];
    const c = pub();
    const p = `/api/v1/public/pay/${token}`;
    expect((await c.get(p)).body).toMatchObject({ status: 'created', next: 'scan' });
    expect((await c.post(`${p}/scan`)).body).toMatchObject({ status: 'scanned', next: 'identify' });
    const id = await c.post(`${p}/identify`, { name: 'Fatou Diallo', phone: '+225 07 00 00 01', email: 'fatou@example.test' });
    expect(id.status, JSON.stringify(id.body)).toBe(200);
    expect(id.body).toMatchObject({ status: 'identified', next: 'service', client: { name: 'Fatou Diallo' } });
    expect(id.body.services.map((x: { id: string }) => x.id)).toContain(s.serviceId);
    const svc = await c.post(`${p}/service`, { serviceId: s.serviceId });
    expect(svc.body).toMatchObject({ status: 'service_selected', next: 'pay', amount: 5000 });
    const paid = await c.post(`${p}/pay`, { method: 'cash' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body).toMatchObject({ status: 'payment_initiated', next: 'pending', payment: { method: 'cash', status: 'pending', amount: 5000 } });

    const confirm = await s.owner.post(`${s.base}/payments/${paid.body.payment.id}/confirm`, {});
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    expect(confirm.body).toMatchObject({ status: 'succeeded', saleId: expect.any(String) });
    const after = await c.get(p);
    expect(after.body).toMatchObject({ status: 'paid', next: 'receipt', receipt: { reference: expect.stringMatching(/^V-/) } });

    const sale = await s.owner.get(`${s.base}/sales/${confirm.body.saleId}`);
    expect(sale.body).toMatchObject({ status: 'paid', channel: 'qr', totals: { ttc: 5000 } });

    const receipt = await c.get(`${p}/receipt`);
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({ total: 5000, currency: 'XOF', business: { name: 'Salon Aminata' }, lines: [{ name: 'Coupe femme', quantity: 1 }] });
    const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes('fatou@example.test')), 10_000, 'receipt e-mail');
    expect(mail.text).toContain(receipt.body.reference);
    const text = await waitFor(() => sms.messages.find((m) => m.to.includes('07 00 00 01')), 10_000, 'receipt SMS');
    expect(text.authorization).toBe('Bearer sms-key-1');
    expect(text.message).toContain(receipt.body.reference);

    const detail = await s.owner.get(`${s.base}/payment-sessions/${created.body.id}`);
    expect(detail.body.steps.map((x: { type: string }) => x.type)).toEqual(
      expect.arrayContaining(['qr_scanned', 'client_identified', 'service_selected', 'payment_initiated', 'payment_confirmed']),
    );
    const clients = await s.owner.get(`${s.base}/clients?search=fatou`);
    expect(clients.body.items).toMatchObject([{ name: 'Fatou Diallo', visitCount: 1, totalSpent: 5000 }]);
  });

  it('card: Stripe Checkout, then a signed webhook settles it once', async () => {
    const s = await salon();
    const created = await s.owner.post(`${s.base}/payment-sessions`, { serviceId: s.serviceId });
    const p = `/api/v1/public/pay/${created.body.publicUrl.split('/pay/')[1]}`;
    const c = pub();
    await c.post(`${p}/scan`);
    const id = await c.post(`${p}/identify`, { name: 'Awa' });
    expect(id.body.next).toBe('pay');
    const paid = await c.post(`${p}/pay`, { method: 'card' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.payment.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const session = [...stripe.sessions.values()].find((x) => x.metadata.paymentId === paid.body.payment.id)!;
    stripe.complete(session.id);
    const payload = stripe.event('checkout.session.completed', session);
    const hook = await c.request('POST', `/api/v1/webhooks/stripe/${s.company.id}`, payload, {
      'content-type': 'application/json',
      'stripe-signature': stripe.sign(payload, STRIPE_CREDS.webhookSecret),
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(200);
    expect((await c.get(p)).body).toMatchObject({ status: 'paid', payment: { status: 'succeeded' } });
  });

  it('mobile money: the provider is asked, its signed confirmation settles the session', async () => {
    const s = await salon();
    const created = await s.owner.post(`${s.base}/payment-sessions`, { amount: 2500 });
    const p = `/api/v1/public/pay/${created.body.publicUrl.split('/pay/')[1]}`;
    const c = pub();
    await c.post(`${p}/identify`, { name: 'Moussa', phone: '+22507000002' });
    const paid = await c.post(`${p}/pay`, { method: 'mobile_money' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const mmp = mm.byReference(paid.body.payment.id)!;
    expect(mmp).toMatchObject({ amount: 2500, phone: '+22507000002' });
    const { body, signature } = mm.webhook({ reference: paid.body.payment.id, status: 'succeeded', amount: 2500 }, MM_CREDS.webhookSecret, Math.floor(a.clock.now().getTime() / 1000));
    const hook = await c.request('POST', `/api/v1/webhooks/mobile-money/${s.company.id}`, body, { 'content-type': 'application/json', 'x-signature': signature });
    expect(hook.status, JSON.stringify(hook.body)).toBe(200);
    expect((await c.get(p)).body).toMatchObject({ status: 'paid', payment: { status: 'succeeded', received: 2500 } });
  });

  it('changing method while a card checkout is open closes it at Stripe first; if it was paid meanwhile, it settles instead', async () => {
    const s = await salon();
    const open = async () => {
      const created = await s.owner.post(`${s.base}/payment-sessions`, { amount: 4000 });
      const p = `/api/v1/public/pay/${created.body.publicUrl.split('/pay/')[1]}`;
      const c = pub();
      await c.post(`${p}/identify`, { name: 'Binta', phone: '+22507000009' });
      const card = await c.post(`${p}/pay`, { method: 'card' });
      expect(card.status, JSON.stringify(card.body)).toBe(200);
      const session = [...stripe.sessions.values()].find((x) => x.metadata.paymentId === card.body.payment.id)!;
      return { p, c, card, session };
    };

    // Back from Stripe without paying, the client picks mobile money: the checkout is expired at Stripe.
    const first = await open();
    const mmPay = await first.c.post(`${first.p}/pay`, { method: 'mobile_money' });
    expect(mmPay.status, JSON.stringify(mmPay.body)).toBe(200);
    expect(mmPay.body).toMatchObject({ status: 'payment_initiated', payment: { method: 'mobile_money', status: 'pending' } });
    expect(stripe.sessions.get(first.session.id)!.status).toBe('expired');
    const old = await s.owner.get(`${s.base}/payments/${first.card.body.payment.id}`);
    expect(old.body).toMatchObject({ status: 'failed', failureReason: 'replaced' });

    // Paid on Stripe but the webhook has not come yet: switching finds it paid and settles; no second payment.
    const second = await open();
    stripe.complete(second.session.id);
    const cash = await second.c.post(`${second.p}/pay`, { method: 'cash' });
    expect(cash.status, JSON.stringify(cash.body)).toBe(200);
    expect(cash.body).toMatchObject({ status: 'paid', payment: { id: second.card.body.payment.id, status: 'succeeded' } });
    const pending = await s.owner.get(`${s.base}/payments?status=pending&method=cash`);
    expect(pending.body.items).toEqual([]);
  });
});

describe('the public live feed', () => {
  it('sends the state at once and on each step, and refuses a fifth feed on one session', async () => {
    const s = await salon();
    const created = await s.owner.post(`${s.base}/payment-sessions`, { amount: 1500 });
    const path = `/api/v1/public/pay/${created.body.publicUrl.split('/pay/')[1]}`;
    const aborts: AbortController[] = [];
    const open = async () => {
      const ctrl = new AbortController();
      aborts.push(ctrl);
      return fetch(`${a.url}${path}/stream`, { signal: ctrl.signal });
    };
    try {
      const first = await open();
      expect(first.status).toBe(200);
      const reader = first.body!.getReader();
      let text = '';
      const until = async (needle: string) =>
        waitFor(async () => {
          const { value } = await reader.read();
          text += new TextDecoder().decode(value);
          return text.includes(needle);
        }, 5000, needle);
      await until('"status":"created"');
      await pub().post(`${path}/scan`);
      await until('"status":"scanned"');
      for (let i = 0; i < 3; i++) expect((await open()).status).toBe(200);
      const fifth = await open();
      expect(fifth.status).toBe(429);
      expect((await fifth.json()).code).toBe('pay.too_many_streams');
    } finally {
      for (const c of aborts) c.abort();
    }
  });
});
