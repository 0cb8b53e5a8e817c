import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict, DomainError, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';
import {
  extendHolds,
  getProducts,
  holdExpiry,
  lockProducts,
  placeHoldsMany,
  type Product,
  releaseHolds,
  saveStock,
} from '../catalog/index.ts';
import { openSale, pay } from '../sales/index.ts';
import { decideAdd, decideSet, info, type Line, type Message, revalidate } from './rules.ts';

export interface Shop {
  companyId: string;
  name: string;
  slug: string;
  currency: string;
  holdMinutes: number;
}

interface CartRow {
  id: string;
  status: 'open' | 'checking_out' | 'ordered';
  orderId: string | null;
  pending: Message[];
}

const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');
const ownerOf = (cart: { id: string }) => ({ type: 'cart' as const, id: cart.id });
/** A product a customer may buy: active, not archived. Services are never short. */
const availableOf = (p: Product | undefined) => (!p?.active || p.archivedAt ? 0 : p.kind === 'service' ? Number.MAX_SAFE_INTEGER : p.available);

export async function createCart(ctx: Ctx): Promise<{ token: string; cart: CartRow }> {
  const token = randomBytes(24).toString('base64url');
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.tx.client.query(
    `INSERT INTO carts (company_id, id, token_hash, status, created_at, updated_at) VALUES ($1, $2, $3, 'open', $4, $4)`,
    [ctx.companyId, id, hashToken(token), now],
  );
  return { token, cart: { id, status: 'open', orderId: null, pending: [] } };
}

/** The cart behind a token, locked for the command (unknown → 404, revealing nothing). */
export async function findCart(ctx: Ctx, token: string): Promise<CartRow> {
  const { rows } = await ctx.tx.client.query(
    'SELECT id, status, order_id, pending_messages FROM carts WHERE company_id = $1 AND token_hash = $2 FOR UPDATE',
    [ctx.companyId, hashToken(token)],
  );
  if (!rows[0]) throw notFound('cart.not_found');
  return { id: rows[0].id, status: rows[0].status, orderId: rows[0].order_id, pending: rows[0].pending_messages };
}

async function linesOf(ctx: Ctx, cartId: string): Promise<Array<{ productId: string; quantity: number }>> {
  const { rows } = await ctx.tx.client.query(
    'SELECT product_id, quantity FROM cart_lines WHERE company_id = $1 AND cart_id = $2 ORDER BY added_at, product_id',
    [ctx.companyId, cartId],
  );
  return rows.map((r) => ({ productId: r.product_id, quantity: r.quantity }));
}

async function setLine(ctx: Ctx, cartId: string, productId: string, quantity: number) {
  if (quantity <= 0) {
    await ctx.tx.client.query('DELETE FROM cart_lines WHERE company_id = $1 AND cart_id = $2 AND product_id = $3', [ctx.companyId, cartId, productId]);
    return;
  }
  await ctx.tx.client.query(
    `INSERT INTO cart_lines (company_id, cart_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (company_id, cart_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`,
    [ctx.companyId, cartId, productId, quantity, ctx.clock.now()],
  );
}

function refuseWhileCheckingOut(cart: CartRow) {
  if (cart.status !== 'open') throw conflict('cart.checking_out');
}

/** Adds to the cart, all of it or nothing (409 naming the product, the cart unchanged). */
export async function addItem(ctx: Ctx, cart: CartRow, productId: string, quantity: number): Promise<Message[]> {
  refuseWhileCheckingOut(cart);
  const products = await getProducts(ctx, [productId]);
  const p = products.get(productId);
  if (!p?.active || p.archivedAt) throw notFound('product.not_found');
  const inCart = (await linesOf(ctx, cart.id)).find((l) => l.productId === productId)?.quantity ?? 0;
  const outcome = decideAdd({ productId, name: p.name }, inCart, quantity, availableOf(p));
  if (!outcome.ok) {
    throw new DomainError(`cart.${outcome.message.code}`, 409, { ...outcome.message.params, messages: [outcome.message] });
  }
  await setLine(ctx, cart.id, productId, outcome.quantity);
  return [outcome.message];
}

