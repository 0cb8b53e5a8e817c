import type { FastifyInstance } from 'fastify';
import { onEvents } from '../../platform/events/append.ts';
import type { HttpDeps } from '../../platform/http/command.ts';
import { stationRoutes } from './routes.ts';
import { stationsFromEvents } from './service.ts';

// The stations module's door: kitchen and bar tickets.
export { STATIONS, type Station, type Ticket } from './queries.ts';
export { markReady, sendToStations } from './service.ts';

// A sent line removed from its sale (or a cancelled sale) goes out as a cancellation, in the same transaction.
onEvents(stationsFromEvents);

export function registerStations(app: FastifyInstance, deps: HttpDeps) {
  stationRoutes(app, deps);
}
