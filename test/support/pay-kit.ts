import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { signMobileMoney } from '../../src/modules/payments/index.ts';
import type { Client } from './client.ts';

/** Stripe's own helper signs our test webhooks (what Stripe would send). */
const stripeSdk = new Stripe('sk_test_standin');

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const readBody = (req: http.IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

export interface StandinSession {
  id: string;
  object: 'checkout.session';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_total: number;
  currency: string;
  url: string;
  metadata: Record<string, string>;
  client_reference_id: string | null;
  payment_intent: string | null;
  success_url: string;
  cancel_url: string;
}

/**
 * A loopback stand-in for the Stripe API (the part Comptoir calls): Checkout Sessions
 * (create, retrieve, expire), refunds and balance. Form-encoded requests, JSON answers,
 * like Stripe. `failNext` answers 500 to the next calls (the SDK retries).
 */
export async function startStripeStandin() {
  const sessions = new Map<string, StandinSession>();
  const refunds: Array<{ payment_intent: string; amount: number; idempotencyKey?: string }> = [];
  const calls: Array<{ method: string; path: string; key: string }> = [];
  let failNext = 0;
  const { server, url } = await listen(async (req, res) => {
    const raw = await readBody(req);
    const form = new URLSearchParams(raw);
    const path = (req.url ?? '').split('?')[0]!;
    const key = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    calls.push({ method: req.method ?? '', path, key });
    if (failNext > 0) {
      failNext--;
      return json(res, 500, { error: { type: 'api_error', message: 'stand-in failure' } });
    }
    if (key.includes('invalid')) return json(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    if (req.method === 'POST' && path === '/v1/checkout/sessions') {
      const id = `cs_test_${randomBytes(12).toString('hex')}`;
      const metadata: Record<string, string> = {};
      for (const [k, v] of form) {
        const m = /^metadata\[(\w+)\]$/.exec(k);
        if (m) metadata[m[1]!] = v;
      }
      const s: StandinSession = {
        id,
        object: 'checkout.session',
        status: 'open',
        payment_status: 'unpaid',
        amount_total: Number(form.get('line_items[0][price_data][unit_amount]')) * Number(form.get('line_items[0][quantity]') ?? 1),
        currency: form.get('line_items[0][price_data][currency]') ?? 'eur',
        url: `https://checkout.stripe.test/c/pay/${id}`,
        metadata,
        client_reference_id: form.get('client_reference_id'),
        payment_intent: null,
        success_url: form.get('success_url') ?? '',
        cancel_url: form.get('cancel_url') ?? '',
      };
      sessions.set(id, s);
      return json(res, 200, s);
    }
    const one = /^\/v1\/checkout\/sessions\/([\w]+)(\/expire)?$/.exec(path);
    if (one) {
      const s = sessions.get(one[1]!);
      if (!s) return json(res, 404, { error: { type: 'invalid_request_error', message: 'No such checkout.session' } });
      if (one[2] && req.method === 'POST') {
        if (s.status !== 'open') return json(res, 400, { error: { type: 'invalid_request_error', message: 'not open' } });
        s.status = 'expired';
      }
      return json(res, 200, s);
    }
    if (req.method === 'POST' && path === '/v1/refunds') {
      const r = { payment_intent: form.get('payment_intent') ?? '', amount: Number(form.get('amount')), idempotencyKey: req.headers['idempotency-key'] as string | undefined };
      if (!refunds.some((x) => x.idempotencyKey && x.idempotencyKey === r.idempotencyKey)) refunds.push(r);
      return json(res, 200, { id: `re_${randomBytes(8).toString('hex')}`, object: 'refund', status: 'succeeded', ...r });
    }
    if (req.method === 'GET' && path === '/v1/balance') return json(res, 200, { object: 'balance', available: [], pending: [] });
    return json(res, 404, { error: { type: 'invalid_request_error', message: `unknown ${req.method} ${path}` } });
  });

  return {
    url,
    sessions,
    refunds,
    calls,
    failNext(n: number) {
      failNext = n;
    },
    /** The customer pays on Stripe's page. */
    complete(id: string) {
      const s = sessions.get(id)!;
      s.status = 'complete';
      s.payment_status = 'paid';
      s.payment_intent = `pi_${randomBytes(8).toString('hex')}`;
      return s;
    },
    /** A Stripe event about a session (or its payment intent), as Stripe would post it. */
    event(type: 'checkout.session.completed' | 'checkout.session.expired' | 'payment_intent.payment_failed', s: StandinSession, id = `evt_${randomBytes(10).toString('hex')}`) {
      const object =
        type === 'payment_intent.payment_failed'
          ? { id: s.payment_intent ?? `pi_${randomBytes(6).toString('hex')}`, object: 'payment_intent', metadata: s.metadata, last_payment_error: { code: 'card_declined' } }
          : { ...s };
      return JSON.stringify({ id, object: 'event', type, api_version: '2025-01-01', created: Math.floor(Date.now() / 1000), data: { object } });
    },
    /** The Stripe-Signature header, made by the SDK's own test helper. */
    sign(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)) {
      return stripeSdk.webhooks.generateTestHeaderString({ payload, secret, timestamp });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type StripeStandin = Awaited<ReturnType<typeof startStripeStandin>>;

export interface MmPayment {
  id: string;
  reference: string;
  amount: number;
  currency: string;
  phone: string | null;
  status: 'pending' | 'succeeded' | 'failed' | 'expired' | 'cancelled';
  received?: number;
  refunded?: number;
}

/** A loopback mobile-money provider speaking the generic API Comptoir documents. */
export async function startMobileMoneyStandin() {
  const payments = new Map<string, MmPayment>();
  const calls: Array<{ method: string; path: string; key: string; idempotencyKey?: string }> = [];
  let failNext = 0;
  let down = false;
  const { server, url } = await listen(async (req, res) => {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0]!;
    const key = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    calls.push({ method: req.method ?? '', path, key, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
    if (down) return req.socket.destroy();
    if (failNext > 0) {
      failNext--;
      return json(res, 503, { error: 'unavailable' });
    }
    if (!key || key.includes('invalid')) return json(res, 401, { error: 'unauthorized' });
    if (req.method === 'GET' && path === '/ping') return json(res, 200, { ok: true });
    if (req.method === 'POST' && path === '/payments') {
      const b = JSON.parse(raw);
      const existing = [...payments.values()].find((p) => p.reference === b.reference);
      if (existing) return json(res, 200, { id: existing.id, status: existing.status });
      const p: MmPayment = { id: `mm_${randomBytes(8).toString('hex')}`, reference: b.reference, amount: b.amount, currency: b.currency, phone: b.phone ?? null, status: 'pending' };
      payments.set(p.id, p);
      return json(res, 201, { id: p.id, status: p.status });
    }
    const one = /^\/payments\/([\w]+)(\/cancel|\/refund)?$/.exec(path);
    if (one) {
      const p = payments.get(one[1]!);
      if (!p) return json(res, 404, { error: 'not_found' });
      if (one[2] === '/cancel' && p.status === 'pending') p.status = 'cancelled';
      if (one[2] === '/refund') p.refunded = JSON.parse(raw || '{}').amount;
      return json(res, 200, { id: p.id, reference: p.reference, status: p.status, amount: p.received ?? p.amount });
    }
    return json(res, 404, { error: 'unknown' });
  });
  return {
    url,
    payments,
    calls,
    failNext(n: number) {
      failNext = n;
    },
    setDown(v: boolean) {
      down = v;
    },
    byReference(reference: string) {
      return [...payments.values()].find((p) => p.reference === reference);
    },
    /** A webhook body and its X-Signature, as the provider would post it. */
    webhook(p: { reference: string; status: 'succeeded' | 'failed' | 'pending' | 'expired'; amount: number; currency?: string; id?: string }, secret: string, t = Math.floor(Date.now() / 1000)) {
      const body = JSON.stringify({ id: p.id ?? `mmevt_${randomBytes(8).toString('hex')}`, reference: p.reference, status: p.status, amount: p.amount, ...(p.currency ? { currency: p.currency } : {}) });
      return { body, signature: signMobileMoney(body, secret, t) };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type MobileMoneyStandin = Awaited<ReturnType<typeof startMobileMoneyStandin>>;

/** A loopback SMS gateway: `POST / {to, message}` with a Bearer key. */
export async function startSmsReceiver() {
  const messages: Array<{ to: string; message: string; authorization: string | undefined }> = [];
  let failNext = 0;
  const { server, url } = await listen(async (req, res) => {
    const raw = await readBody(req);
    if (failNext > 0) {
      failNext--;
      return json(res, 502, { error: 'gateway' });
    }
    const b = JSON.parse(raw || '{}');
    messages.push({ to: b.to, message: b.message, authorization: req.headers.authorization });
    json(res, 200, { queued: true });
  });
  return {
    url,
    messages,
    failNext(n: number) {
      failNext = n;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const STRIPE_CREDS = { secretKey: 'sk_test_comptoir0000000001', webhookSecret: 'whsec_comptoirtestsecret0001' };
export const MM_CREDS = { apiKey: 'mm_key_0123456789', webhookSecret: 'mm_whsec_0123456789abcdef' };

/** The company's providers configured through the API (as a manager would). */
export async function configureProviders(owner: Client, companyId: string, which: Array<'stripe' | 'mobile_money'> = ['stripe', 'mobile_money']) {
  if (which.includes('stripe')) {
    const r = await owner.put(`/api/v1/companies/${companyId}/payment-providers/stripe`, STRIPE_CREDS);
    if (r.status !== 200) throw new Error(`stripe creds: ${r.status} ${JSON.stringify(r.body)}`);
  }
  if (which.includes('mobile_money')) {
    const r = await owner.put(`/api/v1/companies/${companyId}/payment-providers/mobile_money`, MM_CREDS);
    if (r.status !== 200) throw new Error(`mobile money creds: ${r.status} ${JSON.stringify(r.body)}`);
  }
}
