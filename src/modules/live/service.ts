import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict, DomainError, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';
import { activeHolds, getProducts, type HoldOwner, lockProducts, placeHolds, releaseHolds } from '../catalog/index.ts';
import { openSale, pay } from '../sales/index.ts';
import { getCompany } from '../tenancy/index.ts';
import {
  addTransfer,
  type CatalogEntry,
  type Checklist,
  checklist,
  completionRate,
  holdDiff,
  type ItemRequest,
  isComplete,
  type LiveItem,
  newProducts,
  type OrderSteps,
  paymentOf,
  priceItems,
  receivedOf,
  totalOf,
  type Transfer,
  underpayment,
  wantedHolds,
} from './rules.ts';

export interface LiveSession {
  id: string;
  startedAt: string;
  endedAt: string | null;
  startedBy: { type: string; id: string | null; name: string | null };
  orderCount: number;
  revenue: number;
  currency: string;
}

export type LiveOrderStatus = 'active' | 'completed' | 'cancelled';

export interface LiveOrder {
  id: string;
  liveSessionId: string;
  externalCustomerId: string;
  status: LiveOrderStatus;
  items: Array<{ productId: string; name: string; quantity: number; unitPrice: number; lineTotal: number }>;
  total: number;
  currency: string;
  payment: { reference: string; received: number } | null;
  deliveryZone: string | null;
  customerPhone: string | null;
  checklist: Checklist;
  completionRate: number;
  saleId: string | null;
  saleReference: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

/** The steps a request may set, each optional; null clears a step (an empty list clears the products). */
export interface StepsInput {
  items?: ItemRequest[];
  payment?: Transfer | null;
  deliveryZone?: string | null;
  customerPhone?: string | null;
}

/** A live order's stock is held under this owner, with no expiry while the order is active. */
const ownerOf = (orderId: string): HoldOwner => ({ type: 'live_order', id: orderId });

// ---------------------------------------------------------------------------
// Sessions

const SELECT_SESSION = `
  SELECT s.*, CASE s.started_by_type WHEN 'user' THEN u.name WHEN 'token' THEN t.name END AS started_by_name
  FROM live_sessions s
  LEFT JOIN users u ON s.started_by_type = 'user' AND u.id::text = s.started_by_id
  LEFT JOIN api_tokens t ON s.started_by_type = 'token' AND t.company_id = s.company_id AND t.id::text = s.started_by_id`;

// biome-ignore lint/suspicious/noExplicitAny: a raw pg row
function toSession(r: Record<string, any>): LiveSession {
  return {
    id: r.id,
    startedAt: r.started_at.toISOString(),
    endedAt: r.ended_at?.toISOString() ?? null,
    startedBy: { type: r.started_by_type, id: r.started_by_id, name: r.started_by_name ?? null },
    orderCount: r.order_count,
    revenue: Number(r.revenue),
    currency: r.currency,
  };
}

/** Live mode: on while a session is active. `session` is the active one, else the latest (ended) one. */
export async function liveState(ctx: Ctx): Promise<{ enabled: boolean; session: LiveSession | null }> {
  const { rows } = await ctx.tx.client.query(
    `${SELECT_SESSION} WHERE s.company_id = $1 ORDER BY (s.ended_at IS NULL) DESC, s.started_at DESC, s.id DESC LIMIT 1`,
    [ctx.companyId],
  );
  const session = rows[0] ? toSession(rows[0]) : null;
  return { enabled: !!session && session.endedAt === null, session };
}

/**
 * The company's live lock, held to commit: toggles take it alone, new orders share it.
 * A transaction lock of PostgreSQL's lock manager, which queues fairly: an order arriving
 * while an end waits queues behind it (a row's share lock would let a steady stream of
 * orders starve the end). Two-key form: its own key space, apart from one-key locks.
 */
const LIVE_LOCK_SPACE = 0x4c495645; // 'LIVE'
const liveLock = (ctx: Ctx, mode: 'exclusive' | 'shared') =>
  ctx.tx.client.query(`SELECT ${mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}($1, hashtext($2))`, [
    LIVE_LOCK_SPACE,
    ctx.companyId,
  ]);

/**
 * Turns live mode on or off. Toggles of one company are decided one after the other
 * under its live lock: on opens a session unless one is active (on twice is the same
 * session); off waits for the orders being taken right now, then ends the active session
 * with its figures (the unique index is the backstop: never two active sessions).
 */
export async function setLive(ctx: Ctx, enabled: boolean): Promise<{ enabled: boolean; session: LiveSession | null }> {
  await liveLock(ctx, 'exclusive');
  const { rows } = await ctx.tx.client.query('SELECT id FROM live_sessions WHERE company_id = $1 AND ended_at IS NULL', [ctx.companyId]);
  const active = rows[0]?.id as string | undefined;
  const now = ctx.clock.now();
  if (enabled && !active) {
    const { currency } = await getCompany(ctx);
    const id = randomUUID();
    await ctx.tx.client.query(
      `INSERT INTO live_sessions (company_id, id, started_by_type, started_by_id, started_at, currency) VALUES ($1, $2, $3, $4, $5, $6)`,
      [ctx.companyId, id, ctx.actor.type, ctx.actor.id ?? null, now, currency],
    );
    append(ctx, 'live_started', { liveSessionId: id }, { subjects: { liveSessionId: id } });
  } else if (!enabled && active) {
    // Orders taken before the end are in (the lock waited for them); the figures read
    // here are the latest committed ones.
    const { rows: ended } = await ctx.tx.client.query(
      `UPDATE live_sessions SET ended_at = $3, ended_by_type = $4, ended_by_id = $5 WHERE company_id = $1 AND id = $2
       RETURNING order_count, revenue, currency`,
      [ctx.companyId, active, now, ctx.actor.type, ctx.actor.id ?? null],
    );
    const e = ended[0];
    append(ctx, 'live_ended', { liveSessionId: active, orderCount: e.order_count, revenue: Number(e.revenue), currency: e.currency }, {
      subjects: { liveSessionId: active },
    });
  }
  return liveState(ctx);
}

/** Sessions newest first, with their figures; keyset pages on (started_at, id). */
export async function listSessions(ctx: Ctx, q: { limit: number; cursor?: string }): Promise<Page<LiveSession>> {
  const after = decodeCursor(q.cursor, 2) as [string, string] | null;
  const { rows } = await ctx.tx.client.query(
    `${SELECT_SESSION} WHERE s.company_id = $1 AND ($2::timestamptz IS NULL OR (s.started_at, s.id) < ($2::timestamptz, $3::uuid))
     ORDER BY s.started_at DESC, s.id DESC LIMIT $4`,
    [ctx.companyId, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
  );
  return pageOf(rows, q.limit, toSession, (r) => [r.started_at.toISOString(), r.id]);
}

// ---------------------------------------------------------------------------
// Orders

interface OrderRow {
  id: string;
  liveSessionId: string;
  status: LiveOrderStatus;
  currency: string;
  steps: OrderSteps;
}

// biome-ignore lint/suspicious/noExplicitAny: a raw pg row
function toRow(r: Record<string, any>): OrderRow {
  return {
    id: r.id,
    liveSessionId: r.live_session_id,
    status: r.status,
    currency: r.currency,
    steps: { items: r.items, transfers: r.transfers, deliveryZone: r.delivery_zone, customerPhone: r.customer_phone },
  };
}

const SELECT_ORDER = `
  SELECT o.*, s.reference AS sale_reference FROM live_orders o
  LEFT JOIN sales s ON s.company_id = o.company_id AND s.id = o.sale_id`;

// biome-ignore lint/suspicious/noExplicitAny: a raw pg row
function toOrder(r: Record<string, any>): LiveOrder {
  const steps: OrderSteps = { items: r.items, transfers: r.transfers, deliveryZone: r.delivery_zone, customerPhone: r.customer_phone };
  const c = checklist(steps);
  return {
    id: r.id,
    liveSessionId: r.live_session_id,
    externalCustomerId: r.external_customer_id,
    status: r.status,
    items: steps.items.map((i) => ({ productId: i.productId, name: i.name, quantity: i.quantity, unitPrice: i.unitPrice, lineTotal: i.lineTotal })),
    total: Number(r.total),
    currency: r.currency,
    payment: paymentOf(steps.transfers),
    deliveryZone: r.delivery_zone,
    customerPhone: r.customer_phone,
    checklist: c,
    completionRate: completionRate(c),
    saleId: r.sale_id,
    saleReference: r.sale_reference ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    completedAt: r.completed_at?.toISOString() ?? null,
  };
}

export async function getOrder(ctx: Ctx, id: string): Promise<LiveOrder> {
  const { rows } = await ctx.tx.client.query(`${SELECT_ORDER} WHERE o.company_id = $1 AND o.id = $2`, [ctx.companyId, id]);
  if (!rows[0]) throw notFound('live.order_not_found');
  return toOrder(rows[0]);
}

/** Orders newest first, optionally by status or session; keyset pages on (created_at, id). */
export async function listOrders(ctx: Ctx, q: { status?: LiveOrderStatus; liveSessionId?: string; limit: number; cursor?: string }): Promise<Page<LiveOrder>> {
  const after = decodeCursor(q.cursor, 2) as [string, string] | null;
  const { rows } = await ctx.tx.client.query(
    `${SELECT_ORDER} WHERE o.company_id = $1 AND ($2::text IS NULL OR o.status = $2) AND ($3::uuid IS NULL OR o.live_session_id = $3)
       AND ($4::timestamptz IS NULL OR (o.created_at, o.id) < ($4::timestamptz, $5::uuid))
     ORDER BY o.created_at DESC, o.id DESC LIMIT $6`,
    [ctx.companyId, q.status ?? null, q.liveSessionId ?? null, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
  );
  return pageOf(rows, q.limit, toOrder, (r) => [r.created_at.toISOString(), r.id]);
}

/** The order locked for this command; only an active order may change. */
async function lockActiveOrder(ctx: Ctx, id: string): Promise<OrderRow> {
  const { rows } = await ctx.tx.client.query('SELECT * FROM live_orders WHERE company_id = $1 AND id = $2 FOR UPDATE', [ctx.companyId, id]);
  if (!rows[0]) throw notFound('live.order_not_found');
  const row = toRow(rows[0]);
  if (row.status !== 'active') throw conflict('live.order_closed', { status: row.status });
  return row;
}

/**
 * The customer's active order in the active session, created if they have none (201)
 * or updated (200), then the given steps applied. Needs an active session (409
 * live.not_active). Orders share the live lock: they are taken side by side, and
 * ending the live waits for those under way (none enters a session after its end).
 */
export async function upsertOrder(ctx: Ctx, externalCustomerId: string, steps: StepsInput): Promise<{ created: boolean; order: LiveOrder }> {
  await liveLock(ctx, 'shared');
  const { rows: live } = await ctx.tx.client.query('SELECT id, currency FROM live_sessions WHERE company_id = $1 AND ended_at IS NULL', [ctx.companyId]);
  const session = live[0];
  if (!session) throw conflict('live.not_active');
  const now = ctx.clock.now();
  // Two requests for a new customer at once: the unique index makes the second wait for
  // the first, then it takes (and locks) that order; if the first completed it, a new one.
  for (let attempt = 1; ; attempt++) {
    const { rows: inserted } = await ctx.tx.client.query(
      `INSERT INTO live_orders (company_id, id, live_session_id, external_customer_id, status, currency, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'active', $5, $6, $6)
       ON CONFLICT (company_id, live_session_id, external_customer_id) WHERE status = 'active' DO NOTHING
       RETURNING *`,
      [ctx.companyId, randomUUID(), session.id, externalCustomerId, session.currency, now],
    );
    if (inserted[0]) return { created: true, order: await applySteps(ctx, toRow(inserted[0]), steps) };
    const { rows: existing } = await ctx.tx.client.query(
      `SELECT * FROM live_orders WHERE company_id = $1 AND live_session_id = $2 AND external_customer_id = $3 AND status = 'active' FOR UPDATE`,
      [ctx.companyId, session.id, externalCustomerId],
    );
    if (existing[0]) return { created: false, order: await applySteps(ctx, toRow(existing[0]), steps) };
    if (attempt >= 5) throw conflict('live.order_busy');
  }
}

/** Applies steps to an active order (whether or not its session has ended since). */
export async function updateOrder(ctx: Ctx, id: string, steps: StepsInput): Promise<LiveOrder> {
  return applySteps(ctx, await lockActiveOrder(ctx, id), steps);
}

/** Cancels an active order: its held stock goes back. */
export async function cancelOrder(ctx: Ctx, id: string): Promise<LiveOrder> {
  const row = await lockActiveOrder(ctx, id);
  await releaseHolds(ctx, [ownerOf(row.id)]);
  const now = ctx.clock.now();
  await ctx.tx.client.query(`UPDATE live_orders SET status = 'cancelled', cancelled_at = $3, updated_at = $3 WHERE company_id = $1 AND id = $2`, [
    ctx.companyId,
    row.id,
    now,
  ]);
  append(ctx, 'live_order_updated', { orderId: row.id, status: 'cancelled', completionRate: 0 }, { subjects: { orderId: row.id, liveSessionId: row.liveSessionId } });
  return getOrder(ctx, row.id);
}

/** A product new to an order must be on sale (active, not archived). */
async function catalogFor(ctx: Ctx, ids: readonly string[]): Promise<Map<string, CatalogEntry>> {
  const products = await getProducts(ctx, ids);
  const catalog = new Map<string, CatalogEntry>();
  for (const id of ids) {
    const p = products.get(id);
    if (!p?.active || p.archivedAt) throw new DomainError('product.not_found', 404, { productId: id });
    catalog.set(id, { name: p.name, price: p.price, kind: p.kind });
  }
  return catalog;
}

/**
 * Makes the order's active holds exactly what its goods lines need: products whose held
 * quantity differs are released and held anew (all or nothing: 409 stock.insufficient
 * naming the short lines, and the transaction rolls back). The re-locks by the hold
 * service below are of products this transaction already holds: they never wait.
 */
async function reconcileHolds(ctx: Ctx, orderId: string, lockAlso: readonly LiveItem[], items: readonly LiveItem[]): Promise<void> {
  const owner = ownerOf(orderId);
  // Every product the order had, has or holds, locked once in id order (no deadlock with
  // other orders, tills or carts), before anything else is locked (the sale's counter).
  const candidates = await activeHolds(ctx, owner);
  await lockProducts(ctx, [...candidates, ...lockAlso, ...items].map((i) => i.productId));
  const held = new Map<string, number>();
  for (const h of await activeHolds(ctx, owner)) held.set(h.productId, (held.get(h.productId) ?? 0) + h.quantity);
  const wanted = wantedHolds(items);
  const changed = holdDiff(held, wanted);
  if (!changed.length) return;
  const toRelease = changed.filter((id) => held.has(id));
  if (toRelease.length) await releaseHolds(ctx, [owner], toRelease);
  const lines = changed.filter((id) => wanted.has(id)).map((productId) => ({ productId, quantity: wanted.get(productId)! }));
  if (lines.length) await placeHolds(ctx, owner, lines, null);
}

/**
 * One update of an active, locked order: lines (held, priced), payment, delivery zone,
 * phone; then, if all four steps are done, the order becomes a paid `live` sale in this
 * same transaction. Answers the order with its checklist.
 */
async function applySteps(ctx: Ctx, row: OrderRow, input: StepsInput): Promise<LiveOrder> {
  const before = row.steps;
  let items = before.items;
  if (input.items !== undefined) {
    const catalog = await catalogFor(ctx, newProducts(input.items, before.items));
    const priced = priceItems(input.items, before.items, catalog);
    if (!priced.ok) throw new DomainError('product.not_found', 404, { productId: priced.unknown });
    items = priced.items;
  }
  const transfers = input.payment === undefined ? before.transfers : input.payment === null ? [] : addTransfer(before.transfers, input.payment);
  const after: OrderSteps = {
    items,
    transfers,
    deliveryZone: input.deliveryZone === undefined ? before.deliveryZone : input.deliveryZone,
    customerPhone: input.customerPhone === undefined ? before.customerPhone : input.customerPhone,
  };
  const complete = isComplete(checklist(after));
  if (input.items !== undefined || complete) {
    await reconcileHolds(ctx, row.id, before.items, after.items);
  }
  const total = totalOf(after.items);
  const now = ctx.clock.now();
  await ctx.tx.client.query(
    `UPDATE live_orders SET items = $3, total = $4, transfers = $5, received = $6, delivery_zone = $7, customer_phone = $8, updated_at = $9
     WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, row.id, JSON.stringify(after.items), total, JSON.stringify(after.transfers), receivedOf(after.transfers), after.deliveryZone,
      after.customerPhone, now],
  );
  const subjects = { orderId: row.id, liveSessionId: row.liveSessionId };
  const short = underpayment(after, { payment: input.payment !== undefined, items: input.items !== undefined });
  if (short) append(ctx, 'payment_issue', { issue: 'underpaid', ...short, currency: row.currency }, { level: 'warning', subjects });
  if (complete) await completeOrder(ctx, row, after, total);
  const order = await getOrder(ctx, row.id);
  // Screens following the live show each step at once (a zone or a phone moves no stock).
  append(ctx, 'live_order_updated', { orderId: row.id, status: order.status, completionRate: order.completionRate }, { subjects });
  return order;
}

/**
 * The four steps are done: the order's holds become a sale's (channel `live`, at the
 * order's prices), the mobile-money payment for the total is taken (the goods leave the
 * stock as `sale` movements), the order is completed with its sale, and its session's
 * figures follow. All in the caller's transaction.
 */
async function completeOrder(ctx: Ctx, row: OrderRow, steps: OrderSteps, total: number): Promise<void> {
  const saleId = await openSale(ctx, {
    channel: 'live',
    heldBy: ownerOf(row.id),
    items: steps.items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPrice: i.unitPrice })),
  });
  await pay(ctx, saleId, { method: 'mobile_money', amount: total, reference: paymentOf(steps.transfers)!.reference });
  const now = ctx.clock.now();
  await ctx.tx.client.query(
    `UPDATE live_orders SET status = 'completed', sale_id = $3, completed_at = $4, updated_at = $4 WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, row.id, saleId, now],
  );
  await ctx.tx.client.query(
    'UPDATE live_sessions SET order_count = order_count + 1, revenue = revenue + $3 WHERE company_id = $1 AND id = $2',
    [ctx.companyId, row.liveSessionId, total],
  );
  const subjects = { orderId: row.id, saleId, liveSessionId: row.liveSessionId };
  append(ctx, 'order_created', { orderId: row.id, channel: 'live', amount: total, currency: row.currency }, { subjects });
  const received = receivedOf(steps.transfers);
  if (received > total) {
    append(ctx, 'payment_issue', { issue: 'overpaid', received, due: total, currency: row.currency }, { level: 'warning', subjects });
  }
}
