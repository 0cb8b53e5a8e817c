import type { Ctx } from '../../platform/context.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { placeHolds, releaseHolds } from '../catalog/index.ts';
import { freeTable, occupyTable } from '../floor/index.ts';
import { reprice } from './pricing.ts';
import { assertOpen, assertTransition } from './rules.ts';
import { lockSale } from './service.ts';

const owner = (id: string) => ({ type: 'sale' as const, id });

/** Moves an open sale to a free table: the new table occupied, the old one freed (`transferred`). */
export async function transferSale(ctx: Ctx, saleId: string, tableId: string): Promise<void> {
  const sale = await lockSale(ctx, saleId);
  assertOpen(sale.status);
  if (sale.tableId === tableId) return;
  const { rows } = await ctx.tx.client.query('SELECT u.name FROM users u WHERE u.id = $1', [sale.serverId]);
  await occupyTable(ctx, tableId, { saleId, reference: sale.reference, customerName: sale.customerName, serverId: sale.serverId, serverName: rows[0]?.name ?? null });
  if (sale.tableId) {
    await freeTable(ctx, sale.tableId, { saleId, reference: sale.reference, customerName: sale.customerName, serverId: sale.serverId, total: sale.total, reason: 'transferred' });
  }
  await ctx.tx.client.query(`UPDATE sales SET table_id = $3, channel = 'table', version = version + 1 WHERE company_id = $1 AND id = $2`, [ctx.companyId, saleId, tableId]);
}

/**
 * Merges an open sale into another: its lines and held stock move to the target, it
 * ends cancelled ("merged"), and its table is freed (`merged`). Both sales are locked
 * in id order, so two merges of the same pair never deadlock.
 */
export async function mergeSales(ctx: Ctx, sourceId: string, targetId: string): Promise<void> {
  if (sourceId === targetId) throw invalid('targetSaleId', 'same_sale');
  const [first, second] = [sourceId, targetId].sort();
  const locked = new Map([[first!, await lockSale(ctx, first!)], [second!, await lockSale(ctx, second!)]]);
  const source = locked.get(sourceId)!;
  const target = locked.get(targetId)!;
  assertOpen(source.status);
  assertOpen(target.status);
  if (source.paid > 0) throw conflict('sale.has_payments', { paid: source.paid });
  const { rows: goods } = await ctx.tx.client.query(
    `SELECT product_id, sum(quantity)::int AS q FROM sale_items WHERE company_id = $1 AND sale_id = $2 AND kind = 'good' GROUP BY product_id`,
    [ctx.companyId, sourceId],
  );
  // The same stock changes owner: released and re-held under the same product locks.
  await releaseHolds(ctx, [owner(sourceId)]);
  if (goods.length) await placeHolds(ctx, owner(targetId), goods.map((g) => ({ productId: g.product_id, quantity: g.q })), null);
  await ctx.tx.client.query('UPDATE sale_items SET sale_id = $3 WHERE company_id = $1 AND sale_id = $2', [ctx.companyId, sourceId, targetId]);
  // The lines keep their own discounts; the source's whole-sale discount ends with it.
  await ctx.tx.client.query(
    `UPDATE sales SET discount_kind = NULL, discount_value = NULL, discount_reason = NULL, discount_approved_by = NULL, discount_amount = 0
     WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, sourceId],
  );
  for (const id of [sourceId, targetId]) await reprice(ctx, id);
  assertTransition(source.status, 'cancelled');
  await ctx.tx.client.query(
    `UPDATE sales SET status = 'cancelled', cancelled_at = $3, cancel_reason = $4 WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, sourceId, ctx.clock.now(), `merged into ${target.reference}`],
  );
  if (source.tableId) {
    await freeTable(ctx, source.tableId, { saleId: sourceId, reference: source.reference, customerName: source.customerName, serverId: source.serverId, total: source.total, reason: 'merged' });
  }
  append(ctx, 'sale_cancelled', { saleId: sourceId, reference: source.reference, reason: `merged into ${target.reference}` }, { subjects: { saleId: sourceId } });
  const { rows } = await ctx.tx.client.query(
    'SELECT total, (SELECT coalesce(sum(quantity), 0)::int FROM sale_items WHERE company_id = $1 AND sale_id = $2) AS n FROM sales WHERE company_id = $1 AND id = $2',
    [ctx.companyId, targetId],
  );
  append(ctx, 'sale_updated', { saleId: targetId, tableId: target.tableId ?? undefined, total: Number(rows[0].total), itemCount: rows[0].n }, { subjects: { saleId: targetId } });
}
