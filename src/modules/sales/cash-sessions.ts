import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';

export interface CashSession {
  id: string;
  register: string;
  status: 'open' | 'closed';
  openingFloat: number;
  cashIn: number;
  changeGiven: number;
  cashRefunds: number;
  expectedCash: number;
  countedCash: number | null;
  difference: number | null;
  openedAt: string;
  openedBy: { id: string | null; name: string | null };
  closedAt: string | null;
  closedBy: { id: string | null; name: string | null } | null;
}

/**
 * Expected cash in the drawer: float + cash tendered − change handed back − cash
 * refunds approved on the session. One query for any number of sessions.
 */
const SESSIONS = `
  SELECT c.*, ou.name AS opened_by_name, cu.name AS closed_by_name,
         coalesce(p.cash_in, 0) AS cash_in, coalesce(p.change_given, 0) AS change_given, coalesce(r.cash_refunds, 0) AS cash_refunds
  FROM cash_sessions c
  LEFT JOIN users ou ON ou.id = c.opened_by
  LEFT JOIN users cu ON cu.id = c.closed_by
  LEFT JOIN LATERAL (SELECT sum(coalesce(tendered, amount)) AS cash_in, sum(change) AS change_given FROM payments
                     WHERE company_id = c.company_id AND cash_session_id = c.id AND method = 'cash' AND status = 'succeeded') p ON true
  LEFT JOIN LATERAL (SELECT sum(amount) AS cash_refunds FROM refunds
                     WHERE company_id = c.company_id AND cash_session_id = c.id AND method = 'cash' AND status = 'approved') r ON true`;

// biome-ignore lint/suspicious/noExplicitAny: a raw pg row
function toSession(r: Record<string, any>): CashSession {
  const expected = Number(r.opening_float) + Number(r.cash_in) - Number(r.change_given) - Number(r.cash_refunds);
  return {
    id: r.id,
    register: r.register,
    status: r.status,
    openingFloat: Number(r.opening_float),
    cashIn: Number(r.cash_in),
    changeGiven: Number(r.change_given),
    cashRefunds: Number(r.cash_refunds),
    expectedCash: r.status === 'closed' ? Number(r.expected_cash) : expected,
    countedCash: r.counted_cash === null ? null : Number(r.counted_cash),
    difference: r.difference === null ? null : Number(r.difference),
    openedAt: r.opened_at.toISOString(),
    openedBy: { id: r.opened_by, name: r.opened_by_name ?? null },
    closedAt: r.closed_at?.toISOString() ?? null,
    closedBy: r.closed_at ? { id: r.closed_by, name: r.closed_by_name ?? null } : null,
  };
}

export async function getSession(ctx: Ctx, id: string): Promise<CashSession> {
  const { rows } = await ctx.tx.client.query(`${SESSIONS} WHERE c.company_id = $1 AND c.id = $2`, [ctx.companyId, id]);
  if (!rows[0]) throw notFound('cash_session.not_found');
  return toSession(rows[0]);
}

export async function listSessions(ctx: Ctx, q: { status?: 'open' | 'closed'; limit: number; cursor?: string }): Promise<Page<CashSession>> {
  const after = decodeCursor(q.cursor, 2) as [string, string] | null;
  const { rows } = await ctx.tx.client.query(
    `${SESSIONS} WHERE c.company_id = $1 AND ($2::text IS NULL OR c.status = $2)
       AND ($3::timestamptz IS NULL OR (c.opened_at, c.id) < ($3::timestamptz, $4::uuid))
     ORDER BY c.opened_at DESC, c.id DESC LIMIT $5`,
    [ctx.companyId, q.status ?? null, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
  );
  return pageOf(rows, q.limit, toSession, (r) => [r.opened_at.toISOString(), r.id]);
}

const userOf = (ctx: Ctx) => (ctx.actor.type === 'user' ? ctx.actor.id : null);

/** Opens a session on a register; one open session per register (409 naming it). */
export async function openSession(ctx: Ctx, input: { register: string; openingFloat: number }): Promise<CashSession> {
  const register = input.register.trim();
  const { rows: open } = await ctx.tx.client.query(
    `SELECT id FROM cash_sessions WHERE company_id = $1 AND lower(register) = lower($2) AND status = 'open'`,
    [ctx.companyId, register],
  );
  if (open[0]) throw conflict('cash_session.already_open', { sessionId: open[0].id, register });
  const id = randomUUID();
  await ctx.tx.client
    .query(
      `INSERT INTO cash_sessions (company_id, id, register, status, opening_float, opened_by, opened_at) VALUES ($1, $2, $3, 'open', $4, $5, $6)`,
      [ctx.companyId, id, register, input.openingFloat, userOf(ctx), ctx.clock.now()],
    )
    .catch((err) => {
      const e = ((err as { cause?: unknown }).cause ?? err) as { code?: string };
      if (e.code === '23505') throw conflict('cash_session.already_open', { register });
      throw err;
    });
  return getSession(ctx, id);
}

/** Closes with the counted cash: expected against counted, the difference recorded. */
export async function closeSession(ctx: Ctx, id: string, countedCash: number): Promise<CashSession> {
  const { rows } = await ctx.tx.client.query('SELECT status FROM cash_sessions WHERE company_id = $1 AND id = $2 FOR UPDATE', [ctx.companyId, id]);
  if (!rows[0]) throw notFound('cash_session.not_found');
  if (rows[0].status !== 'open') throw conflict('cash_session.closed', { sessionId: id });
  const live = await getSession(ctx, id);
  await ctx.tx.client.query(
    `UPDATE cash_sessions SET status = 'closed', expected_cash = $3, counted_cash = $4, difference = $5, closed_by = $6, closed_at = $7
     WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, id, live.expectedCash, countedCash, countedCash - live.expectedCash, userOf(ctx), ctx.clock.now()],
  );
  return getSession(ctx, id);
}

/**
 * The session a cash movement goes to: the given one (must be open; held against a
 * concurrent close), else — when the company requires sessions — refused.
 */
export async function sessionForCash(ctx: Ctx, sessionId: string | undefined, required: boolean): Promise<string | null> {
  if (!sessionId) {
    if (required) throw conflict('cash_session.required');
    return null;
  }
  const { rows } = await ctx.tx.client.query('SELECT status FROM cash_sessions WHERE company_id = $1 AND id = $2 FOR SHARE', [ctx.companyId, sessionId]);
  if (!rows[0]) throw notFound('cash_session.not_found');
  if (rows[0].status !== 'open') throw conflict('cash_session.closed', { sessionId });
  return sessionId;
}
