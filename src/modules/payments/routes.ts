import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { inTransaction } from '../../platform/db/tx.ts';
import { conflict, DomainError, notFound } from '../../platform/errors.ts';
import { requireCompany } from '../../platform/http/auth.ts';
import { contextOf, type HttpDeps, runCommand, runQuery } from '../../platform/http/command.ts';
import { pageQuery } from '../../platform/http/pagination.ts';
import { getSale } from '../sales/index.ts';
import { getClient, listClients } from './clients.ts';
import { archiveCounter, createCounter, getCounter, listCounters } from './counters.ts';
import { deleteCredentials, type PaymentsEnv, providerByName, providerStates, saveCredentials } from './credentials.ts';
import { confirmCash, createIntent, eventsOfPayment, getIntent, listIntents, paymentView } from './intents.ts';
import { describe, launch, type TxRunner } from './launch.ts';
import { ProviderError } from './providers.ts';
import { getReceipt, resendReceipt } from './receipts.ts';
import { SESSION_STATES } from './rules.ts';
import { abandon, createSession, getSession, listSessions, lockSession, publicUrlOf, sessionRow, staffView } from './sessions.ts';

const companyParams = z.object({ companyId: z.uuid() });
const idParams = companyParams.extend({ id: z.uuid() });

/** A QR code image of a URL (SVG for screens and print, PNG for anything else). */
export async function sendQr(reply: FastifyReply, url: string, format: 'svg' | 'png') {
  reply.header('cache-control', 'private, max-age=3600');
  if (format === 'svg') return reply.type('image/svg+xml').send(await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }));
  return reply.type('image/png').send(await QRCode.toBuffer(url, { type: 'png', width: 512, margin: 1, errorCorrectionLevel: 'M' }));
}

