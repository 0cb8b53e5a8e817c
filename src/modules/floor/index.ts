import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import type { HttpDeps } from '../../platform/http/command.ts';
import { defineDemoSeed } from '../../platform/seed.ts';
import './jobs.ts';
import { floorRoutes } from './routes.ts';
import { seedFloor } from './seed.ts';
import type { FloorFigures } from './service.ts';

defineDemoSeed('floor', seedFloor);

// The floor module's door: sales seat and free tables through these, in their own transaction.
export { announceOccupied, freeTable, occupyTable, setTableReference, tableLabels, type FloorFigures, type Table } from './service.ts';
export { tablesOccupiedLong } from './jobs.ts';

export function registerFloor(app: FastifyInstance, deps: HttpDeps, figures: (ctx: Ctx) => Promise<FloorFigures>) {
  floorRoutes(app, deps, figures);
}
