import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { createTestDatabase } from './support/db.ts';
import { addMember, createCompany, signUp } from './support/factories.ts';

let app: TestApp;
let drop: () => Promise<void>;
/** A raw connection as the owner role (the one migrations run as). */
let owner: pg.Client;
let A: string;
let B: string;

/** A company with an extra member and an API token, so every tenant table has rows. */
async function seedCompany() {
  const { client } = await signUp(app.app);
  const company = await createCompany(client);
  await addMember(app.app, client, company.id, 'cashier');
  const token = await client.post(`/api/v1/companies/${company.id}/api-tokens`, { name: 'pos', role: 'server' });
  expect(token.status).toBe(201);
  return company.id;
}

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  app = await startTestApp(db.url);
  owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  A = await seedCompany();
  B = await seedCompany();
});
afterAll(async () => {
  await owner?.end();
  await app?.stop();
  await drop?.();
});

/**
 * Runs fn as the app role with the given company (or none) set, exactly as a request
 * does, then rolls back. Errors come back as values so the test can assert them.
 */
async function asApp<T>(companyId: string | null, fn: (c: pg.Client) => Promise<T>): Promise<T | { error: { code?: string; message: string } }> {
  await owner.query('BEGIN');
  try {
    await owner.query('SET LOCAL ROLE comptoir_app');
    if (companyId) await owner.query(`SELECT set_config('app.company_id', $1, true)`, [companyId]);
    return await fn(owner);
  } catch (err) {
    const e = err as { code?: string; message: string };
    return { error: { code: e.code, message: e.message } };
  } finally {
    await owner.query('ROLLBACK');
  }
}

async function ownerRefusal(sql: string, params: unknown[] = []) {
  await owner.query('BEGIN');
  try {
    await owner.query(sql, params);
    return null;
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  } finally {
    await owner.query('ROLLBACK');
  }
}

const TENANT_QUERIES = {
  companies: 'SELECT id AS company_id FROM companies',
  memberships: 'SELECT company_id FROM memberships',
  api_tokens: 'SELECT company_id FROM api_tokens',
  event_streams: 'SELECT company_id FROM event_streams',
  events: 'SELECT company_id FROM events',
};

