import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../platform/context.ts';
import { type HttpDeps, runCommand, runQuery } from '../../platform/http/command.ts';
import { getCompany } from '../tenancy/index.ts';
import { createArea, createTable, type FloorFigures, floorView, listAreas, listTables, updateArea, updateTable } from './service.ts';

const params = z.object({ companyId: z.uuid() });
const shape = z.enum(['square', 'round', 'rect']);
const tableFields = z.object({
  areaId: z.uuid(),
  label: z.string().trim().min(1).max(40),
  seats: z.number().int().min(1).max(100),
  x: z.number().int().min(0).max(10_000).optional(),
  y: z.number().int().min(0).max(10_000).optional(),
  shape: shape.optional(),
});

/** Areas, tables and the floor view. `figures` comes from the sales module (open sales, 30-day stats). */
export function floorRoutes(app: FastifyInstance, deps: HttpDeps, figures: (ctx: Ctx) => Promise<FloorFigures>) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/companies/:companyId';
  const tags = ['floor'];

  r.get(`${base}/floor`, { config: { permission: 'floor.read' }, schema: { tags, summary: 'Areas, tables, open sales and 30-day figures in one call', params } }, async (req) =>
    runQuery(req, deps, async (ctx) => ({ currency: (await getCompany(ctx)).currency, ...(await floorView(ctx, await figures(ctx))) })),
  );
  r.get(`${base}/areas`, { config: { permission: 'floor.read' }, schema: { tags, summary: 'Areas', params } }, async (req) =>
    runQuery(req, deps, async (ctx) => ({ items: await listAreas(ctx), nextCursor: null })),
  );
  r.post(`${base}/areas`, {
    config: { permission: 'floor.manage' },
    schema: { tags, summary: 'Create an area (salle, terrasse, bar…)', params, body: z.object({ name: z.string().trim().min(1).max(100), sort: z.number().int().optional() }) },
  }, async (req, reply) => runCommand(req, reply, deps, async (ctx) => ({ status: 201, body: await createArea(ctx, req.body) })));
  r.patch(`${base}/areas/:areaId`, {
    config: { permission: 'floor.manage' },
    schema: { tags, summary: 'Update an area', params: params.extend({ areaId: z.uuid() }), body: z.object({ name: z.string().trim().min(1).max(100).optional(), sort: z.number().int().optional(), active: z.boolean().optional() }) },
  }, async (req, reply) => runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await updateArea(ctx, req.params.areaId, req.body) })));
  r.get(`${base}/tables`, { config: { permission: 'floor.read' }, schema: { tags, summary: 'Tables', params } }, async (req) =>
    runQuery(req, deps, async (ctx) => ({ items: await listTables(ctx), nextCursor: null })),
  );
  r.post(`${base}/tables`, {
    config: { permission: 'floor.manage' },
    schema: { tags, summary: 'Create a table (label unique per company)', params, body: tableFields },
  }, async (req, reply) => runCommand(req, reply, deps, async (ctx) => ({ status: 201, body: await createTable(ctx, req.body) })));
  r.patch(`${base}/tables/:tableId`, {
    config: { permission: 'floor.manage' },
    schema: {
      tags,
      summary: 'Move, rename, reserve or take a table out of service (an occupied table changes only through its sale)',
      params: params.extend({ tableId: z.uuid() }),
      body: tableFields.partial().extend({
        active: z.boolean().optional(),
        status: z.enum(['available', 'reserved', 'out_of_service']).optional(),
        reservedName: z.string().trim().max(200).nullable().optional(),
        reservedAt: z.iso.datetime({ offset: true }).nullable().optional(),
      }),
    },
  }, async (req, reply) => runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await updateTable(ctx, req.params.tableId, req.body) })));
}
