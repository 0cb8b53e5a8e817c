import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../platform/context.ts';
import { requireCompany } from '../../platform/http/auth.ts';
import { type Answer, type HttpDeps, runCommand, runQuery } from '../../platform/http/command.ts';
import { pageQuery } from '../../platform/http/pagination.ts';
import { isPhone } from './rules.ts';
import { cancelOrder, getOrder, listOrders, listSessions, liveState, setLive, updateOrder, upsertOrder } from './service.ts';

/**
 * Every route twice: under the company's id (the web app) and under its external
 * reference (an integration such as a live-chat bot, with an API token). The guard
 * resolves either to the company (requireCompany); handlers never read it from params.
 */
const PREFIXES = [
  { base: '/api/v1/companies/:companyId/live', params: z.object({ companyId: z.uuid() }) },
  { base: '/api/v1/companies/by-ref/:externalRef/live', params: z.object({ externalRef: z.string().min(1).max(100) }) },
] as const;

const steps = {
  /** The order's lines, all of them (an empty list clears the products step). */
  items: z.array(z.object({ productId: z.uuid(), quantity: z.number().int().min(1).max(1000) }).strict()).max(100).optional(),
  /** A transfer the customer made: the same reference again replaces it, another one adds up. */
  payment: z.object({ reference: z.string().trim().min(1).max(100), amount: z.number().int().min(1).max(1_000_000_000_000) }).strict().nullable().optional(),
  deliveryZone: z.string().trim().min(1).max(100).nullable().optional(),
  customerPhone: z.string().trim().max(40).refine(isPhone, { message: 'invalid_format' }).nullable().optional(),
};
const orderStatus = z.enum(['active', 'completed', 'cancelled']);

export function liveRoutes(app: FastifyInstance, deps: HttpDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['live'];
  const config = { permission: 'live.run' as const };
  // The company is the one the guard resolved (by id or by external reference).
  const query = <T>(req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>) => {
    requireCompany(req);
    return runQuery(req, deps, fn);
  };
  const command = <T>(req: FastifyRequest, reply: FastifyReply, fn: (ctx: Ctx) => Promise<Answer<T>>) => {
    requireCompany(req);
    return runCommand(req, reply, deps, fn);
  };

  for (const { base, params } of PREFIXES) {
    const orderParams = params.extend({ id: z.uuid() });

    r.get(base, { config, schema: { tags, summary: 'Live mode: on while a session is active (session: the active one, else the latest)', params } }, async (req) =>
      query(req, (ctx) => liveState(ctx)),
    );

    r.post(base, {
      config,
      schema: {
        tags,
        summary: 'Turn live mode on (opens a session; on twice is the same session) or off (ends it with its figures)',
        params,
        body: z.object({ enabled: z.boolean() }).strict(),
      },
    }, async (req, reply) => command(req, reply, async (ctx) => ({ status: 200, body: await setLive(ctx, req.body.enabled) })));

    r.get(`${base}/sessions`, { config, schema: { tags, summary: 'Live sessions, newest first, with their figures', params, querystring: pageQuery } }, async (req) =>
      query(req, (ctx) => listSessions(ctx, req.query)),
    );

    r.get(`${base}/orders`, {
      config,
      schema: { tags, summary: 'Live orders, newest first, with their checklists', params, querystring: pageQuery.extend({ status: orderStatus.optional(), liveSessionId: z.uuid().optional() }) },
    }, async (req) => query(req, (ctx) => listOrders(ctx, req.query)));

    r.post(`${base}/orders`, {
      config,
      schema: {
        tags,
        summary: "Create the customer's active order (201) or update it (200) with any steps; all four done → a paid live sale",
        params,
        body: z.object({ externalCustomerId: z.string().trim().min(1).max(200), ...steps }).strict(),
      },
    }, async (req, reply) =>
      command(req, reply, async (ctx) => {
        const { externalCustomerId, ...input } = req.body;
        const { created, order } = await upsertOrder(ctx, externalCustomerId, input);
        return { status: created ? 201 : 200, body: order };
      }),
    );

    r.get(`${base}/orders/:id`, { config, schema: { tags, summary: 'A live order with its checklist', params: orderParams } }, async (req) =>
      query(req, (ctx) => getOrder(ctx, req.params.id)),
    );

    r.patch(`${base}/orders/:id`, {
      config,
      schema: { tags, summary: 'Set any steps of an active order; all four done → a paid live sale', params: orderParams, body: z.object(steps).strict() },
    }, async (req, reply) => command(req, reply, async (ctx) => ({ status: 200, body: await updateOrder(ctx, req.params.id, req.body) })));

    r.post(`${base}/orders/:id/cancel`, { config, schema: { tags, summary: 'Cancel an active order (its stock is released)', params: orderParams } }, async (req, reply) =>
      command(req, reply, async (ctx) => ({ status: 200, body: await cancelOrder(ctx, req.params.id) })),
    );
  }
}