async function countsAsOwner(companyId: string) {
  const out: Record<string, number> = {};
  for (const [table, sql] of Object.entries(TENANT_QUERIES)) {
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM (${sql}) t WHERE company_id = $1`, [companyId]);
    out[table] = rows[0].n;
  }
  return out;
}

describe('row-level security', () => {
  it("shows the app role only the current company's rows, without any filter in the query", async () => {
    const expected = await countsAsOwner(A);
    expect(expected).toMatchObject({ companies: 1, memberships: 2, api_tokens: 1, event_streams: 1 });
    expect(expected.events).toBeGreaterThanOrEqual(3);
    const seen = await asApp(A, async (c) => {
      const out: Record<string, string[]> = {};
      for (const [table, sql] of Object.entries(TENANT_QUERIES)) out[table] = (await c.query(sql)).rows.map((r) => r.company_id);
      return out;
    });
    expect(seen).not.toHaveProperty('error');
    for (const [table, ids] of Object.entries(seen as Record<string, string[]>)) {
      expect(ids.length, table).toBe(expected[table]);
      expect(new Set(ids), table).toEqual(new Set([A]));
    }
  });

  it('shows no tenant rows when no company is set', async () => {
    const seen = await asApp(null, async (c) => {
      const out: Record<string, number> = {};
      for (const [table, sql] of Object.entries(TENANT_QUERIES)) out[table] = (await c.query(sql)).rowCount ?? -1;
      return out;
    });
    expect(seen).toEqual({ companies: 0, memberships: 0, api_tokens: 0, event_streams: 0, events: 0 });
  });

  it("refuses to write a row for company B while set to A, and cannot touch B's rows", async () => {
    const now = new Date();
    const inserts: Array<[string, unknown[]]> = [
      [
        `INSERT INTO api_tokens (company_id, id, name, role, token_hash, prefix, created_at) VALUES ($1, $2, 'x', 'owner', $3, 'cpt_x', $4)`,
        [B, randomUUID(), randomUUID(), now],
      ],
      [
        `INSERT INTO memberships (company_id, user_id, role, created_at) SELECT $1, user_id, 'owner', $2 FROM auth_sessions LIMIT 1`,
        [B, now],
      ],
      [
        `INSERT INTO events (company_id, id, position, type, level, actor_type, created_at) VALUES ($1, $2, 999, 'sale_opened', 'info', 'system', $3)`,
        [B, randomUUID(), now],
      ],
    ];
    for (const [sql, params] of inserts) {
      const res = await asApp(A, (c) => c.query(sql, params));
      expect(res, sql).toMatchObject({ error: { code: '42501' } });
      expect((res as { error: { message: string } }).error.message).toMatch(/row-level security/);
    }
    const touched = await asApp(A, async (c) => [
      (await c.query(`UPDATE companies SET name = 'pwned' WHERE id = $1`, [B])).rowCount,
      (await c.query('UPDATE memberships SET role = $2 WHERE company_id = $1', [B, 'server'])).rowCount,
      (await c.query('DELETE FROM api_tokens WHERE company_id = $1', [B])).rowCount,
    ]);
    expect(touched).toEqual([0, 0, 0]);
    // Moving one of A's rows to B is refused too.
    const moved = await asApp(A, (c) => c.query('UPDATE api_tokens SET company_id = $2 WHERE company_id = $1', [A, B]));
    expect(moved).toMatchObject({ error: { code: '42501' } });
    expect(await countsAsOwner(B)).toMatchObject({ companies: 1, memberships: 2, api_tokens: 1 });
  });

  it('keeps the event log append-only for the app role and for the owner role', async () => {
    for (const sql of [`UPDATE events SET level = 'critical' WHERE company_id = $1`, 'DELETE FROM events WHERE company_id = $1']) {
      const res = await asApp(A, (c) => c.query(sql, [A]));
      expect(res, sql).toMatchObject({ error: { code: '42501' } });
      expect((res as { error: { message: string } }).error.message).toMatch(/permission denied for table events/);
      const asOwner = await ownerRefusal(sql, [A]);
      expect(asOwner, sql).toMatchObject({ code: '42501' });
      expect(asOwner!.message).toMatch(/append-only/);
    }
    const truncate = await asApp(A, (c) => c.query('TRUNCATE events'));
    expect(truncate).toMatchObject({ error: { code: '42501' } });
    const { rows } = await owner.query('SELECT count(*)::int AS n FROM events WHERE company_id = $1', [A]);
    expect(rows[0].n).toBeGreaterThanOrEqual(3);
  });

  it('never lets the app role read or write an event partition directly (partitions have no policies)', async () => {
    const { rows } = await owner.query(
      `SELECT inhrelid::regclass::text AS part FROM pg_inherits WHERE inhparent = 'events'::regclass ORDER BY 1`,
    );
    expect(rows.length).toBeGreaterThan(1);
    for (const { part } of rows) {
      const res = await asApp(A, (c) => c.query(`SELECT company_id FROM ${part}`));
      expect(res, part).toMatchObject({ error: { code: '42501' } });
    }
  });
});

describe('the schema', () => {
  it('forces RLS on every table with a company_id column (a new table without it fails here)', async () => {
    const { rows } = await owner.query(`
      SELECT c.relname AS table, c.relispartition AS partition,
             coalesce(p.relname, c.relname) AS governed_by,
             coalesce(p.relrowsecurity, c.relrowsecurity) AS rls,
             coalesce(p.relforcerowsecurity, c.relforcerowsecurity) AS forced,
             has_table_privilege('comptoir_app', c.oid, 'SELECT,INSERT,UPDATE,DELETE') AS app_direct_access,
             EXISTS (SELECT 1 FROM pg_policies pol WHERE pol.schemaname = 'public'
                      AND pol.tablename = coalesce(p.relname, c.relname) AND 'comptoir_app' = ANY (pol.roles)) AS app_policy
      FROM information_schema.columns col
      JOIN pg_class c ON c.relname = col.table_name AND c.relkind IN ('r', 'p')
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = col.table_schema
      LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
      LEFT JOIN pg_class p ON p.oid = i.inhparent
      WHERE col.table_schema = 'public' AND col.column_name = 'company_id'
      ORDER BY 1`);
    const tables = rows.filter((r) => !r.partition).map((r) => r.table);
    expect(tables).toEqual(expect.arrayContaining(['api_tokens', 'event_streams', 'events', 'memberships']));
    const unprotected = rows.filter((r) => !r.rls || !r.forced || !r.app_policy || (r.partition && r.app_direct_access));
    expect(unprotected).toEqual([]);
    // companies is keyed by id, not company_id.
    const companies = await owner.query(`SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'companies'::regclass`);
    expect(companies.rows[0]).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it('gives the app role no way around RLS', async () => {
    const { rows } = await owner.query(`SELECT rolbypassrls, rolsuper, rolcanlogin FROM pg_roles WHERE rolname = 'comptoir_app'`);
    expect(rows).toEqual([{ rolbypassrls: false, rolsuper: false, rolcanlogin: false }]);
    // Requests really run as it.
    const seen = await asApp(A, async (c) => (await c.query('SELECT current_user AS u')).rows[0].u);
    expect(seen).toBe('comptoir_app');
  });
});
