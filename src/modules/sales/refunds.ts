import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict, DomainError, invalid, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { applyMovement, lockProducts, saveStock } from '../catalog/index.ts';
import { getCompany } from '../tenancy/index.ts';
import { sessionForCash } from './cash-sessions.ts';
import { loadPricing } from './pricing.ts';
import { assertTransition, type SaleStatus } from './rules.ts';
import { lockSale } from './service.ts';

export interface Refund {
  id: string;
  saleId: string;
  saleReference: string | null;
  amount: number;
  reason: string;
  restock: boolean;
  items: Array<{ itemId: string; productId: string; quantity: number }>;
  method: string;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: string;
  decidedAt: string | null;
}

// biome-ignore lint/suspicious/noExplicitAny: a raw pg row
const toRefund = (r: Record<string, any>): Refund => ({
  id: r.id,
  saleId: r.sale_id,
  saleReference: r.sale_reference ?? null,
  amount: Number(r.amount),
  reason: r.reason,
  restock: r.restock,
  items: r.items,
  method: r.method,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  decidedAt: r.decided_at?.toISOString() ?? null,
});

export const REFUNDABLE: readonly SaleStatus[] = ['paid', 'partially_refunded'];

/** What may still be refunded: paid − refunded − what pending refunds already claim. */
async function refundable(ctx: Ctx, saleId: string, paid: number): Promise<number> {
  const { rows } = await ctx.tx.client.query(
    `SELECT s.refunded, coalesce((SELECT sum(amount) FROM refunds r WHERE r.company_id = s.company_id AND r.sale_id = s.id AND r.status = 'pending'), 0) AS pending
     FROM sales s WHERE s.company_id = $1 AND s.id = $2`,
    [ctx.companyId, saleId],
  );
  return paid - Number(rows[0].refunded) - Number(rows[0].pending);
}

export interface RefundRequest {
  amount?: number;
  items?: Array<{ itemId: string; quantity: number }>;
  reason: string;
  restock: boolean;
}

/**
 * Requests a refund of an amount or of items (their price), recorded against the
 * sale's payment method; pending until a manager decides. Under the sale's lock,
 * requests together never exceed what was paid.
 */
export async function requestRefund(ctx: Ctx, saleId: string, input: RefundRequest): Promise<Refund> {
  const sale = await lockSale(ctx, saleId);
  if (!REFUNDABLE.includes(sale.status)) throw conflict('sale.illegal_transition', { status: sale.status, to: 'refunded' });
  let amount = input.amount ?? 0;
  const items: Refund['items'] = [];
  if (input.items?.length) {
    const { rows } = await ctx.tx.client.query('SELECT id, product_id, unit_price, quantity, kind FROM sale_items WHERE company_id = $1 AND sale_id = $2', [
      ctx.companyId,
      saleId,
    ]);
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    // Items are refunded at what they really cost: after their discounts (whole line:
    // exactly its net; part of it: rounded down, never more than was paid for it).
    const { lines, pricing } = await loadPricing(ctx, saleId);
    const netOf = new Map(lines.map((l, n) => [l.id, pricing.lines[n]!.net]));
    amount = 0;
    for (const i of input.items) {
      const line = byId.get(i.itemId);
      if (!line) throw invalid('items', 'unknown_item');
      if (i.quantity > line.quantity) throw invalid('items', 'too_many');
      const net = netOf.get(i.itemId) ?? 0;
      amount += i.quantity === line.quantity ? net : Number((BigInt(net) * BigInt(i.quantity)) / BigInt(line.quantity));
      items.push({ itemId: i.itemId, productId: line.product_id, quantity: line.kind === 'good' ? i.quantity : 0 });
    }
  }
  if (amount <= 0) throw invalid('amount', 'required');
  const left = await refundable(ctx, saleId, sale.paid);
  if (amount > left) throw new DomainError('refund.exceeds_paid', 422, { refundable: left, requested: amount });
  const { rows: pay } = await ctx.tx.client.query(
    'SELECT method FROM payments WHERE company_id = $1 AND sale_id = $2 ORDER BY amount DESC, created_at LIMIT 1',
    [ctx.companyId, saleId],
  );
  const id = randomUUID();
  const { rows } = await ctx.tx.client.query(
    `INSERT INTO refunds (company_id, id, sale_id, amount, reason, restock, items, method, status, requested_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10) RETURNING *`,
    [ctx.companyId, id, saleId, amount, input.reason.trim(), input.restock, JSON.stringify(items), pay[0]?.method ?? 'cash', ctx.actor.id ?? null, ctx.clock.now()],
  );
  append(ctx, 'refund_pending', { refundId: id, saleId, amount, currency: sale.currency }, { subjects: { saleId, refundId: id } });
  return toRefund({ ...rows[0], sale_reference: sale.reference });
}

