import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';
import { getProduct, type Product } from './products.ts';
import { applyMovement, lockProduct, saveStock } from './stock.ts';

export type LossReason = 'broken' | 'expired' | 'stolen' | 'other';

/** Adds received stock. */
export async function restock(ctx: Ctx, productId: string, input: { quantity: number; note?: string }): Promise<Product> {
  const { product, stock } = await lockProduct(ctx, productId);
  await applyMovement(ctx, product, { kind: 'restock', delta: input.quantity, note: input.note });
  await saveStock(ctx, stock);
  return getProduct(ctx, productId);
}

/** Corrects on-hand after a count, with the reason; never below what is held. */
export async function adjustStock(ctx: Ctx, productId: string, input: { delta: number; reason: string }): Promise<Product> {
  const { product, stock } = await lockProduct(ctx, productId);
  await applyMovement(ctx, product, { kind: 'adjustment', delta: input.delta, reason: input.reason });
  await saveStock(ctx, stock);
  return getProduct(ctx, productId);
}

/** Records broken, expired or stolen stock: a `loss` movement and a `loss_reported` event. */
export async function reportLoss(
  ctx: Ctx,
  input: { productId: string; quantity: number; reason: LossReason; note?: string },
): Promise<{ movementId: string; product: Product }> {
  const { product, stock } = await lockProduct(ctx, input.productId);
  const movementId = await applyMovement(ctx, product, { kind: 'loss', delta: -input.quantity, reason: input.reason, note: input.note });
  append(
    ctx,
    'loss_reported',
    { productId: product.id, quantity: input.quantity, reason: input.reason, name: product.name },
    { level: 'warning', subjects: { productId: product.id } },
  );
  await saveStock(ctx, stock);
  return { movementId, product: await getProduct(ctx, input.productId) };
}

export interface Movement {
  id: string;
  kind: string;
  quantity: number;
  onHandAfter: number;
  reason: string | null;
  note: string | null;
  refType: string | null;
  refId: string | null;
  actor: { type: string; id: string | null; name: string | null };
  createdAt: string;
}

/** A product's ledger, newest first. */
export async function listMovements(ctx: Ctx, productId: string, q: { limit: number; cursor?: string }): Promise<Page<Movement>> {
  const { rowCount } = await ctx.tx.client.query('SELECT 1 FROM products WHERE company_id = $1 AND id = $2', [ctx.companyId, productId]);
  if (!rowCount) throw notFound('product.not_found');
  const after = decodeCursor(q.cursor, 2) as [string, string] | null;
  const { rows } = await ctx.tx.client.query(
    `SELECT m.*, u.name AS actor_name FROM stock_movements m
     LEFT JOIN users u ON m.actor_type = 'user' AND u.id::text = m.actor_id
     WHERE m.company_id = $1 AND m.product_id = $2
       AND ($3::timestamptz IS NULL OR (m.created_at, m.id) < ($3::timestamptz, $4::uuid))
     ORDER BY m.created_at DESC, m.id DESC LIMIT $5`,
    [ctx.companyId, productId, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
  );
  return pageOf(
    rows,
    q.limit,
    (r) => ({
      id: r.id,
      kind: r.kind,
      quantity: r.quantity,
      onHandAfter: r.on_hand_after,
      reason: r.reason,
      note: r.note,
      refType: r.ref_type,
      refId: r.ref_id,
      actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name ?? null },
      createdAt: r.created_at.toISOString(),
    }),
    (r) => [r.created_at.toISOString(), r.id],
  );
}
