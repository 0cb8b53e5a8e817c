import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

/** The role every request runs as: it cannot bypass row-level security. */
export const APP_ROLE = 'comptoir_app';
/** The channel that wakes every instance's streams (payload: a company id). */
export const NOTIFY_CHANNEL = 'comptoir_events';

export interface Tx {
  client: pg.PoolClient;
  db: NodePgDatabase;
  /** Run before COMMIT, in order, inside the transaction (the event log flushes here). */
  beforeCommit: Array<() => Promise<void>>;
  /** Events appended by the command, written last (see events/append.ts). */
  pendingEvents: unknown[];
  /** Channel payloads to NOTIFY, sent with COMMIT (delivered only if it commits). */
  notify: Set<string>;
  /**
   * The database, for the rare write that must hold even if this command rolls back
   * (a security counter such as wrong PIN attempts): run it in its own transaction.
   */
  database?: Database;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Inlines a validated UUID (or empty) into SQL, so BEGIN, the role and the tenant go in one round trip. */
function uuidLiteral(v: string | undefined): string {
  if (!v) return "''";
  if (!UUID.test(v)) throw new Error('tenant ids must be UUIDs');
  return `'${v.toLowerCase()}'`;
}

function opening(scope: Scope): string {
  if (scope.kind === 'system') return 'BEGIN';
  const company = scope.kind === 'company' ? scope.companyId : undefined;
  const user = scope.kind === 'company' ? scope.userId : scope.kind === 'user' ? scope.userId : undefined;
  return `BEGIN; SET LOCAL ROLE ${APP_ROLE}; SELECT set_config('app.company_id', ${uuidLiteral(company)}, true), set_config('app.user_id', ${uuidLiteral(user)}, true)`;
}

export interface Database {
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
  /**
   * A small second pool for the rare write that must commit apart from a running
   * command (see Tx.database). Its own connections: a command waiting on it can never
   * be starved by the commands holding the main pool.
   */
  apart?: () => Database;
}

// timestamptz stays a Date; bigint counts come back as numbers where they fit.
pg.types.setTypeParser(20, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

export function createDatabase(url: string, max = 20): Database {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'comptoir' });
  // An idle client's error (server restart) must not crash the process.
  pool.on('error', () => {});
  let apart: Database | null = null;
  return {
    pool,
    url,
    close: async () => {
      await pool.end();
      await apart?.close();
    },
    apart: () => {
      if (!apart) {
        const side = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 5000, application_name: 'comptoir-apart' });
        side.on('error', () => {});
        apart = { pool: side, url, close: () => side.end() };
      }
      return apart;
    },
  };
}

export type Scope =
  | { kind: 'company'; companyId: string; userId?: string }
  | { kind: 'user'; userId: string }
  | { kind: 'anonymous' }
  | { kind: 'system' };

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs fn in one transaction. Tenant scopes switch to the app role and set
 * `app.company_id` / `app.user_id` for row-level security; `system` runs as the
 * owner role (migrations, jobs sweeping every company, token look-up).
 * Serialization failures and deadlocks are retried up to three times.
 */
export async function inTransaction<T>(database: Database, scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await database.pool.connect();
    let broken = false;
    try {
      await client.query(opening(scope));
      const tx: Tx = { client, db: drizzle(client), beforeCommit: [], pendingEvents: [], notify: new Set(), database };
      const result = await fn(tx);
      for (const hook of tx.beforeCommit) await hook();
      const notify = [...tx.notify].map((n) => `SELECT pg_notify('${NOTIFY_CHANNEL}', '${n.replaceAll("'", "''")}');`);
      await client.query(`${notify.join(' ')} COMMIT`);
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      // Drizzle wraps driver errors and keeps PostgreSQL's code on `cause`.
      const e = err as { code?: string; cause?: { code?: string } };
      const code = e.code ?? e.cause?.code;
      if (code && RETRYABLE.has(code) && attempt < 3) continue;
      throw err;
    } finally {
      client.release(broken);
    }
  }
}