/** Sets a line's quantity: trimmed to what is available, removed at 0. */
export async function setQuantity(ctx: Ctx, cart: CartRow, productId: string, quantity: number): Promise<Message[]> {
  refuseWhileCheckingOut(cart);
  const line = (await linesOf(ctx, cart.id)).find((l) => l.productId === productId);
  if (!line) throw notFound('cart.line_not_found');
  const p = (await getProducts(ctx, [productId])).get(productId);
  const outcome = decideSet({ productId, name: p?.name ?? '' }, quantity, availableOf(p));
  await setLine(ctx, cart.id, productId, outcome.quantity);
  return [outcome.message];
}

export async function removeItem(ctx: Ctx, cart: CartRow, productId: string): Promise<Message[]> {
  refuseWhileCheckingOut(cart);
  await setLine(ctx, cart.id, productId, 0);
  return [];
}

/**
 * The cart as the customer sees it: a lapsed hold is swept first (the order
 * expires, `hold_expired`), then an open cart's lines are re-validated against
 * fresh availability and adjusted, each change with its message.
 */
export async function viewCart(ctx: Ctx, cart: CartRow, shop: Shop, messages: Message[] = []) {
  let row = cart;
  let lines = await linesOf(ctx, cart.id);
  if (row.status === 'checking_out') {
    // Locking the products sweeps lapsed holds; the expiry listener reopens the cart.
    await saveStock(ctx, await lockProducts(ctx, lines.map((l) => l.productId)));
    row = await reload(ctx, cart.id);
  }
  let products = await getProducts(ctx, lines.map((l) => l.productId));
  const out: Message[] = [...row.pending, ...messages];
  if (row.status === 'open') {
    const named: Line[] = lines.map((l) => ({ ...l, name: products.get(l.productId)?.name ?? '' }));
    const checked = revalidate(named, new Map(lines.map((l) => [l.productId, availableOf(products.get(l.productId))])));
    if (checked.changed) {
      for (const l of named) await setLine(ctx, cart.id, l.productId, checked.lines.find((c) => c.productId === l.productId)?.quantity ?? 0);
      out.push(...checked.messages);
      lines = await linesOf(ctx, cart.id);
      products = await getProducts(ctx, lines.map((l) => l.productId));
    }
  }
  if (row.pending.length) {
    await ctx.tx.client.query(`UPDATE carts SET pending_messages = '[]' WHERE company_id = $1 AND id = $2`, [ctx.companyId, cart.id]);
  }
  const order = row.orderId ? await orderOf(ctx, row.orderId) : null;
  const shown = lines.map((l) => {
    const p = products.get(l.productId)!;
    return { productId: l.productId, name: p.name, price: p.price, quantity: l.quantity, lineTotal: p.price * l.quantity, available: p.kind === 'service' ? null : p.available };
  });
  return {
    status: row.status,
    lines: shown,
    total: shown.reduce((a, l) => a + l.lineTotal, 0),
    currency: shop.currency,
    messages: out,
    checkout: row.status === 'checking_out' && order ? { orderId: order.id, holdExpiresAt: order.holdExpiresAt, extended: order.extended } : null,
  };
}

async function reload(ctx: Ctx, cartId: string): Promise<CartRow> {
  const { rows } = await ctx.tx.client.query('SELECT id, status, order_id, pending_messages FROM carts WHERE company_id = $1 AND id = $2', [
    ctx.companyId,
    cartId,
  ]);
  return { id: rows[0].id, status: rows[0].status, orderId: rows[0].order_id, pending: rows[0].pending_messages };
}

export interface Order {
  id: string;
  reference: string;
  status: string;
  lines: Array<{ productId: string; name: string; price: number; quantity: number; lineTotal: number }>;
  total: number;
  currency: string;
  customer: { name: string; phone?: string; email?: string };
  holdExpiresAt: string | null;
  extended: boolean;
}

export async function orderOf(ctx: Ctx, id: string): Promise<Order> {
  const { rows } = await ctx.tx.client.query('SELECT * FROM online_orders WHERE company_id = $1 AND id = $2', [ctx.companyId, id]);
  const r = rows[0];
  const { rows: held } = await ctx.tx.client.query(
    `SELECT bool_or(extended) AS extended FROM holds WHERE company_id = $1 AND owner_type = 'cart' AND owner_id = $2 AND status = 'active'`,
    [ctx.companyId, r.cart_id],
  );
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    lines: r.lines,
    total: Number(r.total),
    currency: r.currency,
    customer: r.customer,
    holdExpiresAt: r.hold_expires_at?.toISOString() ?? null,
    extended: held[0]?.extended ?? false,
  };
}

