import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../platform/http/command.ts';
import { onHoldsExpired } from '../catalog/index.ts';
import { cartHoldsExpired } from './carts.ts';
import { storefrontRoutes } from './routes.ts';

// The storefront module's door.
export type { Order } from './carts.ts';
export { findCart, markPaidUnfulfilled, orderForPayment, orderOf, payOrder } from './carts.ts';

// A lapsed checkout hold expires its order and reopens the cart, in the sweep's transaction.
onHoldsExpired((ctx, expired) => cartHoldsExpired(ctx, expired.filter((h) => h.ownerType === 'cart').map((h) => h.ownerId)));

export function registerStorefront(app: FastifyInstance, deps: HttpDeps, rateLimitPerMinute: number) {
  storefrontRoutes(app, deps, rateLimitPerMinute);
}
