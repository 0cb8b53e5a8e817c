import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { conflict, notFound } from '../../platform/errors.ts';
import { type HttpDeps, runCommand, runQuery } from '../../platform/http/command.ts';
import { pageQuery } from '../../platform/http/pagination.ts';
import { countUnread, getNotification, listNotifications } from './queries.ts';
import { PRIORITIES } from './rules.ts';
import { archive, DEFAULT_PREFERENCES, getPreferences, readAll, setPreferences, setRead } from './service.ts';

const params = z.object({ companyId: z.uuid() });
const one = params.extend({ notificationId: z.uuid() });
const type = z.string().regex(/^[a-z_]{1,64}$/);
const EMPTY_COUNT = { unread: 0, byPriority: { low: 0, medium: 0, high: 0, urgent: 0 } };

/** Whose inbox: a signed-in user's. An API token acts for no person, so its inbox is empty. */
const inbox = (req: FastifyRequest) => (req.principal?.kind === 'user' ? req.principal.userId : null);

/** The caller's own notifications: list, badge count, read state, preferences. */
export function notificationRoutes(app: FastifyInstance, deps: HttpDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/companies/:companyId';
  const tags = ['notifications'];
  const config = { permission: 'notifications.read' as const };

  r.get(`${base}/notifications`, {
    config,
    schema: {
      tags,
      summary: 'My notifications, newest first',
      params,
      querystring: pageQuery.extend({
        type: type.optional(),
        unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
        priority: z.enum(PRIORITIES).optional(),
        since: z.iso.datetime({ offset: true }).optional(),
        archived: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
        areaId: z.uuid().optional(),
        serverId: z.uuid().optional(),
      }),
    },
  }, async (req) => {
    const userId = inbox(req);
    if (!userId) return { items: [], nextCursor: null };
    return runQuery(req, deps, (ctx) => listNotifications(ctx.tx, ctx.companyId, userId, req.query));
  });

  r.get(`${base}/notifications/count`, {
    config,
    schema: { tags, summary: 'My unread count, by priority (for the badge)', params },
  }, async (req) => {
    const userId = inbox(req);
    if (!userId) return EMPTY_COUNT;
    return runQuery(req, deps, (ctx) => countUnread(ctx.tx, ctx.companyId, userId));
  });

  for (const [action, summary] of [['read', 'Mark read'], ['unread', 'Mark unread'], ['archive', 'Archive']] as const) {
    r.post(`${base}/notifications/:notificationId/${action}`, {
      config,
      schema: { tags, summary, params: one },
    }, async (req, reply) => {
      const userId = inbox(req);
      if (!userId) throw notFound('notification.not_found');
      return runCommand(req, reply, deps, async (ctx) => {
        if (action === 'archive') await archive(ctx, userId, req.params.notificationId);
        else await setRead(ctx, userId, req.params.notificationId, action === 'read');
        return { status: 200, body: await getNotification(ctx.tx, ctx.companyId, userId, req.params.notificationId) };
      });
    });
  }

  r.post(`${base}/notifications/read-all`, {
    config,
    schema: { tags, summary: 'Mark all mine read (optionally of one type)', params, body: z.object({ type: type.optional() }).optional() },
  }, async (req, reply) => {
    const userId = inbox(req);
    if (!userId) return { updated: 0 };
    return runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: { updated: await readAll(ctx, userId, req.body?.type) } }));
  });

  r.get(`${base}/notification-preferences`, {
    config,
    schema: { tags, summary: 'My notification preferences', params },
  }, async (req) => {
    const userId = inbox(req);
    if (!userId) return DEFAULT_PREFERENCES;
    return runQuery(req, deps, (ctx) => getPreferences(ctx.tx, ctx.companyId, userId));
  });

  r.put(`${base}/notification-preferences`, {
    config,
    schema: {
      tags,
      summary: 'Set my preferences (urgent ones cannot be muted)',
      params,
      body: z.object({ mutedTypes: z.array(type).max(100), sound: z.boolean(), emailDailySummary: z.boolean() }),
    },
  }, async (req, reply) => {
    const userId = inbox(req);
    if (!userId) throw conflict('notification.no_inbox');
    return runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await setPreferences(ctx, userId, req.body) }));
  });
}