export type CheckoutOutcome = { ok: true; order: Order } | { ok: false; messages: Message[] };

/**
 * Checkout: re-validates every line against fresh availability; if anything changed
 * the cart is adjusted and the customer reviews it. Otherwise every line is held
 * (all or none, for holdMinutes) and a pending online order records lines, total
 * and customer.
 */
export async function checkout(ctx: Ctx, cart: CartRow, shop: Shop, customer: Order['customer']): Promise<CheckoutOutcome> {
  if (cart.status === 'checking_out' && cart.orderId) return { ok: true, order: await orderOf(ctx, cart.orderId) };
  refuseWhileCheckingOut(cart);
  const lines = await linesOf(ctx, cart.id);
  if (!lines.length) throw conflict('cart.empty');
  const products = await getProducts(ctx, lines.map((l) => l.productId));
  const named = lines.map((l) => ({ ...l, name: products.get(l.productId)?.name ?? '' }));
  const avail = new Map(lines.map((l) => [l.productId, availableOf(products.get(l.productId))]));
  const expiresAt = holdExpiry('cart', ctx.clock.now(), shop.holdMinutes);
  let adjust = revalidate(named, avail);
  if (!adjust.changed) {
    const [outcome] = await placeHoldsMany(ctx, [{ owner: ownerOf(cart), lines, expiresAt }]);
    if (outcome!.ok) return { ok: true, order: await createOrder(ctx, cart, shop, named, products, customer, expiresAt) };
    // Someone took stock between our read and the lock: adjust to what the lock saw.
    for (const s of outcome!.shortages) avail.set(s.productId, s.available);
    adjust = revalidate(named, avail);
  }
  for (const l of named) await setLine(ctx, cart.id, l.productId, adjust.lines.find((c) => c.productId === l.productId)?.quantity ?? 0);
  return { ok: false, messages: [...adjust.messages, info('review_cart')] };
}

async function createOrder(ctx: Ctx, cart: CartRow, shop: Shop, lines: Line[], products: Map<string, Product>, customer: Order['customer'], expiresAt: Date | null) {
  const id = randomUUID();
  const orderLines = lines.map((l) => {
    const p = products.get(l.productId)!;
    return { productId: l.productId, name: p.name, price: p.price, quantity: l.quantity, lineTotal: p.price * l.quantity };
  });
  const total = orderLines.reduce((a, l) => a + l.lineTotal, 0);
  const now = ctx.clock.now();
  const reference = `W-${now.getTime().toString(36).toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}`;
  await ctx.tx.client.query(
    `INSERT INTO online_orders (company_id, id, cart_id, reference, status, customer, lines, total, currency, hold_expires_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $10)`,
    [ctx.companyId, id, cart.id, reference, JSON.stringify(customer), JSON.stringify(orderLines), total, shop.currency, expiresAt, now],
  );
  await ctx.tx.client.query(`UPDATE carts SET status = 'checking_out', order_id = $3, updated_at = $4 WHERE company_id = $1 AND id = $2`, [
    ctx.companyId,
    cart.id,
    id,
    now,
  ]);
  append(ctx, 'order_created', { orderId: id, channel: 'online', amount: total, currency: shop.currency }, { subjects: { orderId: id } });
  return orderOf(ctx, id);
}

/** The customer cancels the payment: holds released, the order cancelled, the cart kept. */
export async function cancelCheckout(ctx: Ctx, cart: CartRow): Promise<Message[]> {
  if (cart.status !== 'checking_out') return [];
  await releaseHolds(ctx, [ownerOf(cart)]);
  await ctx.tx.client.query(`UPDATE online_orders SET status = 'cancelled', updated_at = $3 WHERE company_id = $1 AND id = $2 AND status = 'pending'`, [
    ctx.companyId,
    cart.orderId,
    ctx.clock.now(),
  ]);
  await ctx.tx.client.query(`UPDATE carts SET status = 'open', order_id = NULL, updated_at = $3 WHERE company_id = $1 AND id = $2`, [
    ctx.companyId,
    cart.id,
    ctx.clock.now(),
  ]);
  return [info('payment_cancelled')];
}

