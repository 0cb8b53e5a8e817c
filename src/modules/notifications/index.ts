import type { FastifyInstance } from 'fastify';
import { onEvents } from '../../platform/events/append.ts';
import { extendStream } from '../../platform/events/stream.ts';
import type { HttpDeps } from '../../platform/http/command.ts';
import './jobs.ts';
import { notificationFrames } from './queries.ts';
import { notificationRoutes } from './routes.ts';
import { notifyFromEvents } from './service.ts';

// The notifications module's door.
export { RULES, type Priority } from './rules.ts';
export { purgeReadNotifications } from './jobs.ts';

// Events become notifications in the same transaction; readers get their frames on the stream.
onEvents(notifyFromEvents);
extendStream(notificationFrames);

export function registerNotifications(app: FastifyInstance, deps: HttpDeps) {
  notificationRoutes(app, deps);
}
