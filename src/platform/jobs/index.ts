import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import type { Database } from '../db/tx.ts';
import { BOSS_SCHEMA } from '../db/migrate.ts';
import type { Mailer } from '../mail.ts';

/** What a job handler receives. */
export interface JobDeps {
  db: Database;
  clock: Clock;
  mailer: Mailer;
  log: { info: (o: object, m?: string) => void; warn: (o: object, m?: string) => void; error: (o: object, m?: string) => void };
  publicUrl: string;
  config: Config;
  /** Enqueues more work in a job's own transaction (set once the queue exists). */
  jobs: Pick<Jobs, 'enqueue'>;
}

/** What a handler knows of its own run. */
export interface JobMeta {
  retryCount: number;
}

export interface JobDefinition<D = Record<string, unknown>> {
  name: string;
  /** Cron (UTC). One cron per queue: per-company work is a sweep inside the handler. */
  cron?: string;
  handler: (deps: JobDeps, data: D, meta?: JobMeta) => Promise<void>;
  retryLimit?: number;
}

const QUEUE_SETUP_LOCK = 7_264_002;
const registry = new Map<string, JobDefinition<never>>();

/** Modules register their queues and schedules explicitly from their index.ts. */
export function defineJob<D>(def: JobDefinition<D>): JobDefinition<D> {
  registry.set(def.name, def as JobDefinition<never>);
  return def;
}

export function jobNames(): string[] {
  return [...registry.keys()].sort();
}

export function findJob(name: string): JobDefinition<Record<string, unknown>> | undefined {
  return registry.get(name) as JobDefinition<Record<string, unknown>> | undefined;
}

export interface JobsOptions {
  /** Run workers and schedules here (false for web-only instances: they only enqueue). */
  work: boolean;
  cronMonitorIntervalSeconds?: number;
  pollingIntervalSeconds?: number;
}

/** pg-boss on the app's database; its schema was created by the migration step. */
export class Jobs {
  readonly boss: PgBoss;
  private started = false;

  constructor(
    private readonly url: string,
    private readonly deps: JobDeps,
    private readonly opts: JobsOptions,
  ) {
    this.boss = new PgBoss({
      connectionString: url,
      schema: BOSS_SCHEMA,
      migrate: false,
      supervise: opts.work,
      schedule: opts.work,
      cronMonitorIntervalSeconds: opts.cronMonitorIntervalSeconds ?? 30,
      // pg-boss accepts 1–45 s here, while workers may poll every 0.5 s.
      cronWorkerIntervalSeconds: Math.max(1, Math.round(opts.pollingIntervalSeconds ?? 5)),
      max: 4,
      application_name: 'comptoir-jobs',
    });
    this.boss.on('error', (err) => deps.log.error({ err }, 'job system error'));
  }

  async start(): Promise<void> {
    await this.boss.start();
    this.started = true;
    // Instances starting together would deadlock in pg-boss's createQueue: one at a time.
    const lock = new pg.Client({ connectionString: this.url });
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK]);
      await this.setUp();
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [QUEUE_SETUP_LOCK]).catch(() => {});
      await lock.end();
    }
  }

  private async setUp(): Promise<void> {
    for (const def of registry.values()) {
      await this.boss.createQueue(def.name, { name: def.name, retryLimit: def.retryLimit ?? 3, retryBackoff: true });
      if (!this.opts.work) continue;
      await this.boss.work(
        def.name,
        { pollingIntervalSeconds: this.opts.pollingIntervalSeconds ?? 2, batchSize: 1, includeMetadata: true },
        async ([job]) => {
          if (!job) return;
          await def.handler(this.deps, (job.data ?? {}) as never, { retryCount: job.retryCount ?? 0 });
        },
      );
      if (def.cron) await this.boss.schedule(def.name, def.cron, {}, { tz: 'UTC' });
      else await this.boss.unschedule(def.name).catch(() => {});
    }
  }

  /** Enqueues inside the command's transaction: the job exists if and only if the command commits. */
  async enqueue(ctx: Ctx, name: string, data: Record<string, unknown>): Promise<void> {
    if (!registry.has(name)) throw new Error(`unknown job ${name}`);
    const db = { executeSql: (text: string, values: unknown[]) => ctx.tx.client.query(text, values) };
    await this.boss.send(name, data, { db } as PgBoss.SendOptions);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
