import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../platform/context.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { StreamHub } from '../../platform/events/stream.ts';
import { contextOf, type HttpDeps } from '../../platform/http/command.ts';
import { perIpLimit } from '../../platform/http/ip-window.ts';
import { problemBody, sendProblem } from '../../platform/http/problem.ts';
import { findCart, orderForPayment, orderOf } from '../storefront/index.ts';
import { type PaymentsEnv, providerFor } from './credentials.ts';
import { createIntent, findIntent, type IntentRow } from './intents.ts';
import { describe, launch, replacePending, type TxRunner } from './launch.ts';
import { getReceipt, receiptHtml } from './receipts.ts';
import { abandon, beginPayment, chooseService, createSession, expireIfLapsed, identify, lockSession, publicView, refuseClosed, type SessionRow, scan, sessionMinutes, sessionRow } from './sessions.ts';

/** Live feeds one session may have open on this instance at once. */
const MAX_STREAMS_PER_SESSION = 4;

const tokenParams = z.object({ token: z.string().min(20).max(64).regex(/^[\w-]+$/) });
const method = z.enum(['cash', 'card', 'mobile_money']);
const phone = z.string().trim().min(6).max(40).regex(/^\+?[\d\s.()-]+$/);

/**
 * The client's side of a QR payment session, with no account: the session's token
 * is the capability. Every step is a POST (a link preview or a prefetch never moves
 * a session), writes its event with ip, user agent and the step's duration, and
 * answers the page's next state.
 */
