import { randomBytes } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import type { Database } from '../../platform/db/tx.ts';

/**
 * Where a printed receipt's QR code leads. A sale paid through a QR payment session
 * has its page already (`/pay/{token}` shows the receipt once paid); any other sale
 * gets `/r/{token}`, a link of its own: 32 random base64url characters (192 bits),
 * made the first time the receipt is printed and kept, so a reprint shows the same
 * QR. The token is the only key of the public page (like a payment session's).
 */
export async function receiptLink(ctx: Ctx, publicUrl: string, saleId: string): Promise<string> {
  const { rows: paid } = await ctx.tx.client.query(
    `SELECT token FROM payment_sessions WHERE company_id = $1 AND sale_id = $2 AND status = 'paid' ORDER BY updated_at DESC LIMIT 1`,
    [ctx.companyId, saleId],
  );
  if (paid[0]) return `${publicUrl}/pay/${paid[0].token}`;
  return `${publicUrl}/r/${await receiptToken(ctx, saleId)}`;
}

/** The sale's link token, made once (two first prints at the same time agree on one). */
export async function receiptToken(ctx: Ctx, saleId: string): Promise<string> {
  const { rows } = await ctx.tx.client.query(
    `INSERT INTO receipt_links (company_id, sale_id, token, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (company_id, sale_id) DO NOTHING RETURNING token`,
    [ctx.companyId, saleId, randomBytes(24).toString('base64url'), ctx.clock.now()],
  );
  if (rows[0]) return rows[0].token as string;
  const { rows: kept } = await ctx.tx.client.query('SELECT token FROM receipt_links WHERE company_id = $1 AND sale_id = $2', [ctx.companyId, saleId]);
  return kept[0].token as string;
}

/** The company and sale of a link token (looked up before any tenant is known), or null. */
export async function saleOfToken(db: Database, token: string): Promise<{ companyId: string; saleId: string } | null> {
  const { rows } = await db.pool.query('SELECT company_id, sale_id FROM receipt_links WHERE token = $1', [token]);
  return rows[0] ? { companyId: rows[0].company_id, saleId: rows[0].sale_id } : null;
}

/** The company and sale of a paid QR payment session's token, or null (unknown, or not paid yet). */
export async function saleOfPayToken(db: Database, token: string): Promise<{ companyId: string; saleId: string | null } | null> {
  const { rows } = await db.pool.query('SELECT company_id, sale_id, status FROM payment_sessions WHERE token = $1', [token]);
  if (!rows[0]) return null;
  return { companyId: rows[0].company_id, saleId: rows[0].status === 'paid' ? rows[0].sale_id : null };
}
