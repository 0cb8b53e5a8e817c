import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../platform/http/command.ts';
import './jobs.ts';
import { liveRoutes } from './routes.ts';

// The live-selling module's door: live mode (sessions) and the orders taken during a live.
export type { LiveOrder, LiveSession } from './service.ts';
export { getOrder as getLiveOrder, liveState } from './service.ts';
export { ABANDONED_AFTER_HOURS, cancelAbandonedLiveOrders } from './jobs.ts';

export function registerLive(app: FastifyInstance, deps: HttpDeps) {
  liveRoutes(app, deps);
}
