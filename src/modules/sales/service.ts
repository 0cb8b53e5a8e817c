import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict, DomainError, invalid, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { consumeHolds, getProducts, type HoldOwner, placeHolds, releaseHolds, transferHolds } from '../catalog/index.ts';
import { announceOccupied, freeTable, occupyTable, setTableReference } from '../floor/index.ts';
import { getCompany } from '../tenancy/index.ts';
import { sessionForCash } from './cash-sessions.ts';
import { reprice } from './pricing.ts';
import { assertOpen, assertTransition, checkPayment, formatReference, type PaymentMethod, type SaleStatus } from './rules.ts';

export type Channel = 'counter' | 'table' | 'online' | 'qr' | 'live';

export interface ItemInput {
  productId: string;
  quantity: number;
  note?: string;
  /** A price agreed earlier (an online order's); callers inside the app only, never from HTTP. */
  unitPrice?: number;
}

interface SaleRow {
  id: string;
  reference: string;
  status: SaleStatus;
  tableId: string | null;
  customerName: string | null;
  serverId: string | null;
  total: number;
  paid: number;
  currency: string;
}

const owner = (saleId: string) => ({ type: 'sale' as const, id: saleId });

/** The sale locked for this command (concurrent edits queue instead of overwriting). */
export async function lockSale(ctx: Ctx, id: string): Promise<SaleRow> {
  const { rows } = await ctx.tx.client.query('SELECT * FROM sales WHERE company_id = $1 AND id = $2 FOR UPDATE', [ctx.companyId, id]);
  const r = rows[0];
  if (!r) throw notFound('sale.not_found');
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    tableId: r.table_id,
    customerName: r.customer_name,
    serverId: r.server_id,
    total: Number(r.total),
    paid: Number(r.paid),
    currency: r.currency,
  };
}

async function serverName(ctx: Ctx, serverId: string | null): Promise<string | null> {
  if (!serverId) return null;
  const { rows } = await ctx.tx.client.query(
    'SELECT u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.company_id = $1 AND m.user_id = $2',
    [ctx.companyId, serverId],
  );
  if (!rows[0]) throw invalid('serverId', 'not_a_member');
  return rows[0].name;
}