export function paymentsRoutes(app: FastifyInstance, deps: HttpDeps, env: PaymentsEnv) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/companies/:companyId';
  const tags = ['payments'];
  const run = (pin: ReturnType<typeof requireCompany>, req: Parameters<typeof contextOf>[0]): TxRunner => (fn) =>
    inTransaction(deps.db, { kind: 'company', companyId: pin.companyId, userId: req.principal?.kind === 'user' ? req.principal.userId : undefined }, (tx) => fn(contextOf(req, deps, tx)));

  // QR payment sessions
  r.post(`${base}/payment-sessions`, {
    config: { permission: 'payments.run' },
    schema: {
      tags,
      summary: 'Open a QR payment session (its public URL and QR code)',
      params: companyParams,
      body: z.object({ serviceId: z.uuid().optional(), amount: z.number().int().min(1).max(1_000_000_000_000).optional(), clientId: z.uuid().optional(), counterId: z.uuid().optional() }),
    },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      const s = await createSession(ctx, req.body);
      const qrSvg = await QRCode.toString(publicUrlOf(env, s.token), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return { status: 201, body: { ...(await staffView(ctx, env, s)), qrSvg } };
    }),
  );

  r.get(`${base}/payment-sessions`, {
    config: { permission: 'payments.run' },
    schema: { tags, summary: 'Recent QR payment sessions', params: companyParams, querystring: pageQuery.extend({ status: z.enum(SESSION_STATES).optional(), since: z.iso.datetime({ offset: true }).optional() }) },
  }, async (req) => runQuery(req, deps, (ctx) => listSessions(ctx, env, req.query)));

  r.get(`${base}/payment-sessions/:id`, { config: { permission: 'payments.run' }, schema: { tags, summary: 'A session with its steps', params: idParams } }, async (req) =>
    runQuery(req, deps, (ctx) => getSession(ctx, env, req.params.id)),
  );

  for (const format of ['svg', 'png'] as const) {
    r.get(`${base}/payment-sessions/:id/qr.${format}`, { config: { permission: 'payments.run' }, schema: { tags, summary: `The session's QR code (${format})`, params: idParams } }, async (req, reply) => {
      const s = await runQuery(req, deps, (ctx) => sessionRow(ctx, req.params.id));
      return sendQr(reply, publicUrlOf(env, s.token), format);
    });
    r.get(`${base}/payment-counters/:id/qr.${format}`, { config: { permission: 'payments.run' }, schema: { tags, summary: `A counter's standing QR code (${format})`, params: idParams } }, async (req, reply) => {
      const c = await runQuery(req, deps, (ctx) => getCounter(ctx, env, req.params.id));
      return sendQr(reply, c.url, format);
    });
  }

  r.post(`${base}/payment-sessions/:id/cancel`, { config: { permission: 'payments.run' }, schema: { tags, summary: 'Give up a session before payment (abandoned)', params: idParams } }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await abandon(ctx, await lockSession(ctx, req.params.id));
      return { status: 200, body: await getSession(ctx, env, req.params.id) };
    }),
  );

  // Standing counter codes
  r.get(`${base}/payment-counters`, { config: { permission: 'payments.run' }, schema: { tags, summary: 'Counters with a standing QR code', params: companyParams } }, async (req) =>
    runQuery(req, deps, async (ctx) => ({ items: await listCounters(ctx, env) })),
  );
  r.post(`${base}/payment-counters`, {
    config: { permission: 'payments.manage' },
    schema: { tags, summary: 'A counter and its standing QR code', params: companyParams, body: z.object({ name: z.string().trim().min(1).max(60) }) },
  }, async (req, reply) => runCommand(req, reply, deps, async (ctx) => ({ status: 201, body: await createCounter(ctx, env, req.body.name) })));
  r.delete(`${base}/payment-counters/:id`, { config: { permission: 'payments.manage' }, schema: { tags, summary: 'Retire a counter code', params: idParams } }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await archiveCounter(ctx, req.params.id);
      return { status: 204, body: undefined };
    }),
  );

  // Payments
  r.get(`${base}/payments`, {
    config: { permission: 'payments.run' },
    schema: { tags, summary: 'Payments through providers or awaiting confirmation', params: companyParams, querystring: pageQuery.extend({ status: z.enum(['pending', 'succeeded', 'failed', 'expired', 'refunded']).optional(), method: z.enum(['cash', 'card', 'mobile_money']).optional() }) },
  }, async (req) =>
    runQuery(req, deps, async (ctx) => {
      const page = await listIntents(ctx, req.query);
      return { items: page.items.map(paymentView), nextCursor: page.nextCursor };
    }),
  );
  r.get(`${base}/payments/:id`, { config: { permission: 'payments.run' }, schema: { tags, summary: 'A payment with its events', params: idParams } }, async (req) =>
    runQuery(req, deps, async (ctx) => ({ ...paymentView(await getIntent(ctx, req.params.id)), events: await eventsOfPayment(ctx, req.params.id) })),
  );
  r.get(`${base}/payments/:id/qr.svg`, { config: { permission: 'payments.run' }, schema: { tags, summary: "A pending card payment's checkout page as a QR code (for the client's phone)", params: idParams } }, async (req, reply) => {
    const intent = await runQuery(req, deps, (ctx) => getIntent(ctx, req.params.id));
    if (intent.status !== 'pending' || !intent.checkoutUrl) throw notFound('payment.no_checkout');
    return sendQr(reply, intent.checkoutUrl, 'svg');
  });
  r.post(`${base}/payments/:id/confirm`, {
    config: { permission: 'payments.run' },
    schema: { tags, summary: 'Staff confirm a pending cash payment (completes what it pays for)', params: idParams, body: z.object({ cashSessionId: z.uuid().optional() }).optional() },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: paymentView(await confirmCash(ctx, env, req.params.id, req.body?.cashSessionId)) })),
  );

  r.post(`${base}/sales/:saleId/payment-requests`, {
    config: { permission: 'payments.run' },
    schema: {
      tags,
      summary: 'Ask a provider for (part of) an open sale: a Stripe Checkout link or a mobile-money request',
      params: companyParams.extend({ saleId: z.uuid() }),
      body: z.object({ method: z.enum(['card', 'mobile_money']), amount: z.number().int().min(1).optional(), phone: z.string().trim().min(6).max(40).optional() }),
    },
  }, async (req, reply) => {
    const pin = requireCompany(req);
    const runner = run(pin, req);
    const intent = await runner(async (ctx) => {
      const sale = await getSale(ctx, req.params.saleId);
      if (sale.status !== 'open') throw conflict('sale.not_open', { status: sale.status });
      const amount = req.body.amount ?? sale.due;
      if (amount <= 0 || amount > sale.due) throw new DomainError('payment.exceeds_due', 422, { due: sale.due });
      return createIntent(ctx, { method: req.body.method, amount, currency: sale.currency, purpose: 'sale', saleId: sale.id, phone: req.body.phone });
    });
    const saleUrl = `${env.publicUrl}/c/${pin.companyId}/sales/${req.params.saleId}`;
    const launched = await launch(runner, env, pin.companyId, intent, { successUrl: `${saleUrl}?checkout=success`, cancelUrl: `${saleUrl}?checkout=cancel`, description: await runner((ctx) => describe(ctx, null)), requestId: String(req.id) });
    return reply.code(201).send(paymentView(launched));
  });

  // Clients
  r.get(`${base}/clients`, {
    config: { permission: 'payments.run' },
    schema: { tags: ['clients'], summary: 'Clients (search by name, phone or e-mail)', params: companyParams, querystring: pageQuery.extend({ search: z.string().max(100).optional() }) },
  }, async (req) => runQuery(req, deps, (ctx) => listClients(ctx, req.query)));
  r.get(`${base}/clients/:id`, { config: { permission: 'payments.run' }, schema: { tags: ['clients'], summary: 'A client with visits, total spent and history', params: idParams } }, async (req) =>
    runQuery(req, deps, (ctx) => getClient(ctx, req.params.id)),
  );

  // Receipts
  r.get(`${base}/receipts/:id`, { config: { permission: 'payments.run' }, schema: { tags, summary: 'A receipt with its deliveries', params: idParams } }, async (req) =>
    runQuery(req, deps, (ctx) => getReceipt(ctx, { id: req.params.id })),
  );
  r.post(`${base}/receipts/:id/resend`, {
    config: { permission: 'payments.run' },
    schema: {
      tags,
      summary: 'Send a receipt again (optionally to another address or number)',
      params: idParams,
      body: z.union([z.object({ channel: z.literal('email'), to: z.email().max(254).optional() }), z.object({ channel: z.literal('sms'), to: z.string().trim().min(6).max(40).optional() }), z.object({})]).optional(),
    },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      const body = (req.body ?? {}) as { channel?: 'email' | 'sms'; to?: string };
      await resendReceipt(ctx, env, req.params.id, body.channel, body.to);
      return { status: 202, body: await getReceipt(ctx, { id: req.params.id }) };
    }),
  );

  // Provider credentials (managers): write-only secrets.
  r.get(`${base}/payment-providers`, { config: { permission: 'payments.manage' }, schema: { tags, summary: 'Which providers are configured (never the secrets)', params: companyParams } }, async (req) =>
    runQuery(req, deps, (ctx) => providerStates(ctx, env)),
  );
  const providerParams = companyParams.extend({ provider: z.enum(['stripe', 'mobile_money']) });
  r.put(`${base}/payment-providers/stripe`, {
    config: { permission: 'payments.manage' },
    schema: { tags, summary: 'Stripe credentials (sealed at rest)', params: companyParams, body: z.object({ secretKey: z.string().trim().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/), webhookSecret: z.string().trim().regex(/^whsec_[A-Za-z0-9+/=_-]{8,}$/) }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await saveCredentials(ctx, env, 'stripe', req.body);
      return { status: 200, body: (await providerStates(ctx, env)).stripe };
    }),
  );
  r.put(`${base}/payment-providers/mobile_money`, {
    config: { permission: 'payments.manage' },
    schema: { tags, summary: 'Mobile-money credentials (sealed at rest)', params: companyParams, body: z.object({ apiKey: z.string().trim().min(8).max(500), webhookSecret: z.string().trim().min(16).max(500) }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await saveCredentials(ctx, env, 'mobile_money', req.body);
      return { status: 200, body: (await providerStates(ctx, env)).mobile_money };
    }),
  );
  r.delete(`${base}/payment-providers/:provider`, { config: { permission: 'payments.manage' }, schema: { tags, summary: 'Forget a provider', params: providerParams } }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await deleteCredentials(ctx, req.params.provider);
      return { status: 204, body: undefined };
    }),
  );
  r.post(`${base}/payment-providers/:provider/test`, { config: { permission: 'payments.manage' }, schema: { tags, summary: 'Check the credentials against the provider', params: providerParams } }, async (req) => {
    const provider = await runQuery(req, deps, (ctx) => providerByName(ctx, env, req.params.provider));
    if (!provider) return { ok: false, code: 'provider.not_configured' };
    try {
      await provider.test();
      return { ok: true, code: 'provider.ok' };
    } catch (err) {
      if (err instanceof ProviderError) return { ok: false, code: err.code };
      throw err;
    }
  });
}
