import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { type HttpDeps, runCommand, runQuery } from '../../platform/http/command.ts';
import { perIpLimit } from '../../platform/http/ip-window.ts';
import { pageQuery } from '../../platform/http/pagination.ts';
import { problemBody } from '../../platform/http/problem.ts';
import { listProducts } from '../catalog/index.ts';
import { resolveSettings } from '../tenancy/index.ts';
import { addItem, cancelCheckout, cancelOrder, checkout, confirmPickup, createCart, extendCheckout, findCart, listOrders, payOrder, removeItem, setQuantity, type Shop, viewCart } from './carts.ts';

const shopParams = z.object({ companySlug: z.string().min(1).max(64) });
const cartParams = shopParams.extend({ token: z.string().min(20).max(64) });
const lineParams = cartParams.extend({ productId: z.uuid() });
const quantity = z.number().int().min(1).max(1000);

/** Public shop pages: no sign-in; a cart is its unguessable token. */
export function storefrontRoutes(app: FastifyInstance, deps: HttpDeps, rateLimitPerMinute: number) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/public/shops/:companySlug';
  const tags = ['storefront'];
  // Shop-level routes are limited per IP (120/min); cart routes per cart token (60/min)
  // and per IP (the configured limit).
  const config = { public: true, rateLimit: { max: 120, timeWindow: 60_000 } };
  const perCart = { public: true, rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `cart:${(req.params as { token: string }).token}` } };
  // ...and per IP as well, with the configured per-minute limit (0 = off).
  const ipLimit = rateLimitPerMinute > 0 ? perIpLimit(rateLimitPerMinute) : null;
  const perIp = () => (ipLimit ? { onRequest: [ipLimit] } : {});

  const shopOf = async (slug: string): Promise<Shop> => {
    const { rows } = await deps.db.pool.query('SELECT id, name, slug, currency, settings FROM companies WHERE slug = $1', [slug]);
    if (!rows[0]) throw notFound('shop.not_found');
    return { companyId: rows[0].id, name: rows[0].name, slug: rows[0].slug, currency: rows[0].currency, holdMinutes: resolveSettings(rows[0].settings).holdMinutes };
  };
  /** A cart command in the shop's tenant scope, answering the re-validated cart. */
  const onCart = async (req: FastifyRequest, reply: Parameters<typeof runCommand>[1], fn: (ctx: Ctx, shop: Shop) => Promise<{ status: number; body: unknown }>) => {
    const shop = await shopOf((req.params as { companySlug: string }).companySlug);
    return runCommand(req, reply, deps, (ctx) => fn(ctx, shop), { kind: 'company', companyId: shop.companyId });
  };

  r.get(base, { config, schema: { tags, summary: 'The shop', params: shopParams } }, async (req) => {
    const { companyId: _, ...shop } = await shopOf(req.params.companySlug);
    return { shop };
  });

  r.get(`${base}/products`, {
    config,
    schema: { tags, summary: 'Products on sale, with availability', params: shopParams, querystring: z.object({ search: z.string().max(100).optional(), category: z.string().max(100).optional(), cursor: z.string().max(500).optional() }) },
  }, async (req, reply) =>
    onCart(req, reply, async (ctx) => {
      const page = await listProducts(ctx, { ...req.query, active: true, limit: 100 });
      const items = page.items.map((p) => ({
        id: p.id, name: p.name, category: p.category, price: p.price, kind: p.kind, imageUrl: p.imageUrl,
        available: p.kind === 'service' ? null : p.available, inStock: p.kind === 'service' || p.available > 0,
      }));
      return { status: 200, body: { items, nextCursor: page.nextCursor } };
    }),
  );

  r.post(`${base}/carts`, { config, schema: { tags, summary: 'A new cart (its token is shown once)', params: shopParams } }, async (req, reply) =>
    onCart(req, reply, async (ctx, shop) => {
      const { token, cart } = await createCart(ctx);
      return { status: 201, body: { token, ...(await viewCart(ctx, cart, shop)) } };
    }),
  );

  r.get(`${base}/carts/:token`, { config: perCart, ...perIp(), schema: { tags, summary: 'The cart, re-validated against stock', params: cartParams } }, async (req, reply) =>
    onCart(req, reply, async (ctx, shop) => ({ status: 200, body: await viewCart(ctx, await findCart(ctx, req.params.token), shop) })),
  );

  r.post(`${base}/carts/:token/items`, {
    config: perCart,
    ...perIp(),
    schema: { tags, summary: 'Add to the cart (409, cart unchanged, beyond what is available)', params: cartParams, body: z.object({ productId: z.uuid(), quantity }) },
  }, async (req, reply) =>
    onCart(req, reply, async (ctx, shop) => {
      const cart = await findCart(ctx, req.params.token);
      const messages = await addItem(ctx, cart, req.body.productId, req.body.quantity);
      return { status: 200, body: await viewCart(ctx, cart, shop, messages) };
    }),
  );

  r.patch(`${base}/carts/:token/items/:productId`, {
    config: perCart,
    ...perIp(),
    schema: { tags, summary: 'Set a quantity (trimmed to stock, removed at 0)', params: lineParams, body: z.object({ quantity: z.number().int().min(0).max(1000) }) },
  }, async (req, reply) =>
    onCart(req, reply, async (ctx, shop) => {
      const cart = await findCart(ctx, req.params.token);
      const messages = await setQuantity(ctx, cart, req.params.productId, req.body.quantity);
      return { status: 200, body: await viewCart(ctx, cart, shop, messages) };
    }),
  );

  r.delete(`${base}/carts/:token/items/:productId`, { config: perCart, ...perIp(), schema: { tags, summary: 'Remove a line', params: lineParams } }, async (req, reply) =>
    onCart(req, reply, async (ctx, shop) => {
      const cart = await findCart(ctx, req.params.token);
      return { status: 200, body: await viewCart(ctx, cart, shop, await removeItem(ctx, cart, req.params.productId)) };
    }),
  );

  r.post(`${base}/carts/:token/checkout`, {
    config: perCart,
    ...perIp(),
    schema: {
      tags,
      summary: 'Hold every line for holdMinutes and create a pending order, or 409 with the adjusted cart',
      params: cartParams,
      body: z.object({ customer: z.object({ name: z.string().trim().min(1).max(200), phone: z.string().trim().max(40).optional(), email: z.email().max(254).optional() }) }),
    },
  }, async (req, reply) =>
    onCart(req, reply, async (ctx, shop) => {
      const cart = await findCart(ctx, req.params.token);
      const outcome = await checkout(ctx, cart, shop, req.body.customer);
      if (!outcome.ok) {
        const reviewed = await viewCart(ctx, { ...cart, pending: [] }, shop, outcome.messages);
        return { status: 409, body: problemBody(String(req.id), 409, 'cart.review', { params: { cart: reviewed } }) };
      }
      const view = await viewCart(ctx, await findCart(ctx, req.params.token), shop, []);
      const notice = { level: 'info', code: 'checkout_hold_notice', params: { minutes: shop.holdMinutes } };
      return {
        status: 201,
        body: { cart: { ...view, messages: [...view.messages, notice] }, order: outcome.order, holdExpiresAt: outcome.order.holdExpiresAt, payment: { method: 'pay_at_pickup' } },
      };
    }),
  );

  r.post(`${base}/carts/:token/checkout/cancel`, { config: perCart, ...perIp(), schema: { tags, summary: 'Cancel the payment: holds released, cart kept', params: cartParams } }, async (req, reply) =>
    onCart(req, reply, async (ctx, shop) => {
      const cart = await findCart(ctx, req.params.token);
      const messages = await cancelCheckout(ctx, cart);
      return { status: 200, body: await viewCart(ctx, await findCart(ctx, req.params.token), shop, messages) };
    }),
  );

  r.post(`${base}/carts/:token/checkout/extend`, { config: perCart, ...perIp(), schema: { tags, summary: 'Extend the hold once', params: cartParams } }, async (req, reply) =>
    onCart(req, reply, async (ctx, shop) => {
      const cart = await findCart(ctx, req.params.token);
      await extendCheckout(ctx, cart, shop);
      return { status: 200, body: await viewCart(ctx, await findCart(ctx, req.params.token), shop) };
    }),
  );

  r.post(`${base}/carts/:token/checkout/confirm`, {
    config: perCart,
    ...perIp(),
    schema: { tags, summary: 'Confirm the order, paid at pickup: stock stays held until staff complete or cancel it', params: cartParams },
  }, async (req, reply) =>
    onCart(req, reply, async (ctx) => ({ status: 200, body: { order: await confirmPickup(ctx, await findCart(ctx, req.params.token)) } })),
  );

  const staff = '/api/v1/companies/:companyId/online-orders';
  r.get(staff, {
    config: { permission: 'sales.run' },
    schema: { tags, summary: 'Online orders (awaiting pickup, pending, …)', params: z.object({ companyId: z.uuid() }), querystring: pageQuery.extend({ status: z.enum(['pending', 'awaiting_pickup', 'paid', 'cancelled', 'expired']).optional() }) },
  }, async (req) => runQuery(req, deps, (ctx) => listOrders(ctx, req.query)));

  r.post(`${staff}/:orderId/cancel`, {
    config: { permission: 'sales.run' },
    schema: { tags, summary: 'Cancel an order not collected (its stock is released)', params: z.object({ companyId: z.uuid(), orderId: z.uuid() }) },
  }, async (req, reply) => runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await cancelOrder(ctx, req.params.orderId) })));

  r.post(`${staff}/:orderId/pay`, {
    config: { permission: 'payments.run' },
    schema: {
      tags,
      summary: 'Take payment for an online order: it becomes a paid sale (channel online), its holds consumed, in one transaction',
      params: z.object({ companyId: z.uuid(), orderId: z.uuid() }),
      body: z.object({ method: z.enum(['cash', 'card', 'mobile_money']), tendered: z.number().int().min(1).max(1e12).optional(), reference: z.string().trim().min(1).max(100).optional() }),
    },
  }, async (req, reply) => runCommand(req, reply, deps, async (ctx) => ({ status: 201, body: await payOrder(ctx, req.params.orderId, req.body) })));
}
