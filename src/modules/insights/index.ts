import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../platform/http/command.ts';
import './jobs.ts';
import { insightsRoutes } from './routes.ts';

// The insights module's door.
export { buildRollups, dropExpiredPartitions, sendDailySummaries } from './jobs.ts';
export { systemErrorSink } from './errors.ts';
export { feedItem, ACTIVITY_TYPES } from './activity.ts';
export { redactText } from '../../platform/logger.ts';

export function registerInsights(app: FastifyInstance, deps: HttpDeps & { publicUrl: string }) {
  insightsRoutes(app, deps, { publicUrl: deps.publicUrl });
}