export function publicPayRoutes(app: FastifyInstance, deps: HttpDeps & { hub: StreamHub }, env: PaymentsEnv, rateLimitPerMinute: number) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/public/pay';
  const tags = ['public pay'];
  const perToken = { public: true, rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `pay:${(req.params as { token: string }).token}` } };
  const ipLimit = rateLimitPerMinute > 0 ? perIpLimit(rateLimitPerMinute) : null;
  const perIp = () => (ipLimit ? { onRequest: [ipLimit] } : {});

  const companyOfToken = async (token: string) => {
    const { rows } = await deps.db.pool.query('SELECT company_id, id FROM payment_sessions WHERE token = $1', [token]);
    if (!rows[0]) throw notFound('pay.not_found');
    return { companyId: rows[0].company_id as string, sessionId: rows[0].id as string };
  };
  const runner = (req: FastifyRequest, companyId: string): TxRunner => (fn) => {
    req.errorCompanyId = companyId;
    return inTransaction(deps.db, { kind: 'company', companyId }, (tx) => fn({ ...contextOf(req, deps, tx, companyId), actor: { type: 'client' } }));
  };

  /**
   * One step on the session: a lapsed session is expired first (that commits) and the
   * step answers 409 pay.closed; otherwise the step runs and the new state is answered.
   */
  const onSession = async (req: FastifyRequest, reply: FastifyReply, fn: (ctx: Ctx, s: SessionRow) => Promise<void>) => {
    const { token } = req.params as { token: string };
    const { companyId, sessionId } = await companyOfToken(token);
    const answer = await runner(req, companyId)(async (ctx) => {
      const s = await lockSession(ctx, sessionId);
      if (await expireIfLapsed(ctx, s, await sessionMinutes(ctx))) return { status: 409, body: problemBody(String(req.id), 409, 'pay.closed', { params: { status: 'expired' } }) };
      await fn(ctx, s);
      return { status: 200, body: await publicView(ctx, env, await lockSession(ctx, sessionId)) };
    });
    if (answer.status >= 400) reply.type('application/problem+json');
    return reply.code(answer.status).send(answer.body);
  };

  r.get(`${base}/:token`, { config: perToken, ...perIp(), schema: { tags, summary: "The session's state and what the next page needs", params: tokenParams } }, async (req) => {
    const { companyId, sessionId } = await companyOfToken(req.params.token);
    return runner(req, companyId)(async (ctx) => publicView(ctx, env, await sessionRow(ctx, sessionId)));
  });

  r.post(`${base}/:token/scan`, { config: perToken, ...perIp(), schema: { tags, summary: 'The QR code was scanned', params: tokenParams } }, async (req, reply) => onSession(req, reply, scan));

  r.post(`${base}/:token/identify`, {
    config: perToken,
    ...perIp(),
    schema: { tags, summary: 'Who the client is (a returning client is recognised, never revealed)', params: tokenParams, body: z.object({ name: z.string().trim().min(1).max(200), phone: phone.optional(), email: z.email().max(254).optional() }) },
  }, async (req, reply) => onSession(req, reply, (ctx, s) => identify(ctx, s, req.body)));

  r.post(`${base}/:token/service`, { config: perToken, ...perIp(), schema: { tags, summary: 'The service chosen', params: tokenParams, body: z.object({ serviceId: z.uuid() }) } }, async (req, reply) =>
    onSession(req, reply, (ctx, s) => chooseService(ctx, s, req.body.serviceId)),
  );

  r.post(`${base}/:token/cancel`, { config: perToken, ...perIp(), schema: { tags, summary: 'The client gives up (abandoned)', params: tokenParams } }, async (req, reply) => onSession(req, reply, abandon));

  r.post(`${base}/:token/pay`, {
    config: perToken,
    ...perIp(),
    schema: { tags, summary: 'Pay by cash (staff confirm), card (Stripe Checkout) or mobile money', params: tokenParams, body: z.object({ method, phone: phone.optional() }) },
  }, async (req, reply) => {
    const { companyId, sessionId } = await companyOfToken(req.params.token);
    const run = runner(req, companyId);
    // Another method while one is pending: the pending one is closed first (or found paid).
    const pendingOther = await run(async (ctx) => {
      const s = await sessionRow(ctx, sessionId);
      const current = s.status === 'payment_initiated' && s.paymentId ? await findIntent(ctx, s.paymentId) : null;
      return current?.status === 'pending' && current.method !== req.body.method ? current : null;
    });
    if (pendingOther && (await replacePending(run, env, pendingOther)) === 'settled') return run(async (ctx) => publicView(ctx, env, await sessionRow(ctx, sessionId)));
    const started = await run(async (ctx) => {
      const s = await lockSession(ctx, sessionId);
      if (await expireIfLapsed(ctx, s, await sessionMinutes(ctx))) return { closed: true as const };
      // Asking again for the payment already under way (a double tap, a retry) answers it.
      if (s.status === 'payment_initiated' && s.paymentId) {
        const current = await findIntent(ctx, s.paymentId);
        if (current?.status === 'pending' && current.method === req.body.method) return { intent: current, fresh: false, service: null };
      }
      refuseClosed(s);
      if (req.body.method === 'mobile_money' && !(req.body.phone ?? s.clientPhone)) throw conflict('pay.phone_required');
      const service = s.serviceId ? ((await ctx.tx.client.query('SELECT name FROM products WHERE company_id = $1 AND id = $2', [companyId, s.serviceId])).rows[0]?.name as string) : null;
      await providerFor(ctx, env, req.body.method);
      return { intent: await beginPayment(ctx, s, req.body.method, req.body.phone), fresh: true, service };
    });
    if ('closed' in started) return reply.code(409).type('application/problem+json').send(problemBody(String(req.id), 409, 'pay.closed', { params: { status: 'expired' } }));
    if (started.fresh) {
      const page = `${env.publicUrl}/pay/${req.params.token}`;
      await launch(run, env, companyId, started.intent, { successUrl: `${page}?checkout=success`, cancelUrl: `${page}?checkout=cancel`, description: await run((ctx) => describe(ctx, started.service)), requestId: String(req.id) });
    }
    return run(async (ctx) => publicView(ctx, env, await sessionRow(ctx, sessionId)));
  });

  r.get(`${base}/:token/receipt`, { config: perToken, ...perIp(), schema: { tags, summary: 'The receipt, once paid', params: tokenParams } }, async (req) => {
    const { companyId, sessionId } = await companyOfToken(req.params.token);
    return runner(req, companyId)(async (ctx) => {
      const { deliveries: _, ...receipt } = await getReceipt(ctx, { paymentSessionId: sessionId });
      return receipt;
    });
  });

  r.get(`${base}/:token/receipt.html`, { config: perToken, ...perIp(), schema: { tags, summary: 'The receipt as a file to keep', params: tokenParams } }, async (req, reply) => {
    const { companyId, sessionId } = await companyOfToken(req.params.token);
    const receipt = await runner(req, companyId)((ctx) => getReceipt(ctx, { paymentSessionId: sessionId }));
    return reply
      .type('text/html; charset=utf-8')
      .header('content-disposition', `attachment; filename="recu-${receipt.reference}.html"`)
      .send(receiptHtml(receipt));
  });

  // The page follows its session live: a `state` frame on connect and on every change.
  // A session's page needs one feed (a few while a phone reconnects): more are refused,
  // so an anonymous caller cannot pile up watchers that each re-read on every event.
  const openStreams = new Map<string, number>();
  r.get(`${base}/:token/stream`, { config: { public: true }, schema: { tags, summary: 'Live state of the session (text/event-stream)', params: tokenParams } }, async (req, reply) => {
    const { companyId, sessionId } = await companyOfToken(req.params.token);
    if ((openStreams.get(sessionId) ?? 0) >= MAX_STREAMS_PER_SESSION) return sendProblem(reply, 429, 'pay.too_many_streams');
    const read = () => runner(req, companyId)(async (ctx) => publicView(ctx, env, await sessionRow(ctx, sessionId)));
    const first = await read();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    let last = JSON.stringify(first);
    res.write(`retry: 2000\n\nevent: state\ndata: ${last}\n\n`);
    let busy = false;
    let again = false;
    const refresh = async () => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        do {
          again = false;
          const next = JSON.stringify(await read());
          if (next !== last) {
            last = next;
            res.write(`event: state\ndata: ${next}\n\n`);
          }
        } while (again);
      } catch {
        // The next wake tries again.
      } finally {
        busy = false;
      }
    };
    openStreams.set(sessionId, (openStreams.get(sessionId) ?? 0) + 1);
    const stop = deps.hub.watch({ companyId, wake: () => void refresh(), close: () => res.end(() => res.socket?.destroy()), ping: () => res.write(': ping\n\n') });
    req.raw.on('close', () => {
      stop();
      const n = (openStreams.get(sessionId) ?? 1) - 1;
      if (n > 0) openStreams.set(sessionId, n);
      else openStreams.delete(sessionId);
    });
  });

  // A counter's standing QR code: its page creates a fresh session, by POST only.
  const counterParams = z.object({ code: z.string().min(8).max(64).regex(/^[\w-]+$/) });
  const counterOf = async (code: string) => {
    const { rows } = await deps.db.pool.query(
      'SELECT pc.company_id, pc.id, pc.name, c.name AS business FROM payment_counters pc JOIN companies c ON c.id = pc.company_id WHERE pc.code = $1 AND pc.active',
      [code],
    );
    if (!rows[0]) throw notFound('pay.not_found');
    return rows[0] as { company_id: string; id: string; name: string; business: string };
  };
  const perIpOnly = { public: true, rateLimit: { max: 30, timeWindow: 60_000 } };
  r.get(`${base}/counters/:code`, { config: perIpOnly, schema: { tags, summary: 'A counter page', params: counterParams } }, async (req) => {
    const c = await counterOf(req.params.code);
    return { business: { name: c.business }, counter: { name: c.name } };
  });
  r.post(`${base}/counters/:code/sessions`, { config: perIpOnly, ...perIp(), schema: { tags, summary: 'A fresh session at this counter', params: counterParams } }, async (req, reply) => {
    const c = await counterOf(req.params.code);
    const s = await runner(req, c.company_id)((ctx) => createSession(ctx, { counterId: c.id }));
    return reply.code(201).send({ token: s.token, url: `${env.publicUrl}/pay/${s.token}` });
  });

  // Online orders pay the same way.
  const shopCart = z.object({ companySlug: z.string().min(1).max(64), token: z.string().min(20).max(64) });
  const shopOf = async (slug: string) => {
    const { rows } = await deps.db.pool.query('SELECT id FROM companies WHERE slug = $1', [slug]);
    if (!rows[0]) throw notFound('shop.not_found');
    return rows[0].id as string;
  };
  const orderPayment = (i: IntentRow | null) =>
    i ? { id: i.id, method: i.method, status: i.status, amount: i.amount, checkoutUrl: i.status === 'pending' ? i.checkoutUrl : null, issue: i.issue } : null;
  const latestIntent = async (ctx: Ctx, orderId: string) => {
    const { rows } = await ctx.tx.client.query('SELECT id FROM payment_intents WHERE company_id = $1 AND order_id = $2 ORDER BY created_at DESC LIMIT 1', [ctx.companyId, orderId]);
    return rows[0] ? findIntent(ctx, rows[0].id) : null;
  };

  r.post('/api/v1/public/shops/:companySlug/carts/:token/checkout/pay', {
    config: { public: true, rateLimit: { max: 20, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `cartpay:${(req.params as { token: string }).token}` } },
    ...perIp(),
    schema: { tags: ['storefront'], summary: "Pay the cart's pending order by card or mobile money", params: shopCart, body: z.object({ method: z.enum(['card', 'mobile_money']), phone: phone.optional() }) },
  }, async (req, reply) => {
    const companyId = await shopOf(req.params.companySlug);
    const run = runner(req, companyId);
    const pendingOther = await run(async (ctx) => {
      const cart = await findCart(ctx, req.params.token);
      const current = cart.orderId ? await latestIntent(ctx, cart.orderId) : null;
      return current?.status === 'pending' && current.method !== req.body.method ? current : null;
    });
    if (pendingOther) await replacePending(run, env, pendingOther);
    const started = await run(async (ctx) => {
      const cart = await findCart(ctx, req.params.token);
      if (cart.status !== 'checking_out' || !cart.orderId) throw conflict('cart.not_checking_out');
      const order = await orderForPayment(ctx, cart.orderId);
      if (order.status !== 'pending') throw conflict('order.not_payable', { status: order.status });
      const current = await latestIntent(ctx, order.id);
      if (current?.status === 'pending' && current.method === req.body.method) return { order, intent: current, fresh: false };
      if (current?.status === 'pending') throw conflict('payment.already_pending', { paymentId: current.id });
      const phoneNumber = req.body.phone ?? order.customer.phone;
      if (req.body.method === 'mobile_money' && !phoneNumber) throw conflict('pay.phone_required');
      await providerFor(ctx, env, req.body.method);
      return { order, intent: await createIntent(ctx, { method: req.body.method, amount: order.total, currency: order.currency, purpose: 'order', orderId: order.id, phone: phoneNumber }), fresh: true };
    });
    let intent = started.intent;
    if (started.fresh) {
      const page = `${env.publicUrl}/shop/${req.params.companySlug}?order=${started.order.id}`;
      intent = await launch(run, env, companyId, intent, { successUrl: `${page}&checkout=success`, cancelUrl: `${page}&checkout=cancel`, description: await run((ctx) => describe(ctx, `Commande ${started.order.reference}`)), requestId: String(req.id) });
    }
    const order = await run((ctx) => orderOf(ctx, started.order.id));
    return reply.code(started.fresh ? 201 : 200).send({ order, payment: orderPayment(intent) });
  });

  r.get('/api/v1/public/shops/:companySlug/orders/:orderId', {
    config: { public: true, rateLimit: { max: 60, timeWindow: 60_000 } },
    schema: { tags: ['storefront'], summary: 'An order and its payment (the cart token proves it is yours)', params: z.object({ companySlug: z.string().min(1).max(64), orderId: z.uuid() }), querystring: z.object({ token: z.string().min(20).max(64) }) },
  }, async (req) => {
    const companyId = await shopOf(req.params.companySlug);
    return runner(req, companyId)(async (ctx) => {
      const cart = await findCart(ctx, req.query.token);
      const { rows } = await ctx.tx.client.query('SELECT 1 FROM online_orders WHERE company_id = $1 AND id = $2 AND cart_id = $3', [companyId, req.params.orderId, cart.id]);
      if (!rows[0]) throw notFound('order.not_found');
      return { order: await orderOf(ctx, req.params.orderId), payment: orderPayment(await latestIntent(ctx, req.params.orderId)) };
    });
  });
}
