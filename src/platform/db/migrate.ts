import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import PgBoss from 'pg-boss';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_KEY = 7_264_001;
export const BOSS_SCHEMA = 'pgboss';

export function migrationFiles(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/**
 * Applies pending SQL migrations in order, each in its own transaction, under an
 * advisory lock so that instances starting together migrate once. Then creates or
 * upgrades pg-boss's schema, so the app itself never needs DDL rights at run time.
 */
export async function migrate(url: string, log: (m: string) => void = () => {}): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query(`SET TIME ZONE 'UTC'`);
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS comptoir_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query('SELECT name FROM comptoir_migrations')).rows.map((r) => r.name as string));
    for (const file of migrationFiles()) {
      if (done.has(file)) continue;
      const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO comptoir_migrations (name) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${file} failed: ${(err as Error).message}`);
      }
      applied.push(file);
      log(`applied migration ${file}`);
    }
    const boss = new PgBoss({ connectionString: url, schema: BOSS_SCHEMA, supervise: false, schedule: false });
    boss.on('error', () => {});
    await boss.start();
    await boss.stop({ graceful: false, wait: true });
    // Commands enqueue jobs in their own transaction, as the app role.
    await client.query(`
      GRANT USAGE ON SCHEMA ${BOSS_SCHEMA} TO comptoir_app;
      GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA ${BOSS_SCHEMA} TO comptoir_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA ${BOSS_SCHEMA} GRANT SELECT, INSERT ON TABLES TO comptoir_app;
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${BOSS_SCHEMA} TO comptoir_app;`);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    await client.end();
  }
  return applied;
}

/** True when every migration file on disk has been applied. */
export async function migrationsCurrent(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query('SELECT name FROM comptoir_migrations');
  const done = new Set(rows.map((r) => r.name as string));
  return migrationFiles().every((f) => done.has(f));
}
