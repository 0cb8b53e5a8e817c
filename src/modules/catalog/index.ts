import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../platform/http/command.ts';
import { defineDemoSeed } from '../../platform/seed.ts';
import './jobs.ts';
import { catalogRoutes } from './routes.ts';
import { seedCatalog } from './seed.ts';

// The catalog module's door: the hold service every capability uses, stock movements, product reads.
export { activeHolds, consumeHolds, extendHolds, type Hold, type HoldOwner, placeHolds, placeHoldsMany, releaseHolds, transferHolds } from './holds.ts';
export { getProduct, getProducts, listProducts, type Product } from './products.ts';
export { holdExpiry } from './rules.ts';
export { applyMovement, lockProducts, onHoldsExpired, saveStock } from './stock.ts';
export { releaseExpiredHolds } from './jobs.ts';

defineDemoSeed('catalog', seedCatalog);

export function registerCatalog(app: FastifyInstance, deps: HttpDeps) {
  catalogRoutes(app, deps);
}
