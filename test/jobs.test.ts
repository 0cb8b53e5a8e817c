import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, inTransaction, type Tx } from '../src/platform/db/tx.ts';
import { defineJob } from '../src/platform/jobs/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createTestDatabase } from './support/db.ts';
import { waitFor } from './support/factories.ts';

// The job registry is module-global: these names are unique to this file, and the
// jobs are defined before any instance starts so every instance creates their queues.
const TICK = 'test.jobs-file.tick';
const ONCE = 'test.jobs-file.once';
const SEND_IT = '__pgboss__send-it';

/** Which instance's handler ran, by the database handle it received. */
const runs: Array<{ job: string; db: Database; marker?: string }> = [];

defineJob({
  name: TICK,
  cron: '* * * * *',
  handler: async (deps) => {
    await inTransaction(deps.db, { kind: 'system' }, (tx) => tx.client.query('INSERT INTO test_ticks DEFAULT VALUES'));
    runs.push({ job: TICK, db: deps.db });
  },
});
defineJob<{ marker: string }>({
  name: ONCE,
  handler: async (deps, data) => {
    runs.push({ job: ONCE, db: deps.db, marker: data.marker });
  },
});

let a: TestApp;
let b: TestApp;
let web: TestApp;
let owner: pg.Client;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  await owner.query('CREATE TABLE test_ticks (at timestamptz NOT NULL DEFAULT now())');
  const fast = { cronMonitorIntervalSeconds: 1, pollingIntervalSeconds: 0.5 };
  a = await startTestApp(db.url, { COMPTOIR_JOBS: 'on' }, fast);
  b = await startTestApp(db.url, { COMPTOIR_JOBS: 'on' }, fast);
  web = await startTestApp(db.url, { COMPTOIR_JOBS: 'off' }, fast);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), web?.stop()]);
  await owner?.end();
  await drop();
});

async function cronOn(): Promise<number> {
  const { rows } = await owner.query('SELECT cron_on FROM pgboss.version');
  return rows[0].cron_on ? (rows[0].cron_on as Date).getTime() : 0;
}

const companyCtx = (app: TestApp, tx: Tx) => ({
  companyId: randomUUID(),
  actor: { type: 'system' as const },
  clock: app.clock,
  tx,
});

describe('scheduled jobs across instances', () => {
  it('runs a cron job once per minute although two instances keep monitoring it', async () => {
    await waitFor(() => runs.some((r) => r.job === TICK), 15_000, 'first tick');
    // Both instances' cron monitors keep trying every second; watch several more rounds.
    let ticks = 0;
    let last = await cronOn();
    await waitFor(async () => {
      const now = await cronOn();
      if (now !== last) {
        ticks++;
        last = now;
      }
      return ticks >= 3;
    }, 15_000, 'three more cron monitor rounds');
    // Read in one snapshot once nothing is in flight: each minute's send-it job (one per
    // minute by its singleton key) produced exactly one job, which ran exactly once.
    const settled = await waitFor(async () => {
      const { rows } = await owner.query(
        `SELECT
           (SELECT count(*)::int FROM test_ticks) AS ran,
           (SELECT count(*)::int FROM pgboss.job WHERE name = $1) AS jobs,
           (SELECT count(*)::int FROM pgboss.job WHERE name = $2 AND singleton_key = $1) AS sends,
           (SELECT count(DISTINCT singleton_on)::int FROM pgboss.job WHERE name = $2 AND singleton_key = $1) AS minutes,
           (SELECT count(*)::int FROM pgboss.job
             WHERE (name = $1 OR (name = $2 AND singleton_key = $1)) AND state <> 'completed') AS pending`,
        [TICK, SEND_IT],
      );
      return rows[0].pending === 0 ? rows[0] : null;
    }, 15_000, 'jobs to settle');
    expect(settled.minutes).toBeGreaterThanOrEqual(1);
    expect(settled.minutes).toBeLessThanOrEqual(2);
    expect(settled).toEqual({ ran: settled.minutes, jobs: settled.minutes, sends: settled.minutes, minutes: settled.minutes, pending: 0 });
    const ticked = runs.filter((r) => r.job === TICK);
    expect(ticked.length).toBeGreaterThanOrEqual(settled.minutes);
    expect(ticked.every((r) => r.db === a.db || r.db === b.db)).toBe(true);
  });
});

describe('enqueuing in the command transaction', () => {
  it('leaves no job when the transaction rolls back', async () => {
    const marker = randomUUID();
    await expect(
      inTransaction(a.db, { kind: 'company', companyId: randomUUID() }, async (tx) => {
        await a.jobs.enqueue(companyCtx(a, tx), ONCE, { marker });
        const { rows } = await tx.client.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'marker' = $2`, [ONCE, marker]);
        expect(rows[0].n).toBe(1);
        throw new Error('command refused');
      }),
    ).rejects.toThrow('command refused');
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'marker' = $2`, [ONCE, marker]);
    expect(rows[0].n).toBe(0);
  });

  it('runs a committed job exactly once', async () => {
    const marker = randomUUID();
    await inTransaction(a.db, { kind: 'company', companyId: randomUUID() }, async (tx) => {
      await a.jobs.enqueue(companyCtx(a, tx), ONCE, { marker });
    });
    const state = async () =>
      (await owner.query(`SELECT state FROM pgboss.job WHERE name = $1 AND data->>'marker' = $2`, [ONCE, marker])).rows;
    await waitFor(async () => (await state())[0]?.state === 'completed', 10_000, 'job completed');
    expect(await state()).toEqual([{ state: 'completed' }]);
    expect(runs.filter((r) => r.marker === marker)).toHaveLength(1);
  });

  it('refuses an unknown job name', async () => {
    await expect(
      inTransaction(a.db, { kind: 'system' }, (tx) => a.jobs.enqueue(companyCtx(a, tx), 'test.jobs-file.nope', {})),
    ).rejects.toThrow('unknown job');
  });

  it('a web-only instance (COMPTOIR_JOBS=off) enqueues but never runs a handler', async () => {
    const markers: string[] = [randomUUID(), randomUUID(), randomUUID()];
    for (const marker of markers) {
      await inTransaction(web.db, { kind: 'company', companyId: randomUUID() }, (tx) => web.jobs.enqueue(companyCtx(web, tx), ONCE, { marker }));
    }
    await waitFor(() => markers.every((m) => runs.some((r) => r.marker === m)), 10_000, 'jobs run elsewhere');
    const ran = runs.filter((r) => r.marker && markers.includes(r.marker));
    expect(ran).toHaveLength(3);
    expect(ran.every((r) => r.db === a.db || r.db === b.db)).toBe(true);
    expect(runs.some((r) => r.db === web.db)).toBe(false);
  });
});
