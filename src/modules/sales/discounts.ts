import type { Ctx } from '../../platform/context.ts';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { getCompany, managerByPin } from '../tenancy/index.ts';
import { loadPricing } from './pricing.ts';
import { assertOpen, type DiscountSpec, needsApproval } from './rules.ts';
import { changed, lockSale } from './service.ts';

export interface DiscountInput extends DiscountSpec {
  reason: string;
  /** A manager's PIN, typed on the same device, when the discount is above the company's limit. */
  managerPin?: string;
}

/**
 * Who approves a discount above the limit: an owner or manager applying it themselves,
 * else the manager whose PIN is given. 403 `discount.approval_required` without a PIN,
 * 403 `discount.approval_refused` when the PIN is not a manager's.
 */
async function approverOf(ctx: Ctx, needed: boolean, limitPercent: number, pin: string | undefined): Promise<string | null> {
  if (!needed) return null;
  if (ctx.actor.type === 'user' && (ctx.role === 'owner' || ctx.role === 'manager')) return ctx.actor.id;
  if (!pin) throw forbidden('discount.approval_required', { limitPercent });
  const manager = await managerByPin(ctx, pin);
  if (!manager) throw forbidden('discount.approval_refused');
  return manager.userId;
}

/**
 * Checks and prices a discount (on a line when itemId is given, else on the whole sale)
 * on a locked open sale: something to take off, within its base, approved when above
 * the limit, and never below what was already paid. Answers the amount, the approver
 * and the sale's currency.
 */
async function prepare(ctx: Ctx, saleId: string, itemId: string | undefined, input: DiscountInput) {
  const sale = await lockSale(ctx, saleId);
  assertOpen(sale.status);
  const spec: DiscountSpec = { kind: input.kind, value: input.value };
  const { lines, pricing } = await loadPricing(ctx, saleId, { itemId, spec });
  let amount: number;
  let base: number;
  if (itemId) {
    const i = lines.findIndex((l) => l.id === itemId);
    if (i < 0) throw notFound('sale.item_not_found');
    base = pricing.lines[i]!.gross;
    amount = pricing.lines[i]!.discount;
  } else {
    base = pricing.subtotal;
    amount = pricing.saleDiscount;
  }
  if (input.kind === 'amount' && input.value > base) throw invalid('value', 'too_big');
  if (amount <= 0) throw invalid('value', 'too_small');
  const { settings } = await getCompany(ctx);
  const approvedBy = await approverOf(ctx, needsApproval(amount, base, settings.discountApprovalPercent), settings.discountApprovalPercent, input.managerPin);
  if (sale.paid > pricing.total) throw conflict('discount.below_paid', { paid: sale.paid, total: pricing.total });
  return { amount, approvedBy, currency: sale.currency, tableId: sale.tableId };
}

/** A discount on one line (replaces the line's previous one). */
export async function discountItem(ctx: Ctx, saleId: string, itemId: string, input: DiscountInput): Promise<void> {
  const d = await prepare(ctx, saleId, itemId, input);
  await ctx.tx.client.query(
    `UPDATE sale_items SET discount_kind = $4, discount_value = $5, discount_reason = $6, discount_approved_by = $7
     WHERE company_id = $1 AND sale_id = $2 AND id = $3`,
    [ctx.companyId, saleId, itemId, input.kind, input.value, input.reason.trim(), d.approvedBy],
  );
  await changed(ctx, saleId);
  append(
    ctx,
    'discount_applied',
    { saleId, itemId, amount: d.amount, currency: d.currency, kind: input.kind, value: input.value, reason: input.reason.trim(), approvedBy: d.approvedBy ?? undefined },
    { subjects: { saleId, tableId: d.tableId ?? undefined } },
  );
}

/** A discount on the whole sale (replaces the previous one), spread over the lines for the taxes. */
export async function discountSale(ctx: Ctx, saleId: string, input: DiscountInput): Promise<void> {
  const d = await prepare(ctx, saleId, undefined, input);
  await ctx.tx.client.query(
    `UPDATE sales SET discount_kind = $3, discount_value = $4, discount_reason = $5, discount_approved_by = $6 WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, saleId, input.kind, input.value, input.reason.trim(), d.approvedBy],
  );
  await changed(ctx, saleId);
  append(
    ctx,
    'discount_applied',
    { saleId, amount: d.amount, currency: d.currency, kind: input.kind, value: input.value, reason: input.reason.trim(), approvedBy: d.approvedBy ?? undefined },
    { subjects: { saleId, tableId: d.tableId ?? undefined } },
  );
}

/** Takes a discount off (a line's, or the sale's without itemId); the total goes back up. */
export async function removeDiscount(ctx: Ctx, saleId: string, itemId?: string): Promise<void> {
  const sale = await lockSale(ctx, saleId);
  assertOpen(sale.status);
  const clear = 'discount_kind = NULL, discount_value = NULL, discount_reason = NULL, discount_approved_by = NULL, discount_amount = 0';
  if (itemId) {
    const { rowCount } = await ctx.tx.client.query(`UPDATE sale_items SET ${clear} WHERE company_id = $1 AND sale_id = $2 AND id = $3`, [ctx.companyId, saleId, itemId]);
    if (!rowCount) throw notFound('sale.item_not_found');
  } else {
    await ctx.tx.client.query(`UPDATE sales SET ${clear} WHERE company_id = $1 AND id = $2`, [ctx.companyId, saleId]);
  }
  await changed(ctx, saleId);
}
