import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localDate } from '../../platform/dates.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { requireCompany } from '../../platform/http/auth.ts';
import { contextOf, type HttpDeps, runQuery } from '../../platform/http/command.ts';
import { pageQuery } from '../../platform/http/pagination.ts';
import { getIntent, getSession, paymentView } from '../payments/index.ts';
import { activity } from './activity.ts';
import { ACTOR_TYPES, CSV_HEADER, csvRow, type EventFilter, eventsBatch, KNOWN_TYPES, LEVELS, listEvents, SUBJECT_KEYS, type SubjectKey, trailOf } from './audit.ts';
import { dashboard, dashboardDaily, dashboardErrors } from './dashboard.ts';

const companyParams = z.object({ companyId: z.uuid() });
const idParams = companyParams.extend({ id: z.uuid() });
const list = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .max(2000)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values as [T, ...T[]])).max(60));

const filterQuery = z.object({
  type: list(KNOWN_TYPES).optional(),
  level: list(LEVELS).optional(),
  subject: z
    .string()
    .regex(new RegExp(`^(${SUBJECT_KEYS.join('|')}):[0-9a-fA-F-]{36}$`))
    .optional(),
  actorType: z.enum(ACTOR_TYPES).optional(),
  actorId: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

function filterOf(q: z.infer<typeof filterQuery>): EventFilter {
  const [key, id] = q.subject ? (q.subject.split(':') as [SubjectKey, string]) : [];
  return {
    types: q.type,
    levels: q.level,
    subject: key && id ? { key, id: id.toLowerCase() } : undefined,
    actorType: q.actorType,
    actorId: q.actorId,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  };
}

const CSV_BATCH = 1000;

export function insightsRoutes(app: FastifyInstance, deps: HttpDeps, env: { publicUrl: string }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/companies/:companyId';

  r.get(`${base}/events`, {
    config: { permission: 'events.read' },
    schema: { tags: ['audit'], summary: 'The event log, filtered (type, level, subject, actor, time range), newest first', params: companyParams, querystring: filterQuery.extend(pageQuery.shape) },
  }, async (req) => runQuery(req, deps, (ctx) => listEvents(ctx, filterOf(req.query), req.query)));

  r.get(`${base}/events.csv`, {
    config: { permission: 'events.read' },
    schema: { tags: ['audit'], summary: 'The filtered log as CSV, streamed oldest first', params: companyParams, querystring: filterQuery },
  }, async (req, reply) => {
    const { companyId } = requireCompany(req);
    const filter = filterOf(req.query);
    const name = `events-${(req.query.from ?? 'debut').slice(0, 10)}-${(req.query.to ?? 'maintenant').slice(0, 10)}.csv`;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'x-request-id': String(req.id) });
    const write = (chunk: string) => (res.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => res.once('drain', () => resolve())));
    await write(`\ufeff${CSV_HEADER.join(',')}\n`);
    // Batch by batch, each in its own short read: the export is never held in memory.
    let after = 0;
    try {
      for (;;) {
        if (res.destroyed) return;
        const batch = await inTransaction(deps.db, { kind: 'company', companyId }, (tx) => eventsBatch(contextOf(req, deps, tx), filter, after, CSV_BATCH));
        if (!batch.length) break;
        await write(`${batch.map(csvRow).join('\n')}\n`);
        after = batch[batch.length - 1]!.position;
        if (batch.length < CSV_BATCH) break;
      }
    } catch (err) {
      req.log.error({ err }, 'csv export failed');
    }
    res.end();
  });

  r.get(`${base}/payments/:id/trail`, { config: { permission: 'events.read' }, schema: { tags: ['audit'], summary: "A payment's whole story, in order", params: idParams } }, async (req) =>
    runQuery(req, deps, async (ctx) => {
      const intent = await getIntent(ctx, req.params.id);
      const events = await trailOf(ctx, { paymentIds: [intent.id], paymentSessionId: intent.paymentSessionId, saleId: intent.saleId });
      return { payment: paymentView(intent), events };
    }),
  );

  r.get(`${base}/payment-sessions/:id/trail`, { config: { permission: 'events.read' }, schema: { tags: ['audit'], summary: "A QR session's whole story, in order", params: idParams } }, async (req) =>
    runQuery(req, deps, async (ctx) => {
      const session = await getSession(ctx, env, req.params.id);
      const { rows } = await ctx.tx.client.query('SELECT id FROM payment_intents WHERE company_id = $1 AND payment_session_id = $2', [ctx.companyId, session.id]);
      const events = await trailOf(ctx, { paymentIds: rows.map((x) => x.id as string), paymentSessionId: session.id, saleId: session.saleId });
      return { session, events };
    }),
  );

  r.get(`${base}/dashboard`, {
    config: { permission: 'dashboard.read' },
    schema: { tags: ['dashboard'], summary: "The company's figures for local dates [from, to] (default today)", params: companyParams, querystring: z.object({ from: localDate.optional(), to: localDate.optional() }) },
  }, async (req) => runQuery(req, deps, (ctx) => dashboard(ctx, req.query)));

  r.get(`${base}/dashboard/daily`, {
    config: { permission: 'dashboard.read' },
    schema: { tags: ['dashboard'], summary: 'Per local day: sessions, paid sessions, payments, revenue', params: companyParams, querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }) },
  }, async (req) => runQuery(req, deps, (ctx) => dashboardDaily(ctx, req.query.days)));

  r.get(`${base}/dashboard/errors`, {
    config: { permission: 'dashboard.read' },
    schema: { tags: ['dashboard'], summary: 'Recent error and critical events, with their trails', params: companyParams, querystring: z.object({ hours: z.coerce.number().int().min(1).max(720).default(24) }) },
  }, async (req) => runQuery(req, deps, (ctx) => dashboardErrors(ctx, req.query.hours)));

  r.get(`${base}/activity`, {
    config: { permission: 'activity.read' },
    schema: { tags: ['dashboard'], summary: 'Latest business events as feed items (the same arrive live on the stream)', params: companyParams, querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
  }, async (req) => runQuery(req, deps, (ctx) => activity(ctx, req.query.limit)));
}
