import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { availableOf, lowStockTransition, movementAllowed } from './rules.ts';

/** A product row locked for the rest of the transaction, with its stock as of now. */
export interface LockedProduct {
  id: string;
  name: string;
  kind: 'good' | 'service';
  active: boolean;
  archived: boolean;
  onHand: number;
  /** Active holds, expired ones already swept. */
  held: number;
  lowStockThreshold: number;
  lowStockAlerted: boolean;
  dirty: boolean;
}

export type StockMap = Map<string, LockedProduct>;

/** A hold that lapsed and was swept (same shape as an ended hold). */
export type ExpiredHold = EndedHold;

type ExpiryListener = (ctx: Ctx, expired: readonly ExpiredHold[]) => Promise<void>;
const expiryListeners: ExpiryListener[] = [];

/** Capabilities that own holds (storefront carts, live orders) hear about expiries, in the same transaction. */
export function onHoldsExpired(listener: ExpiryListener): void {
  if (!expiryListeners.includes(listener)) expiryListeners.push(listener);
}

/** A hold ended (released or consumed) by the lock statement. */
export interface EndedHold {
  id: string;
  productId: string;
  quantity: number;
  ownerType: string;
  ownerId: string;
}

/**
 * Locks the products in id order (so two transactions naming the same products in
 * any order never deadlock), then expires their lapsed holds. Unknown ids are absent
 * from the map.
 */
export async function lockProducts(ctx: Ctx, productIds: Iterable<string>): Promise<StockMap> {
  return (await lockAndEnd(ctx, productIds, [], 'released')).stock;
}

/**
 * The same lock, and in the same statement ends the given holds that are still
 * active and unexpired (a guarded UPDATE re-checks each row's latest version, so a
 * hold ended meanwhile by another transaction is left alone). One round trip.
 */
export async function lockAndEnd(
  ctx: Ctx,
  productIds: Iterable<string>,
  holdIds: readonly string[],
  status: 'released' | 'consumed',
): Promise<{ stock: StockMap; ended: EndedHold[] }> {
  const ids = [...new Set(productIds)].sort();
  const map: StockMap = new Map();
  if (!ids.length) return { stock: map, ended: [] };
  const { rows } = await ctx.tx.client.query(
    `WITH p AS (
       SELECT id, name, kind, active, archived_at IS NOT NULL AS archived, on_hand, held, low_stock_threshold, low_stock_alerted
       FROM products WHERE company_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE
     ), x AS (
       UPDATE holds h SET status = 'expired', ended_at = $3
       FROM p WHERE h.company_id = $1 AND h.product_id = p.id AND h.status = 'active' AND h.expires_at <= $3
       RETURNING h.id, h.product_id, h.quantity, h.owner_type, h.owner_id
     ), e AS (
       UPDATE holds h SET status = $5, ended_at = $3
       FROM p WHERE h.company_id = $1 AND h.id = ANY($4::uuid[]) AND h.product_id = p.id AND h.status = 'active'
         AND (h.expires_at IS NULL OR h.expires_at > $3)
       RETURNING h.id, h.product_id, h.quantity, h.owner_type, h.owner_id
     )
     SELECT (SELECT coalesce(json_agg(p ORDER BY p.id), '[]') FROM p) AS products,
            (SELECT coalesce(json_agg(x), '[]') FROM x) AS expired,
            (SELECT coalesce(json_agg(e), '[]') FROM e) AS ended`,
    [ctx.companyId, ids, ctx.clock.now(), holdIds, status],
  );
  for (const r of rows[0].products) {
    map.set(r.id, {
      id: r.id,
      name: r.name,
      kind: r.kind,
      active: r.active,
      archived: r.archived,
      onHand: r.on_hand,
      held: r.held,
      lowStockThreshold: r.low_stock_threshold,
      lowStockAlerted: r.low_stock_alerted,
      dirty: false,
    });
  }
  const lapsed = takeOff(map, rows[0].expired);
  if (lapsed.length) await announceExpired(ctx, lapsed);
  return { stock: map, ended: takeOff(map, rows[0].ended) };
}

type HoldRow = { id: string; product_id: string; quantity: number; owner_type: string; owner_id: string };

/** Holds that just ended no longer count in their product's held quantity. */
function takeOff(stock: StockMap, rows: readonly HoldRow[]): EndedHold[] {
  return rows.map((r) => {
    const p = stock.get(r.product_id)!;
    p.held -= r.quantity;
    p.dirty = true;
    return { id: r.id, productId: r.product_id, quantity: r.quantity, ownerType: r.owner_type, ownerId: r.owner_id };
  });
}

