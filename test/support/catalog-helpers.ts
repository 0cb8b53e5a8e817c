import type pg from 'pg';
import { expect } from 'vitest';
import type { Client } from './client.ts';

/**
 * The stock ledger invariant, over every product of the database (read as the owner
 * role, so row-level security hides nothing): on-hand is the sum of the product's
 * movements, held is the sum of its active holds, and held never exceeds on-hand.
 */
export async function expectLedgerConsistent(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query(`
    SELECT p.company_id, p.id, p.name, p.on_hand, p.held,
      COALESCE((SELECT sum(m.quantity) FROM stock_movements m WHERE m.company_id = p.company_id AND m.product_id = p.id), 0)::int AS ledger,
      COALESCE((SELECT sum(h.quantity) FROM holds h WHERE h.company_id = p.company_id AND h.product_id = p.id AND h.status = 'active'), 0)::int AS active_holds
    FROM products p`);
  const broken = rows.filter((r) => r.on_hand !== r.ledger || r.held !== r.active_holds || r.held > r.on_hand || r.on_hand < 0);
  expect(broken, 'on_hand = sum(movements), held = sum(active holds), held <= on_hand').toEqual([]);
}

/** Events of one type for a company (optionally about one product), oldest first. */
export async function eventsOf(pool: pg.Pool, companyId: string, type: string, productId?: string) {
  const { rows } = await pool.query(
    `SELECT data, actor_type, level FROM events WHERE company_id = $1 AND type = $2 AND ($3::text IS NULL OR subjects->>'productId' = $3)
     ORDER BY position`,
    [companyId, type, productId ?? null],
  );
  return rows as Array<{ data: Record<string, unknown>; actor_type: string; level: string }>;
}

/** Creates a product through the API (201 expected) and answers it. */
export async function makeProduct(client: Client, companyId: string, fields: Record<string, unknown> = {}) {
  const res = await client.post(`/api/v1/companies/${companyId}/products`, { name: 'Savon', price: 1500, kind: 'good', ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; name: string; onHand: number; held: number; available: number; lowStock: boolean } & Record<string, unknown>;
}

/** A good with the given stock on hand. */
export async function stockedProduct(client: Client, companyId: string, quantity: number, fields: Record<string, unknown> = {}) {
  const p = await makeProduct(client, companyId, fields);
  const res = await client.post(`/api/v1/companies/${companyId}/products/${p.id}/restock`, { quantity });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as typeof p;
}

/** A bearer token with a role, created by the owner. */
export async function apiToken(owner: Client, companyId: string, role = 'manager'): Promise<string> {
  const res = await owner.post(`/api/v1/companies/${companyId}/api-tokens`, { name: `bot ${role}`, role });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.token as string;
}
