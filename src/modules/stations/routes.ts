import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type HttpDeps, runCommand, runQuery } from '../../platform/http/command.ts';
import { saleTickets, STATIONS, stationTickets } from './queries.ts';
import { markReady, sendToStations } from './service.ts';

const params = z.object({ companyId: z.uuid() });
const stationParams = params.extend({ station: z.enum(STATIONS) });

/** "Envoyer en cuisine" from the till, and the kitchen and bar screens. */
export function stationRoutes(app: FastifyInstance, deps: HttpDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['stations'];
  const config = { permission: 'stations.run' as const };
  const sales = '/api/v1/companies/:companyId/sales/:saleId';
  const stations = '/api/v1/companies/:companyId/stations/:station/tickets';

  r.post(`${sales}/send-to-stations`, {
    config,
    schema: {
      tags,
      summary: 'Envoyer en cuisine: one ticket per station with the lines not sent yet (notes, added quantities); nothing new → 200 and no ticket',
      params: params.extend({ saleId: z.uuid() }),
    },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      const tickets = await sendToStations(ctx, req.params.saleId);
      return { status: tickets.length ? 201 : 200, body: { tickets } };
    }),
  );

  r.get(`${sales}/tickets`, {
    config,
    schema: { tags, summary: "A sale's tickets in the order sent, and what each line has sent so far", params: params.extend({ saleId: z.uuid() }) },
  }, async (req) => runQuery(req, deps, (ctx) => saleTickets(ctx, req.params.saleId)));

  r.get(stations, {
    config,
    schema: {
      tags,
      summary: "A station's tickets: pending oldest first (the order to prepare them in), or ready newest first",
      params: stationParams,
      querystring: z.object({ status: z.enum(['pending', 'ready']).default('pending'), limit: z.coerce.number().int().min(1).max(200).default(100) }),
    },
  }, async (req) => runQuery(req, deps, async (ctx) => ({ items: await stationTickets(ctx, req.params.station, req.query.status, req.query.limit), nextCursor: null })));

  r.post(`${stations}/:ticketId/ready`, {
    config,
    schema: { tags, summary: 'Mark a ticket ready (idempotent); the last ticket of a send tells the server (order_ready)', params: stationParams.extend({ ticketId: z.uuid() }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await markReady(ctx, req.params.station, req.params.ticketId) })),
  );
}