/** Extends the checkout hold once, by holdMinutes, while it is active. */
export async function extendCheckout(ctx: Ctx, cart: CartRow, shop: Shop): Promise<void> {
  if (cart.status !== 'checking_out' || !cart.orderId) throw conflict('cart.not_checking_out');
  const until = await extendHolds(ctx, ownerOf(cart), shop.holdMinutes);
  if (!until) throw conflict('cart.already_extended');
  await ctx.tx.client.query('UPDATE online_orders SET hold_expires_at = $3, updated_at = $4 WHERE company_id = $1 AND id = $2', [
    ctx.companyId,
    cart.orderId,
    until,
    ctx.clock.now(),
  ]);
}

/**
 * Called in the expiry sweep's transaction: a cart whose checkout holds have lapsed
 * (none still live) reopens with a notice and its order expires. A lapsed hold from an
 * older checkout, swept late, leaves a newer checkout alone.
 */
export async function cartHoldsExpired(ctx: Ctx, cartIds: readonly string[]): Promise<void> {
  if (!cartIds.length) return;
  const now = ctx.clock.now();
  const { rows } = await ctx.tx.client.query(
    `UPDATE carts c SET status = 'open', order_id = NULL, updated_at = $3, pending_messages = c.pending_messages || $4::jsonb
     WHERE c.company_id = $1 AND c.id = ANY($2::uuid[]) AND c.status = 'checking_out'
       AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.company_id = c.company_id AND h.owner_type = 'cart' AND h.owner_id = c.id
                       AND h.status = 'active' AND (h.expires_at IS NULL OR h.expires_at > $3))
     RETURNING c.id`,
    [ctx.companyId, [...new Set(cartIds)], now, JSON.stringify([info('hold_expired')])],
  );
  if (!rows.length) return;
  await ctx.tx.client.query(
    `UPDATE online_orders SET status = 'expired', updated_at = $3 WHERE company_id = $1 AND cart_id = ANY($2::uuid[]) AND status = 'pending'`,
    [ctx.companyId, rows.map((r) => r.id), now],
  );
}

/**
 * "Pay at pickup": the customer confirms the order. It waits for pickup with its
 * stock still held, now without expiry (staff complete or cancel it), and the cart
 * is done with.
 */
export async function confirmPickup(ctx: Ctx, cart: CartRow): Promise<Order> {
  if (cart.status !== 'checking_out' || !cart.orderId) throw conflict('cart.not_checking_out');
  const now = ctx.clock.now();
  const { rowCount } = await ctx.tx.client.query(
    `UPDATE holds SET expires_at = NULL WHERE company_id = $1 AND owner_type = 'cart' AND owner_id = $2 AND status = 'active'
       AND (expires_at IS NULL OR expires_at > $3)`,
    [ctx.companyId, cart.id, now],
  );
  const { rows: lines } = await ctx.tx.client.query('SELECT count(*)::int AS n FROM cart_lines WHERE company_id = $1 AND cart_id = $2', [ctx.companyId, cart.id]);
  // Every good line must still be held (a lapsed hold means the stock went back).
  const { rows: goods } = await ctx.tx.client.query(
    `SELECT count(*)::int AS n FROM cart_lines l JOIN products p ON p.company_id = l.company_id AND p.id = l.product_id
     WHERE l.company_id = $1 AND l.cart_id = $2 AND p.kind = 'good'`,
    [ctx.companyId, cart.id],
  );
  if (rowCount !== goods[0].n || !lines[0].n) throw conflict('cart.hold_expired');
  await ctx.tx.client.query(
    `UPDATE online_orders SET status = 'awaiting_pickup', hold_expires_at = NULL, updated_at = $3 WHERE company_id = $1 AND id = $2 AND status = 'pending'`,
    [ctx.companyId, cart.orderId, now],
  );
  await ctx.tx.client.query(`UPDATE carts SET status = 'ordered', updated_at = $3 WHERE company_id = $1 AND id = $2`, [ctx.companyId, cart.id, now]);
  return orderOf(ctx, cart.orderId);
}

