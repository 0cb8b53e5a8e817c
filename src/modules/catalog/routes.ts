import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand, runQuery } from '../../platform/http/command.ts';
import { pageQuery } from '../../platform/http/pagination.ts';
import type { HttpDeps } from '../../platform/http/command.ts';
import { getCompany } from '../tenancy/index.ts';
import { type BatchAnswer, HoldBatcher } from './hold-batcher.ts';
import { activeHolds } from './holds.ts';
import { adjustStock, listMovements, reportLoss, restock } from './ledger.ts';
import { createProduct, getProduct, listCategories, listProducts, setArchived, updateProduct } from './products.ts';

const params = z.object({ companyId: z.uuid() });
const productParams = params.extend({ productId: z.uuid() });
const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
const productFields = z.object({
  name: z.string().trim().min(1).max(200),
  sku: z.string().trim().min(1).max(64).nullable().optional(),
  category: z.string().trim().min(1).max(100).nullable().optional(),
  price: z.number().int().min(0).max(1e12),
  taxRate: z.number().int().min(0).max(10_000).optional(),
  kind: z.enum(['good', 'service']),
  durationMinutes: z.number().int().min(1).max(1440).nullable().optional(),
  lowStockThreshold: z.number().int().min(0).max(1_000_000).optional(),
  active: z.boolean().optional(),
  imageUrl: z.url().max(2000).nullable().optional(),
  /** Where it is prepared (its lines go there as tickets); null: nowhere. */
  station: z.enum(['kitchen', 'bar']).nullable().optional(),
});
const quantity = z.number().int().min(1).max(1_000_000);
const liveOwner = z.object({ type: z.literal('live_order'), id: z.uuid() });
const holdLines = z.array(z.object({ productId: z.uuid(), quantity })).min(1).max(100);

/** Products, stock ledger, losses and integration holds. */
export function catalogRoutes(app: FastifyInstance, deps: HttpDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/companies/:companyId';
  const tags = ['catalog'];

  r.get(`${base}/products`, {
    config: { permission: 'catalog.read' },
    schema: {
      tags,
      summary: 'Products by name, with onHand/held/available',
      params,
      querystring: pageQuery.extend({
        search: z.string().trim().max(100).optional(),
        category: z.string().max(100).optional(),
        kind: z.enum(['good', 'service']).optional(),
        active: boolQuery.optional(),
        archived: boolQuery.optional(),
        lowStock: boolQuery.optional(),
      }),
    },
  }, async (req) => runQuery(req, deps, (ctx) => listProducts(ctx, req.query)));

  r.get(`${base}/products/categories`, {
    config: { permission: 'catalog.read' },
    schema: { tags, summary: 'Categories in use', params },
  }, async (req) => runQuery(req, deps, async (ctx) => ({ items: await listCategories(ctx) })));

  r.post(`${base}/products`, {
    config: { permission: 'catalog.manage' },
    schema: { tags, summary: 'Create a product (taxRate defaults to the company setting)', params, body: productFields },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      const company = await getCompany(ctx);
      return { status: 201, body: await createProduct(ctx, req.body, company.settings.defaultTaxRate) };
    }),
  );

  r.get(`${base}/products/:productId`, {
    config: { permission: 'catalog.read' },
    schema: { tags, summary: 'A product with its stock', params: productParams },
  }, async (req) => runQuery(req, deps, (ctx) => getProduct(ctx, req.params.productId)));

  r.patch(`${base}/products/:productId`, {
    config: { permission: 'catalog.manage' },
    schema: { tags, summary: 'Update a product', params: productParams, body: productFields.partial().strict() },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await updateProduct(ctx, req.params.productId, req.body) })),
  );

  for (const [action, archived] of [['archive', true], ['unarchive', false]] as const) {
    r.post(`${base}/products/:productId/${action}`, {
      config: { permission: 'catalog.manage' },
      schema: { tags, summary: archived ? 'Archive a product' : 'Bring an archived product back', params: productParams },
    }, async (req, reply) =>
      runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await setArchived(ctx, req.params.productId, archived) })),
    );
  }

  r.post(`${base}/products/:productId/restock`, {
    config: { permission: 'stock.manage' },
    schema: { tags: ['stock'], summary: 'Receive stock (a restock movement)', params: productParams, body: z.object({ quantity, note: z.string().trim().max(500).optional() }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await restock(ctx, req.params.productId, req.body) })),
  );

  r.post(`${base}/products/:productId/adjustments`, {
    config: { permission: 'stock.manage' },
    schema: {
      tags: ['stock'],
      summary: 'Correct on-hand after a count (never below what is held)',
      params: productParams,
      body: z.object({ delta: z.number().int().min(-1_000_000).max(1_000_000).refine((v) => v !== 0, 'non_zero'), reason: z.string().trim().min(1).max(200) }),
    },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await adjustStock(ctx, req.params.productId, req.body) })),
  );

  r.get(`${base}/products/:productId/movements`, {
    config: { permission: 'stock.read' },
    schema: { tags: ['stock'], summary: 'The product stock ledger, newest first', params: productParams, querystring: pageQuery },
  }, async (req) => runQuery(req, deps, (ctx) => listMovements(ctx, req.params.productId, req.query)));

  r.post(`${base}/stock-losses`, {
    config: { permission: 'stock.loss' },
    schema: {
      tags: ['stock'],
      summary: 'Report broken, expired or stolen stock',
      params,
      body: z.object({ productId: z.uuid(), quantity, reason: z.enum(['broken', 'expired', 'stolen', 'other']), note: z.string().trim().max(500).optional() }),
    },
  }, async (req, reply) => runCommand(req, reply, deps, async (ctx) => ({ status: 201, body: await reportLoss(ctx, req.body) })));

  // Hot stock: concurrent hold requests of a company share one transaction (see hold-batcher.ts).
  const batcher = new HoldBatcher(deps);
  const send = (reply: FastifyReply, a: BatchAnswer) => {
    if (a.replayed) reply.header('Idempotent-Replayed', 'true');
    return reply.status(a.status).send(a.body);
  };

  r.post(`${base}/holds`, {
    config: { permission: 'holds.manage' },
    schema: { tags: ['holds'], summary: 'Hold stock for a live order (all lines or none; expires after holdMinutes)', params, body: z.object({ owner: liveOwner, lines: holdLines }) },
  }, async (req, reply) =>
    send(reply, await batcher.submit(req, req.params.companyId, { kind: 'place', owner: req.body.owner, lines: req.body.lines })),
  );

  r.post(`${base}/holds/release`, {
    config: { permission: 'holds.manage' },
    schema: { tags: ['holds'], summary: "Release a live order's holds", params, body: z.object({ owner: liveOwner }) },
  }, async (req, reply) => send(reply, await batcher.submit(req, req.params.companyId, { kind: 'release', owner: req.body.owner })));

  r.get(`${base}/holds`, {
    config: { permission: 'holds.manage' },
    schema: { tags: ['holds'], summary: "An owner's active holds", params, querystring: z.object({ ownerType: z.enum(['cart', 'sale', 'live_order']), ownerId: z.uuid() }) },
  }, async (req) =>
    runQuery(req, deps, async (ctx) => ({ items: await activeHolds(ctx, { type: req.query.ownerType, id: req.query.ownerId }) })),
  );
}
