import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../platform/http/command.ts';
import { liveRoutes } from './routes.ts';

// The live-selling module's door: live mode (sessions) and the orders taken during a live.
export type { LiveOrder, LiveSession } from './service.ts';
export { getOrder as getLiveOrder, liveState } from './service.ts';

export function registerLive(app: FastifyInstance, deps: HttpDeps) {
  liveRoutes(app, deps);
}