/** Staff: online orders, newest first, optionally by status; keyset pages. */
export async function listOrders(ctx: Ctx, q: { status?: string; limit: number; cursor?: string }): Promise<Page<Order>> {
  const after = decodeCursor(q.cursor, 2) as [string, string] | null;
  const { rows } = await ctx.tx.client.query(
    `SELECT id, created_at FROM online_orders WHERE company_id = $1 AND ($2::text IS NULL OR status = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $5`,
    [ctx.companyId, q.status ?? null, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
  );
  const page = pageOf(rows, q.limit, (r) => r.id as string, (r) => [r.created_at.toISOString(), r.id]);
  return { items: await Promise.all(page.items.map((id) => orderOf(ctx, id))), nextCursor: page.nextCursor };
}

/** Staff cancel an order not collected: its holds are released, the stock is back. */
export async function cancelOrder(ctx: Ctx, orderId: string): Promise<Order> {
  const { rows } = await ctx.tx.client.query(
    `UPDATE online_orders SET status = 'cancelled', updated_at = $3 WHERE company_id = $1 AND id = $2 AND status IN ('pending', 'awaiting_pickup')
     RETURNING cart_id`,
    [ctx.companyId, orderId, ctx.clock.now()],
  );
  if (!rows[0]) {
    const { rowCount } = await ctx.tx.client.query('SELECT 1 FROM online_orders WHERE company_id = $1 AND id = $2', [ctx.companyId, orderId]);
    if (!rowCount) throw notFound('order.not_found');
    throw conflict('order.not_cancellable');
  }
  await releaseHolds(ctx, [ownerOf({ id: rows[0].cart_id })]);
  return orderOf(ctx, orderId);
}

/**
 * Staff take payment for an online order (pay at pickup), in ONE transaction: the
 * cart's holds become the sale's (a product deactivated meanwhile is still sold), the
 * sale is made at the order's prices, the payment is taken, the holds are consumed as
 * `sale` movements, and the order is marked paid with its sale.
 */
export async function payOrder(
  ctx: Ctx,
  orderId: string,
  payment: { method: 'cash' | 'card' | 'mobile_money'; tendered?: number; reference?: string; paymentId?: string },
  opts: { clientId?: string; late?: boolean } = {},
): Promise<{ order: Order; saleId: string; change: number }> {
  const { rows } = await ctx.tx.client.query('SELECT * FROM online_orders WHERE company_id = $1 AND id = $2 FOR UPDATE', [ctx.companyId, orderId]);
  const o = rows[0];
  if (!o) throw notFound('order.not_found');
  // A provider's success arriving after the hold lapsed (or the checkout was cancelled)
  // still sells the goods if they are available: the customer has paid.
  const payable = ['pending', 'awaiting_pickup', ...(opts.late ? ['expired', 'cancelled'] : [])];
  if (!payable.includes(o.status)) throw conflict('order.not_payable', { status: o.status });
  const lines = o.lines as Order['lines'];
  const saleId = await openSale(ctx, {
    channel: 'online',
    customerName: o.customer?.name,
    items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.price })),
    heldBy: ownerOf({ id: o.cart_id }),
    clientId: opts.clientId,
  });
  const { change } = await pay(ctx, saleId, {
    method: payment.method, amount: Number(o.total), tendered: payment.tendered, reference: payment.reference, paymentId: payment.paymentId,
  });
  await ctx.tx.client.query(`UPDATE online_orders SET status = 'paid', sale_id = $3, hold_expires_at = NULL, updated_at = $4 WHERE company_id = $1 AND id = $2`, [
    ctx.companyId,
    orderId,
    saleId,
    ctx.clock.now(),
  ]);
  await ctx.tx.client.query(`UPDATE carts SET status = 'ordered', updated_at = $3 WHERE company_id = $1 AND id = $2`, [ctx.companyId, o.cart_id, ctx.clock.now()]);
  return { order: await orderOf(ctx, orderId), saleId, change };
}

/** The customer paid but the goods are gone: the order waits for its refund. */
export async function markPaidUnfulfilled(ctx: Ctx, orderId: string): Promise<void> {
  await ctx.tx.client.query(`UPDATE online_orders SET status = 'paid_unfulfilled', hold_expires_at = NULL, updated_at = $3 WHERE company_id = $1 AND id = $2`, [
    ctx.companyId,
    orderId,
    ctx.clock.now(),
  ]);
}

/** The order's customer and totals, for a payment being taken for it. */
export async function orderForPayment(ctx: Ctx, orderId: string): Promise<{ id: string; status: string; total: number; currency: string; reference: string; cartId: string; customer: Order['customer'] }> {
  const { rows } = await ctx.tx.client.query('SELECT id, status, total, currency, reference, cart_id, customer FROM online_orders WHERE company_id = $1 AND id = $2', [ctx.companyId, orderId]);
  if (!rows[0]) throw notFound('order.not_found');
  const r = rows[0];
  return { id: r.id, status: r.status, total: Number(r.total), currency: r.currency, reference: r.reference, cartId: r.cart_id, customer: r.customer };
}
