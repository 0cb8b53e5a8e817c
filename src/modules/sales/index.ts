import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../platform/http/command.ts';
import './jobs.ts';
import { salesRoutes } from './routes.ts';

// The sales module's door.
export { floorFigures, getSale, type Sale } from './queries.ts';
export { addAmountLine, lockSale, openSale, pay } from './service.ts';
export { priceSale, taxBreakdown } from './rules.ts';
export { type CashSessionReport, sessionReport } from './reports.ts';
export { sessionsOpenLong } from './jobs.ts';
export { type CashSession, getSession as getCashSession } from './cash-sessions.ts';

export function registerSales(app: FastifyInstance, deps: HttpDeps) {
  salesRoutes(app, deps);
}