/** Locks one product or answers 404. */
export async function lockProduct(ctx: Ctx, productId: string): Promise<{ product: LockedProduct; stock: StockMap }> {
  const stock = await lockProducts(ctx, [productId]);
  const product = stock.get(productId);
  if (!product) throw notFound('product.not_found');
  return { product, stock };
}

/** hold_expired events, and the owners' capabilities told, in the same transaction. */
async function announceExpired(ctx: Ctx, list: readonly ExpiredHold[]): Promise<void> {
  for (const h of list) {
    append(ctx, 'hold_expired', { holdId: h.id, productId: h.productId, quantity: h.quantity }, { subjects: { productId: h.productId } });
  }
  for (const listener of expiryListeners) await listener(ctx, list);
}

export interface MovementInput {
  kind: 'restock' | 'sale' | 'refund_return' | 'loss' | 'adjustment';
  delta: number;
  reason?: string;
  note?: string;
  ref?: { type: string; id: string };
}

/**
 * Changes on-hand through a ledger movement. Refuses (409 stock.insufficient) a
 * change that would leave less on hand than is held.
 */
export async function applyMovement(ctx: Ctx, p: LockedProduct, m: MovementInput): Promise<string> {
  if (p.kind !== 'good') throw conflict('product.not_stocked', { productId: p.id });
  if (!movementAllowed(p, m.delta)) {
    throw conflict('stock.insufficient', { productId: p.id, name: p.name, available: availableOf(p), requested: -m.delta });
  }
  p.onHand += m.delta;
  p.dirty = true;
  const id = randomUUID();
  await ctx.tx.client.query(
    `INSERT INTO stock_movements (company_id, id, product_id, kind, quantity, on_hand_after, reason, note, ref_type, ref_id,
                                  actor_type, actor_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [ctx.companyId, id, p.id, m.kind, m.delta, p.onHand, m.reason ?? null, m.note ?? null, m.ref?.type ?? null, m.ref?.id ?? null,
      ctx.actor.type, ctx.actor.id ?? null, ctx.clock.now()],
  );
  return id;
}

/** A hold to insert with the stock write. */
export interface NewHold {
  id: string;
  productId: string;
  quantity: number;
  ownerType: string;
  ownerId: string;
  expiresAt: Date | null;
}

/**
 * Writes back every changed product, and inserts new holds, in one statement; low-stock
 * crossings become events.
 */
export async function saveStock(ctx: Ctx, stock: StockMap, inserts: readonly NewHold[] = []): Promise<void> {
  const dirty = [...stock.values()].filter((p) => p.dirty);
  if (!dirty.length && !inserts.length) return;
  for (const p of dirty) {
    if (p.kind !== 'good') continue;
    const t = lowStockTransition(p);
    p.lowStockAlerted = t.alerted;
    if (t.emit) {
      append(
        ctx,
        'low_stock',
        { productId: p.id, name: p.name, available: availableOf(p), threshold: p.lowStockThreshold },
        { level: 'warning', subjects: { productId: p.id } },
      );
    }
  }
  const now = ctx.clock.now();
  await ctx.tx.client.query(
    `WITH h AS (
       INSERT INTO holds (company_id, id, product_id, quantity, owner_type, owner_id, status, expires_at, created_at)
       SELECT $1, i.id, i.product_id, i.quantity, i.owner_type, i.owner_id, 'active', i.expires_at, $2
       FROM unnest($7::uuid[], $8::uuid[], $9::int[], $10::text[], $11::uuid[], $12::timestamptz[])
            AS i(id, product_id, quantity, owner_type, owner_id, expires_at)
     )
     UPDATE products AS p SET on_hand = v.on_hand, held = v.held, low_stock_alerted = v.alerted, updated_at = $2
     FROM unnest($3::uuid[], $4::int[], $5::int[], $6::bool[]) AS v(id, on_hand, held, alerted)
     WHERE p.company_id = $1 AND p.id = v.id`,
    [ctx.companyId, now, dirty.map((p) => p.id), dirty.map((p) => p.onHand), dirty.map((p) => p.held),
      dirty.map((p) => p.lowStockAlerted), inserts.map((h) => h.id), inserts.map((h) => h.productId), inserts.map((h) => h.quantity),
      inserts.map((h) => h.ownerType), inserts.map((h) => h.ownerId), inserts.map((h) => h.expiresAt)],
  );
  for (const p of dirty) p.dirty = false;
}
