import type { FastifyInstance, FastifyRequest } from 'fastify';
import type Stripe from 'stripe';
import { z } from 'zod';
import type { Ctx } from '../../platform/context.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { append } from '../../platform/events/append.ts';
import { contextOf, type HttpDeps } from '../../platform/http/command.ts';
import { sendProblem } from '../../platform/http/problem.ts';
import { credentialsOf, type PaymentsEnv } from './credentials.ts';
import { failIntent, findIntent, intentByReference, type IntentRow, settleIntent, subjectsOf } from './intents.ts';
import { stripeWebhooks } from './providers.ts';
import { SIGNATURE_TOLERANCE_SECONDS, verifyMobileMoney } from './rules.ts';

const params = z.object({ companyId: z.uuid() });

const mobileMoneyEvent = z.object({
  id: z.string().min(1).max(200),
  reference: z.string().min(1).max(200),
  status: z.enum(['succeeded', 'failed', 'pending', 'expired']),
  amount: z.number().int().min(0),
  currency: z.string().length(3).optional(),
});

/**
 * Provider webhooks. The signature is checked on the raw bytes before anything is
 * parsed (Stripe's own verifier; HMAC for mobile money; 300 s tolerance either way).
 * A bad, stale or missing signature answers 400 and leaves a warning event. Each
 * provider event id is claimed in the transaction that applies it, so a duplicate,
 * however raced, changes nothing; every delivery is recorded (`webhook_received`).
 * The state change is a few statements; receipts and refunds are jobs.
 */
