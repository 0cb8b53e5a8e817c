import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';
import { emailKey, phoneKey } from './rules.ts';

export interface ClientInput {
  name: string;
  phone?: string | null;
  email?: string | null;
}

/**
 * Finds the company's client by phone or e-mail, or records a new one. A returning
 * client keeps what is stored (an answer never reveals it, and a stranger typing
 * someone's number cannot rename them); only a missing contact is filled in.
 * Concurrent first visits with the same number make one client.
 */
export async function identifyClient(ctx: Ctx, input: ClientInput): Promise<{ clientId: string; returning: boolean }> {
  const phone = phoneKey(input.phone);
  const email = emailKey(input.email);
  const find = async () => {
    if (!phone && !email) return null;
    const { rows } = await ctx.tx.client.query(
      `SELECT id, phone_key, email_key FROM clients WHERE company_id = $1 AND (phone_key = $2 OR email_key = $3)
       ORDER BY (phone_key = $2) DESC NULLS LAST, created_at LIMIT 1`,
      [ctx.companyId, phone, email],
    );
    return rows[0] ?? null;
  };
  const found = await find();
  const now = ctx.clock.now();
  if (found) {
    await ctx.tx.client.query(
      `UPDATE clients SET phone = coalesce(phone, $3), phone_key = coalesce(phone_key, $4), email = coalesce(email, $5), email_key = coalesce(email_key, $6), updated_at = $7
       WHERE company_id = $1 AND id = $2
         AND NOT EXISTS (SELECT 1 FROM clients o WHERE o.company_id = $1 AND o.id <> $2 AND (o.phone_key = $4 OR o.email_key = $6))`,
      [ctx.companyId, found.id, input.phone?.trim() || null, phone, input.email?.trim() || null, email, now],
    );
    return { clientId: found.id, returning: true };
  }
  const { rows } = await ctx.tx.client.query(
    `INSERT INTO clients (company_id, id, name, phone, email, phone_key, email_key, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING RETURNING id`,
    [ctx.companyId, randomUUID(), input.name.trim(), input.phone?.trim() || null, input.email?.trim() || null, phone, email, now],
  );
  if (rows[0]) return { clientId: rows[0].id, returning: false };
  // Someone else recorded the same contact meanwhile.
  const again = await find();
  if (!again) throw new Error('client vanished after conflict');
  return { clientId: again.id, returning: true };
}

export interface Client {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  visitCount: number;
  totalSpent: number;
  lastVisitAt: string | null;
  createdAt: string;
}

const CLIENT_SELECT = `
  SELECT c.id, c.name, c.phone, c.email, c.created_at,
    coalesce(v.visits, 0)::int AS visits, coalesce(v.spent, 0)::bigint AS spent, v.last_visit
  FROM clients c
  LEFT JOIN LATERAL (
    SELECT count(*) AS visits, sum(s.paid - s.refunded) AS spent, max(s.paid_at) AS last_visit
    FROM sales s WHERE s.company_id = c.company_id AND s.client_id = c.id AND s.status IN ('paid', 'partially_refunded', 'refunded')
  ) v ON true`;

const toClient = (r: Record<string, any>): Client => ({
  id: r.id,
  name: r.name,
  phone: r.phone,
  email: r.email,
  visitCount: r.visits,
  totalSpent: Number(r.spent),
  lastVisitAt: r.last_visit?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

/** Clients, newest first; `search` matches name, phone (digits) or e-mail. */
export async function listClients(ctx: Ctx, q: { search?: string; limit: number; cursor?: string }): Promise<Page<Client>> {
  const after = decodeCursor(q.cursor, 2) as [string, string] | null;
  const term = q.search?.trim() || null;
  const digits = term?.replace(/\D/g, '') || null;
  const { rows } = await ctx.tx.client.query(
    `${CLIENT_SELECT}
     WHERE c.company_id = $1
       AND ($2::text IS NULL OR c.name ILIKE '%' || $2 || '%' OR c.email_key LIKE '%' || lower($2) || '%' OR ($3::text IS NOT NULL AND length($3) >= 3 AND c.phone_key LIKE '%' || $3 || '%'))
       AND ($4::timestamptz IS NULL OR (c.created_at, c.id) < ($4::timestamptz, $5::uuid))
     ORDER BY c.created_at DESC, c.id DESC LIMIT $6`,
    [ctx.companyId, term?.replace(/[%_\\]/g, (m) => `\\${m}`) ?? null, digits, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
  );
  return pageOf(rows, q.limit, toClient, (r) => [r.created_at.toISOString(), r.id]);
}

export interface ClientDetail extends Client {
  history: Array<{ saleId: string; reference: string; total: number; currency: string; channel: string; status: string; paidAt: string | null; paymentSessionId: string | null; service: string | null }>;
}

export async function getClient(ctx: Ctx, id: string): Promise<ClientDetail> {
  const { rows } = await ctx.tx.client.query(`${CLIENT_SELECT} WHERE c.company_id = $1 AND c.id = $2`, [ctx.companyId, id]);
  if (!rows[0]) throw notFound('client.not_found');
  const { rows: sales } = await ctx.tx.client.query(
    `SELECT s.id, s.reference, s.total, s.currency, s.channel, s.status, s.paid_at, ps.id AS session_id,
       (SELECT string_agg(i.name, ', ' ORDER BY i.added_at) FROM sale_items i WHERE i.company_id = s.company_id AND i.sale_id = s.id) AS items
     FROM sales s LEFT JOIN payment_sessions ps ON ps.company_id = s.company_id AND ps.sale_id = s.id
     WHERE s.company_id = $1 AND s.client_id = $2 ORDER BY s.opened_at DESC LIMIT 200`,
    [ctx.companyId, id],
  );
  return {
    ...toClient(rows[0]),
    history: sales.map((s) => ({
      saleId: s.id,
      reference: s.reference,
      total: Number(s.total),
      currency: s.currency,
      channel: s.channel,
      status: s.status,
      paidAt: s.paid_at?.toISOString() ?? null,
      paymentSessionId: s.session_id,
      service: s.items,
    })),
  };
}
