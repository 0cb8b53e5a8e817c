import type { FastifyInstance } from 'fastify';
import { type PrintingDeps, printingRoutes } from './routes.ts';

// The printing module's door: receipts and register reports on paper (80 mm, A4) and as PDF.
export { receiptLink } from './links.ts';
export { renderPdf, ROLL_WIDTH } from './pdf.ts';

export function registerPrinting(app: FastifyInstance, deps: PrintingDeps) {
  printingRoutes(app, deps);
}
