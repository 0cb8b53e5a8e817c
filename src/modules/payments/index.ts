import type { FastifyInstance } from 'fastify';
import type { Config } from '../../platform/config.ts';
import { paymentsLogger } from '../../platform/logger.ts';
import type { StreamHub } from '../../platform/events/stream.ts';
import type { HttpDeps } from '../../platform/http/command.ts';
import type { Jobs } from '../../platform/jobs/index.ts';
import type { PaymentsEnv } from './credentials.ts';
import { defineDemoSeed } from '../../platform/seed.ts';
import './jobs.ts';
import { publicPayRoutes } from './public-routes.ts';
import { paymentsRoutes } from './routes.ts';
import { Sealer } from './secrets.ts';
import { seedPayments } from './seed.ts';
import { webhookRoutes } from './webhooks.ts';

defineDemoSeed('payments', seedPayments);

// The payments module's door.
export { checkPending, envOf, refundThroughProvider, sendReceipt, sweepPayments } from './jobs.ts';
export { signMobileMoney } from './rules.ts';
export { formatLocal, formatMoney } from './receipts.ts';
export { getIntent, paymentView } from './intents.ts';
export { getSession } from './sessions.ts';

export interface PaymentsDeps extends HttpDeps {
  config: Config;
  hub: StreamHub;
  jobs: Pick<Jobs, 'enqueue'>;
  mailerEnabled: boolean;
  publicUrl: string;
}

export function registerPayments(app: FastifyInstance, deps: PaymentsDeps) {
  const env: PaymentsEnv = {
    config: deps.config, sealer: new Sealer(deps.config), publicUrl: deps.publicUrl, jobs: deps.jobs, mailerEnabled: deps.mailerEnabled, log: paymentsLogger(deps.config),
  };
  paymentsRoutes(app, deps, env);
  publicPayRoutes(app, deps, env, deps.config.rateLimitPerMinute);
  webhookRoutes(app, deps, env);
}