async function lockRefund(ctx: Ctx, id: string) {
  const { rows } = await ctx.tx.client.query('SELECT * FROM refunds WHERE company_id = $1 AND id = $2 FOR UPDATE', [ctx.companyId, id]);
  if (!rows[0]) throw notFound('refund.not_found');
  if (rows[0].status !== 'pending') throw conflict('refund.already_decided', { status: rows[0].status });
  return rows[0];
}

/**
 * A manager approves: goods go back to stock when asked (`refund_return` movements),
 * the sale moves to partially_refunded or refunded, and `refund_completed` is written.
 * Never more than was paid: checked again under the sale's lock.
 */
export async function approveRefund(ctx: Ctx, id: string, opts: { cashSessionId?: string } = {}): Promise<Refund> {
  const pending = await lockRefund(ctx, id);
  const sale = await lockSale(ctx, pending.sale_id);
  const { rows: s } = await ctx.tx.client.query('SELECT refunded FROM sales WHERE company_id = $1 AND id = $2', [ctx.companyId, sale.id]);
  const refunded = Number(s[0].refunded) + Number(pending.amount);
  if (refunded > sale.paid) throw new DomainError('refund.exceeds_paid', 422, { refundable: sale.paid - Number(s[0].refunded), requested: Number(pending.amount) });
  const next: SaleStatus = refunded === sale.paid ? 'refunded' : 'partially_refunded';
  assertTransition(sale.status, next);
  const items = (pending.items as Refund['items']).filter((i) => i.quantity > 0);
  if (pending.restock && items.length) {
    const stock = await lockProducts(ctx, items.map((i) => i.productId));
    for (const i of items) {
      const p = stock.get(i.productId);
      if (p) await applyMovement(ctx, p, { kind: 'refund_return', delta: i.quantity, reason: pending.reason, ref: { type: 'refund', id } });
    }
    await saveStock(ctx, stock);
  }
  const now = ctx.clock.now();
  await ctx.tx.client.query(`UPDATE sales SET refunded = $3, status = $4, version = version + 1 WHERE company_id = $1 AND id = $2`, [ctx.companyId, sale.id, refunded, next]);
  // Cash given back comes out of a drawer: its session, when the company keeps them.
  const { settings } = await getCompany(ctx);
  // Other methods are recorded on the session given too, for its report.
  const sessionId = pending.method === 'cash'
    ? await sessionForCash(ctx, opts.cashSessionId, settings.requireCashSession)
    : opts.cashSessionId ? await sessionForCash(ctx, opts.cashSessionId, false) : null;
  const { rows } = await ctx.tx.client.query(
    `UPDATE refunds SET status = 'approved', decided_by = $3, decided_at = $4, cash_session_id = $5 WHERE company_id = $1 AND id = $2 RETURNING *`,
    [ctx.companyId, id, ctx.actor.id ?? null, now, sessionId],
  );
  append(ctx, 'refund_completed', { refundId: id, saleId: sale.id, amount: Number(pending.amount), currency: sale.currency }, { subjects: { saleId: sale.id, refundId: id } });
  return toRefund({ ...rows[0], sale_reference: sale.reference });
}

export async function rejectRefund(ctx: Ctx, id: string): Promise<Refund> {
  await lockRefund(ctx, id);
  const { rows } = await ctx.tx.client.query(
    `UPDATE refunds r SET status = 'rejected', decided_by = $3, decided_at = $4 FROM sales s
     WHERE r.company_id = $1 AND r.id = $2 AND s.company_id = r.company_id AND s.id = r.sale_id RETURNING r.*, s.reference AS sale_reference`,
    [ctx.companyId, id, ctx.actor.id ?? null, ctx.clock.now()],
  );
  return toRefund(rows[0]);
}

export async function refundsOf(ctx: Ctx, saleIds: readonly string[]): Promise<Refund[]> {
  if (!saleIds.length) return [];
  const { rows } = await ctx.tx.client.query(
    `SELECT r.*, s.reference AS sale_reference FROM refunds r JOIN sales s ON s.company_id = r.company_id AND s.id = r.sale_id
     WHERE r.company_id = $1 AND r.sale_id = ANY($2::uuid[]) ORDER BY r.created_at`,
    [ctx.companyId, saleIds],
  );
  return rows.map(toRefund);
}

export async function pendingRefunds(ctx: Ctx): Promise<Refund[]> {
  const { rows } = await ctx.tx.client.query(
    `SELECT r.*, s.reference AS sale_reference FROM refunds r JOIN sales s ON s.company_id = r.company_id AND s.id = r.sale_id
     WHERE r.company_id = $1 AND r.status = 'pending' ORDER BY r.created_at LIMIT 200`,
    [ctx.companyId],
  );
  return rows.map(toRefund);
}
