import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { HoldOwner } from '../../src/modules/catalog/index.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { APP_ROLE, inTransaction, type Tx } from '../../src/platform/db/tx.ts';
import { DomainError } from '../../src/platform/errors.ts';
import type { TestApp } from './app.ts';
import { apiToken } from './catalog-helpers.ts';
import { createCompany, signUp } from './factories.ts';

/** A fresh company with a manager token; `post` calls its API over real HTTP, on `a` or another instance. */
export async function shop(a: TestApp) {
  const { client } = await signUp(a.app, 'Owner');
  const company = await createCompany(client);
  const token = await apiToken(client, company.id);
  const base = `/api/v1/companies/${company.id}`;
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}, on: TestApp = a) => {
    const res = await fetch(`${on.url}${base}/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.json() };
  };
  const product = async (id: string) => (await client.get(`${base}/products/${id}`)).body;
  return { client, companyId: company.id, base, post, product };
}

/** Runs the hold service in its own transaction as the system (retried on deadlock, like every command). */
export const service = <T>(a: TestApp, companyId: string, fn: (ctx: Ctx) => Promise<T>) =>
  inTransaction(a.db, { kind: 'company', companyId }, (tx) => fn({ companyId, actor: { type: 'system' }, clock: a.clock, tx }));

/** The same, without any retry: a deadlock or serialization failure surfaces as an error. */
export async function serviceNoRetry<T>(a: TestApp, companyId: string, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const client = await a.db.pool.connect();
  try {
    await client.query(`BEGIN; SET LOCAL ROLE ${APP_ROLE}`);
    await client.query(`SELECT set_config('app.company_id', $1, true), set_config('app.user_id', '', true)`, [companyId]);
    const tx: Tx = { client, db: drizzle(client), beforeCommit: [], pendingEvents: [], notify: new Set() };
    const result = await fn({ companyId, actor: { type: 'system' }, clock: a.clock, tx });
    for (const hook of tx.beforeCommit) await hook();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export const live = (): HoldOwner => ({ type: 'live_order', id: randomUUID() });
export const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`);

export async function holdRows(a: TestApp, companyId: string) {
  const { rows } = await a.db.pool.query('SELECT id, product_id, quantity, owner_id, status FROM holds WHERE company_id = $1', [companyId]);
  return rows as Array<{ id: string; product_id: string; quantity: number; owner_id: string; status: string }>;
}