export function webhookRoutes(app: FastifyInstance, deps: HttpDeps, env: PaymentsEnv) {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));
    const config = { public: true, rateLimit: false as const };
    const tags = ['webhooks'];

    const run = <T>(req: FastifyRequest, companyId: string, fn: (ctx: Ctx) => Promise<T>) => {
      req.errorCompanyId = companyId;
      return inTransaction(deps.db, { kind: 'company', companyId }, (tx) => fn({ ...contextOf(req, deps, tx, companyId), actor: { type: 'provider', id: providerOf(req) } }));
    };
    const providerOf = (req: FastifyRequest) => (req.url.includes('/stripe/') ? 'stripe' : 'mobile_money');
    const companyExists = async (companyId: string) => (await deps.db.pool.query('SELECT 1 FROM companies WHERE id = $1', [companyId])).rowCount === 1;
    const reject = async (req: FastifyRequest, companyId: string, reason: string) => {
      env.log.warn({ companyId, provider: providerOf(req), reason, requestId: req.id }, 'webhook rejected');
      await run(req, companyId, async (ctx) => {
        append(ctx, 'webhook_rejected', { provider: providerOf(req), reason }, { level: 'warning' });
      });
    };
    /** Claims the provider event id; answers false when it was seen before. */
    const claim = async (ctx: Ctx, provider: string, eventId: string, eventType: string) => {
      const { rowCount } = await ctx.tx.client.query(
        `INSERT INTO provider_events (company_id, provider, event_id, event_type, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [ctx.companyId, provider, eventId, eventType, ctx.clock.now()],
      );
      return rowCount === 1;
    };

    scope.post('/api/v1/webhooks/stripe/:companyId', { config, schema: { tags, summary: 'Stripe events (checkout.session.completed / expired, payment_intent.payment_failed)', params } }, async (req, reply) => {
      const { companyId } = req.params as { companyId: string };
      if (!(await companyExists(companyId))) return sendProblem(reply, 404, 'not_found');
      const raw = req.body as Buffer | undefined;
      const header = req.headers['stripe-signature'];
      const creds = await run(req, companyId, (ctx) => credentialsOf(ctx, env, 'stripe'));
      if (!creds) {
        await reject(req, companyId, 'not_configured');
        return sendProblem(reply, 400, 'webhook.not_configured');
      }
      let event: Stripe.Event;
      try {
        if (!raw?.length || typeof header !== 'string') throw new Error('missing');
        // receivedAt is in milliseconds (the SDK divides by 1000): the app's clock decides staleness.
        event = stripeWebhooks.constructEvent(raw, header, creds.webhookSecret, SIGNATURE_TOLERANCE_SECONDS, undefined, deps.clock.now().getTime());
      } catch (err) {
        const reason = (err as Error).message === 'missing' ? 'missing' : /timestamp/i.test((err as Error).message) ? 'stale' : 'mismatch';
        await reject(req, companyId, reason);
        return sendProblem(reply, 400, 'webhook.invalid_signature', { params: { reason } });
      }
      await run(req, companyId, async (ctx) => {
        const fresh = await claim(ctx, 'stripe', event.id, event.type);
        const object = event.data.object as { id?: string; metadata?: Record<string, string> | null; amount_total?: number | null; payment_status?: string; last_payment_error?: { code?: string } | null };
        const intent = await stripeIntent(ctx, object);
        env.log.info({ companyId, provider: 'stripe', eventType: event.type, providerEventId: event.id, duplicate: !fresh, paymentId: intent?.id, requestId: ctx.requestId }, 'webhook received');
        append(ctx, 'webhook_received', { provider: 'stripe', eventType: event.type, providerEventId: event.id, ...(fresh ? {} : { duplicate: true }), ...(intent ? { paymentId: intent.id } : {}) }, {
          subjects: intent ? subjectsOf(intent) : {},
        });
        if (!fresh || !intent) return;
        if (event.type === 'checkout.session.completed' && (object.payment_status === 'paid' || object.payment_status === 'no_payment_required')) {
          await settleIntent(ctx, env, intent.id, { received: object.amount_total ?? intent.amount });
        } else if (event.type === 'checkout.session.expired') {
          await failIntent(ctx, intent.id, 'checkout_expired', 'expired');
        } else if (event.type === 'payment_intent.payment_failed') {
          await failIntent(ctx, intent.id, object.last_payment_error?.code ?? 'card_declined');
        }
      });
      return reply.code(200).send({ received: true });
    });

    scope.post('/api/v1/webhooks/mobile-money/:companyId', { config, schema: { tags, summary: 'Mobile-money confirmations (X-Signature: t=…,v1=HMAC-SHA256 of "t.rawBody")', params } }, async (req, reply) => {
      const { companyId } = req.params as { companyId: string };
      if (!(await companyExists(companyId))) return sendProblem(reply, 404, 'not_found');
      const raw = (req.body as Buffer | undefined) ?? Buffer.alloc(0);
      const creds = await run(req, companyId, (ctx) => credentialsOf(ctx, env, 'mobile_money'));
      if (!creds) {
        await reject(req, companyId, 'not_configured');
        return sendProblem(reply, 400, 'webhook.not_configured');
      }
      const header = req.headers['x-signature'];
      const check = verifyMobileMoney(raw, typeof header === 'string' ? header : undefined, creds.webhookSecret, Math.floor(deps.clock.now().getTime() / 1000));
      if (!check.ok) {
        await reject(req, companyId, check.reason);
        return sendProblem(reply, 400, 'webhook.invalid_signature', { params: { reason: check.reason } });
      }
      let body: z.infer<typeof mobileMoneyEvent>;
      try {
        body = mobileMoneyEvent.parse(JSON.parse(raw.toString('utf8')));
      } catch {
        await reject(req, companyId, 'malformed');
        return sendProblem(reply, 400, 'webhook.malformed');
      }
      await run(req, companyId, async (ctx) => {
        const fresh = await claim(ctx, 'mobile_money', body.id, body.status);
        const intent = await mobileMoneyIntent(ctx, body.reference);
        env.log.info({ companyId, provider: 'mobile_money', eventType: body.status, providerEventId: body.id, duplicate: !fresh, paymentId: intent?.id, requestId: ctx.requestId }, 'webhook received');
        append(ctx, 'webhook_received', { provider: 'mobile_money', eventType: body.status, providerEventId: body.id, ...(fresh ? {} : { duplicate: true }), ...(intent ? { paymentId: intent.id } : {}) }, {
          subjects: intent ? subjectsOf(intent) : {},
        });
        if (!fresh || !intent) return;
        if (body.currency && body.currency !== intent.currency) {
          append(ctx, 'payment_issue', { paymentId: intent.id, issue: 'currency_mismatch' }, { level: 'error', subjects: subjectsOf(intent) });
          return;
        }
        if (body.status === 'succeeded') await settleIntent(ctx, env, intent.id, { received: body.amount });
        else if (body.status === 'failed' || body.status === 'expired') await failIntent(ctx, intent.id, `provider_${body.status}`, body.status === 'expired' ? 'expired' : 'failed');
      });
      return reply.code(200).send({ received: true });
    });
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our payment from a Stripe object: its metadata, else the Checkout Session id. Another company's id finds nothing. */
async function stripeIntent(ctx: Ctx, object: { id?: string; metadata?: Record<string, string> | null }): Promise<IntentRow | null> {
  const id = object.metadata?.paymentId;
  if (id && UUID.test(id)) {
    const i = await findIntent(ctx, id);
    if (i) return i;
  }
  return object.id ? intentByReference(ctx, 'stripe', object.id) : null;
}

async function mobileMoneyIntent(ctx: Ctx, reference: string): Promise<IntentRow | null> {
  if (UUID.test(reference)) {
    const i = await findIntent(ctx, reference);
    if (i && i.provider === 'mobile_money') return i;
  }
  return intentByReference(ctx, 'mobile_money', reference);
}