/** Copies names, prices and tax rates from the catalog, holds the goods, writes the lines. */
async function addLines(ctx: Ctx, saleId: string, items: readonly ItemInput[], heldBy?: HoldOwner): Promise<void> {
  if (!items.length) return;
  const products = await getProducts(ctx, items.map((i) => i.productId));
  for (const i of items) {
    const p = products.get(i.productId);
    // Goods already promised (heldBy) may since have been deactivated: they are still sold.
    if (!p || (!heldBy && (!p.active || p.archivedAt))) throw new DomainError('product.not_found', 404, { productId: i.productId });
  }
  // Goods are held for the open sale (no expiry); 409 stock.insufficient names the line.
  // Stock already held for another owner changes hands; only a shortfall is placed anew.
  const moved = heldBy ? await transferHolds(ctx, heldBy, owner(saleId)) : new Map<string, number>();
  const wanted = new Map<string, number>();
  for (const i of items) if (products.get(i.productId)!.kind === 'good') wanted.set(i.productId, (wanted.get(i.productId) ?? 0) + i.quantity);
  const shortfall = [...wanted].map(([productId, q]) => ({ productId, quantity: q - (moved.get(productId) ?? 0) })).filter((l) => l.quantity > 0);
  if (shortfall.length) await placeHolds(ctx, owner(saleId), shortfall, null);
  const now = ctx.clock.now();
  for (const i of items) {
    const p = products.get(i.productId)!;
    await ctx.tx.client.query(
      `INSERT INTO sale_items (company_id, id, sale_id, product_id, name, kind, unit_price, tax_rate, quantity, note, added_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [ctx.companyId, randomUUID(), saleId, p.id, p.name, p.kind, i.unitPrice ?? p.price, p.taxRate, i.quantity, i.note ?? null, now],
    );
  }
}

/** Recomputes the total from the lines and their discounts (see priceSale) and bumps the version. */
const retotal = reprice;

/** Screens showing the sale (the floor's running total, another till) follow it live. */
export async function changed(ctx: Ctx, saleId: string): Promise<void> {
  const t = await retotal(ctx, saleId);
  append(ctx, 'sale_updated', { saleId, tableId: t.tableId ?? undefined, total: t.total, itemCount: t.itemCount }, { subjects: { saleId, tableId: t.tableId ?? undefined } });
}

export interface OpenSaleInput {
  tableId?: string;
  customerName?: string;
  serverId?: string;
  channel: Channel;
  items: ItemInput[];
  /** Goods already held for this owner (an online order's cart): the holds become the sale's. */
  heldBy?: HoldOwner;
  /** The client the sale is for (QR payments, online orders). */
  clientId?: string;
}

/**
 * Opens a sale: a gapless reference, its table occupied and its goods held, all in
 * this transaction. Answers the new sale's id.
 */
export async function openSale(ctx: Ctx, input: OpenSaleInput): Promise<string> {
  const company = await getCompany(ctx);
  const name = await serverName(ctx, input.serverId ?? null);
  const id = randomUUID();
  const customerName = input.customerName?.trim() || null;
  const occupant = { saleId: id, reference: '', customerName, serverId: input.serverId ?? null, serverName: name };
  // The table first: its lock makes a second sale on it wait, then answer 409 naming the open one.
  const table = input.tableId ? await occupyTable(ctx, input.tableId, occupant, false) : null;
  await ctx.tx.client.query(
    `INSERT INTO sales (company_id, id, status, channel, table_id, customer_name, server_id, currency, opened_at, client_id)
     VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $9)`,
    [ctx.companyId, id, input.channel, input.tableId ?? null, customerName, input.serverId ?? null, company.currency, ctx.clock.now(), input.clientId ?? null],
  );
  await addLines(ctx, id, input.items, input.heldBy);
  await retotal(ctx, id);
  // Gapless numbering, taken last: the counter row is held only from here to commit
  // (a rolled-back opening gives its number back), so openings serialise briefly.
  const { rows } = await ctx.tx.client.query(
    `INSERT INTO sale_counters (company_id, last_number) VALUES ($1, 1)
     ON CONFLICT (company_id) DO UPDATE SET last_number = sale_counters.last_number + 1 RETURNING last_number`,
    [ctx.companyId],
  );
  const number = Number(rows[0].last_number);
  const reference = formatReference(number);
  await ctx.tx.client.query('UPDATE sales SET number = $3, reference = $4 WHERE company_id = $1 AND id = $2', [ctx.companyId, id, number, reference]);
  if (table) {
    await setTableReference(ctx, table.id, id, reference);
    announceOccupied(ctx, table, { ...occupant, reference });
  }
  append(ctx, 'sale_opened', { saleId: id, reference, tableId: input.tableId, channel: input.channel }, { subjects: { saleId: id, tableId: input.tableId } });
  return id;
}

/** A service line at an agreed price (a QR session's service, or a free amount with no product). */
export async function addAmountLine(ctx: Ctx, saleId: string, line: { name: string; unitPrice: number; taxRate: number; productId?: string | null }): Promise<void> {
  const sale = await lockSale(ctx, saleId);
  assertOpen(sale.status);
  await ctx.tx.client.query(
    `INSERT INTO sale_items (company_id, id, sale_id, product_id, name, kind, unit_price, tax_rate, quantity, added_at)
     VALUES ($1, $2, $3, $4, $5, 'service', $6, $7, 1, $8)`,
    [ctx.companyId, randomUUID(), saleId, line.productId ?? null, line.name, line.unitPrice, line.taxRate, ctx.clock.now()],
  );
  await changed(ctx, saleId);
}

export async function addItems(ctx: Ctx, saleId: string, items: ItemInput[]): Promise<void> {
  const sale = await lockSale(ctx, saleId);
  assertOpen(sale.status);
  await addLines(ctx, saleId, items);
  await changed(ctx, saleId);
}

/** Removes a line and gives its stock back (the product's other lines stay held). */
export async function removeItem(ctx: Ctx, saleId: string, itemId: string): Promise<void> {
  const sale = await lockSale(ctx, saleId);
  assertOpen(sale.status);
  const { rows } = await ctx.tx.client.query('DELETE FROM sale_items WHERE company_id = $1 AND sale_id = $2 AND id = $3 RETURNING product_id, kind, name, quantity', [
    ctx.companyId,
    saleId,
    itemId,
  ]);
  if (!rows[0]) throw notFound('sale.item_not_found');
  // Stations listen (a line already sent to the kitchen goes out as a cancellation, in this transaction).
  append(ctx, 'sale_item_removed', { saleId, itemId, productId: rows[0].product_id ?? undefined, name: rows[0].name, quantity: rows[0].quantity }, { subjects: { saleId, tableId: sale.tableId ?? undefined } });
  if (rows[0].kind === 'good') {
    const productId = rows[0].product_id as string;
    await releaseHolds(ctx, [owner(saleId)], [productId]);
    const { rows: left } = await ctx.tx.client.query(
      'SELECT coalesce(sum(quantity), 0)::int AS q FROM sale_items WHERE company_id = $1 AND sale_id = $2 AND product_id = $3',
      [ctx.companyId, saleId, productId],
    );
    if (left[0].q > 0) await placeHolds(ctx, owner(saleId), [{ productId, quantity: left[0].q }], null);
  }
  await changed(ctx, saleId);
}

export async function updateSale(ctx: Ctx, saleId: string, patch: { customerName?: string | null; serverId?: string | null }): Promise<void> {
  const sale = await lockSale(ctx, saleId);
  assertOpen(sale.status);
  if (patch.serverId) await serverName(ctx, patch.serverId);
  await ctx.tx.client.query(
    `UPDATE sales SET customer_name = CASE WHEN $3 THEN $4 ELSE customer_name END,
       server_id = CASE WHEN $5 THEN $6::uuid ELSE server_id END, version = version + 1
     WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, saleId, patch.customerName !== undefined, patch.customerName?.trim() || null, patch.serverId !== undefined, patch.serverId ?? null],
  );
  await changed(ctx, saleId);
}

