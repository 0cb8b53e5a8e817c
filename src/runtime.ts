import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { AdjustableClock, type Clock, systemClock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { createDatabase, type Database } from './platform/db/tx.ts';
import { EventBus } from './platform/events/bus.ts';
import { StreamHub } from './platform/events/stream.ts';
import { Jobs } from './platform/jobs/index.ts';
import './platform/jobs/platform-jobs.ts';
import { createMailer } from './platform/mail.ts';

export interface Runtime {
  app: FastifyInstance;
  db: Database;
  clock: Clock;
  hub: StreamHub;
  bus: EventBus;
  jobs: Jobs;
  /** Stop accepting, close streams, finish in-flight requests, stop jobs, close the pool. */
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  cronMonitorIntervalSeconds?: number;
  pollingIntervalSeconds?: number;
  /** Stream heartbeat period (15 s; tests shorten it). */
  heartbeatMs?: number;
}

const HEARTBEAT_MS = 15_000;
const SHUTDOWN_GRACE_MS = 10_000;

/** Everything one app instance needs, wired; the database must already be migrated. */
export async function createRuntime(config: Config, databaseUrl: string, opts: RuntimeOptions = {}): Promise<Runtime> {
  const clock = opts.clock ?? (config.testHooks ? new AdjustableClock() : systemClock);
  const db = createDatabase(databaseUrl);
  const mailer = createMailer(config.smtpUrl, config.smtpFrom);
  const publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const log = { warn: (o: object, m: string) => app?.log.warn(o, m) };
  const hub = new StreamHub(db, clock, log);
  const bus = new EventBus(databaseUrl, log);
  const jobLog = {
    info: (o: object, m?: string) => app?.log.info(o, m),
    warn: (o: object, m?: string) => app?.log.warn(o, m),
    error: (o: object, m?: string) => app?.log.error(o, m),
  };
  const jobDeps = { db, clock, mailer, log: jobLog, publicUrl, config, jobs: undefined as unknown as Jobs };
  const jobs = new Jobs(databaseUrl, jobDeps, {
    work: config.jobs,
    cronMonitorIntervalSeconds: opts.cronMonitorIntervalSeconds,
    pollingIntervalSeconds: opts.pollingIntervalSeconds,
  });
  jobDeps.jobs = jobs;
  let app: FastifyInstance | undefined;
  app = await buildApp({ config, db, clock, hub, jobs, mailerEnabled: mailer.enabled, publicUrl });
  bus.subscribe((companyId) => hub.wake(companyId));
  await bus.start();
  await jobs.start();
  const heartbeat = setInterval(() => hub.heartbeat(), opts.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();
  const instance = app;
  // Responses in flight when stop() begins go out with Connection: close, or their
  // keep-alive sockets would hold the shutdown open until the client lets go.
  const inFlight = new Set<ServerResponse>();
  instance.server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  return {
    app: instance,
    db,
    clock,
    hub,
    bus,
    jobs,
    async stop() {
      clearInterval(heartbeat);
      hub.closeAll();
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      // Node never counts a socket that has not sent a request (a preconnect) as idle.
      const grace = setTimeout(() => instance.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      grace.unref();
      await instance.close().finally(() => clearTimeout(grace));
      await jobs.stop();
      await bus.stop();
      mailer.close();
      await db.close();
    },
  };
}
