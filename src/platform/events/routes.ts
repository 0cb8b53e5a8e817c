import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTransaction } from '../db/tx.ts';
import { requireCompany } from '../http/auth.ts';
import type { HttpDeps } from '../http/command.ts';
import { resumePoint, type StreamHub } from './stream.ts';

/** GET /companies/{companyId}/stream: Server-Sent Events, resumable with Last-Event-ID. */
export function streamRoutes(app: FastifyInstance, deps: HttpDeps & { hub: StreamHub }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/companies/:companyId/stream',
    {
      config: { permission: 'stream.read' },
      schema: {
        tags: ['stream'],
        summary: 'Live events of the company (text/event-stream); resume with Last-Event-ID',
        params: z.object({ companyId: z.uuid() }),
        querystring: z.object({ lastEventId: z.string().max(20).optional() }),
      },
    },
    async (req, reply) => {
      const { companyId, role } = requireCompany(req);
      const lastHeader = req.headers['last-event-id'];
      const last = (typeof lastHeader === 'string' ? lastHeader : undefined) ?? req.query.lastEventId;
      const start = await inTransaction(deps.db, { kind: 'company', companyId }, (tx) =>
        resumePoint(tx, companyId, last, deps.clock.now()),
      );
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': String(req.id),
      });
      res.write('retry: 2000\n\n');
      if (start.reset) res.write(`event: reset\nid: ${start.cursor}\ndata: {"position":${start.cursor}}\n\n`);
      const userId = req.principal?.kind === 'user' ? req.principal.userId : undefined;
      const remove = deps.hub.add(companyId, role, start.cursor, res, userId);
      req.raw.on('close', remove);
    },
  );
}