export interface PaymentInput {
  method: PaymentMethod;
  amount: number;
  tendered?: number;
  reference?: string;
  /** The cash-register session cash goes into (required for cash when the company says so). */
  cashSessionId?: string;
  /** The tender's id when a provider payment settles it (the payment keeps one id throughout). */
  paymentId?: string;
  /** A tip on top of the amount (outside the sale's total and revenue; cash: out of what was tendered). */
  tip?: number;
}

/**
 * Takes a payment. When payments cover the total, in this same transaction: the
 * holds become `sale` movements (never refused: held stock is on hand), the sale is
 * paid, its table freed, and a large sale announced.
 */
export async function pay(ctx: Ctx, saleId: string, input: PaymentInput): Promise<{ paymentId: string; change: number }> {
  const sale = await lockSale(ctx, saleId);
  assertOpen(sale.status);
  const check = checkPayment(input, sale.total - sale.paid);
  if (!check.ok) {
    if (check.code === 'payment.exceeds_due') throw new DomainError('payment.exceeds_due', 422, { due: check.due });
    throw invalid(check.field, check.reason);
  }
  const { settings } = await getCompany(ctx);
  // Cash goes into a drawer's session (required when the company says so); card and
  // mobile money are recorded on the session given too, for its report.
  const sessionId = input.method === 'cash'
    ? await sessionForCash(ctx, input.cashSessionId, settings.requireCashSession)
    : input.cashSessionId ? await sessionForCash(ctx, input.cashSessionId, false) : null;
  const paymentId = input.paymentId ?? randomUUID();
  const now = ctx.clock.now();
  const tip = input.tip ?? 0;
  // A tip is the sale's server's; without one, whoever took the payment.
  const tipFor = tip > 0 ? (sale.serverId ?? (ctx.actor.type === 'user' ? ctx.actor.id : null)) : null;
  await ctx.tx.client.query(
    `INSERT INTO payments (company_id, id, sale_id, method, amount, tendered, change, reference, cash_session_id, actor_type, actor_id, created_at, tip, server_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [ctx.companyId, paymentId, saleId, input.method, input.amount, input.method === 'cash' ? (input.tendered ?? input.amount + tip) : null, check.change,
      input.reference ?? null, sessionId, ctx.actor.type, ctx.actor.id ?? null, now, tip, tipFor],
  );
  await ctx.tx.client.query('UPDATE sales SET paid = paid + $3, version = version + 1 WHERE company_id = $1 AND id = $2', [ctx.companyId, saleId, input.amount]);
  if (check.completes) await complete(ctx, sale, now, settings.largeSaleThreshold);
  return { paymentId, change: check.change };
}

/**
 * Closes an open sale that has nothing left to pay (discounted to what was paid, or
 * offered in full): the same completion as a last payment, with no payment.
 */
export async function completeSale(ctx: Ctx, saleId: string): Promise<void> {
  const sale = await lockSale(ctx, saleId);
  assertOpen(sale.status);
  const { rows } = await ctx.tx.client.query('SELECT count(*)::int AS n FROM sale_items WHERE company_id = $1 AND sale_id = $2', [ctx.companyId, saleId]);
  if (sale.total > sale.paid) throw new DomainError('sale.amount_due', 409, { due: sale.total - sale.paid });
  if (rows[0].n === 0) throw conflict('sale.empty');
  const { settings } = await getCompany(ctx);
  await complete(ctx, sale, ctx.clock.now(), settings.largeSaleThreshold);
}

async function complete(ctx: Ctx, sale: SaleRow, now: Date, largeSaleThreshold: number | null) {
  assertTransition(sale.status, 'paid');
  await consumeHolds(ctx, owner(sale.id), { type: 'sale', id: sale.id });
  await ctx.tx.client.query(`UPDATE sales SET status = 'paid', paid_at = $3 WHERE company_id = $1 AND id = $2`, [ctx.companyId, sale.id, now]);
  if (sale.tableId) {
    await freeTable(ctx, sale.tableId, { saleId: sale.id, reference: sale.reference, customerName: sale.customerName, serverId: sale.serverId, total: sale.total, reason: 'paid' });
  }
  const money = { amount: sale.total, currency: sale.currency };
  append(ctx, 'sale_paid', { saleId: sale.id, reference: sale.reference, ...money }, { subjects: { saleId: sale.id, tableId: sale.tableId ?? undefined } });
  if (largeSaleThreshold !== null && sale.total >= largeSaleThreshold) {
    append(ctx, 'large_sale', { saleId: sale.id, reference: sale.reference, ...money }, { subjects: { saleId: sale.id } });
  }
}

/** Cancels an open sale without payments (a reason is needed once it has items); its stock and table are freed. */
export async function cancelSale(ctx: Ctx, saleId: string, reason?: string): Promise<void> {
  const sale = await lockSale(ctx, saleId);
  assertTransition(sale.status, 'cancelled');
  if (sale.paid > 0) throw conflict('sale.has_payments', { paid: sale.paid });
  const { rows } = await ctx.tx.client.query('SELECT count(*)::int AS n FROM sale_items WHERE company_id = $1 AND sale_id = $2', [ctx.companyId, saleId]);
  if (rows[0].n > 0 && !reason?.trim()) throw invalid('reason', 'required');
  await releaseHolds(ctx, [owner(saleId)]);
  await ctx.tx.client.query(
    `UPDATE sales SET status = 'cancelled', cancelled_at = $3, cancel_reason = $4, version = version + 1 WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, saleId, ctx.clock.now(), reason?.trim() || null],
  );
  if (sale.tableId) {
    await freeTable(ctx, sale.tableId, { saleId, reference: sale.reference, customerName: sale.customerName, serverId: sale.serverId, total: sale.total, reason: 'cancelled' });
  }
  append(ctx, 'sale_cancelled', { saleId, reference: sale.reference, reason: reason?.trim() }, { subjects: { saleId, tableId: sale.tableId ?? undefined } });
}
