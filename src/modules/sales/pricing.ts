import type { Ctx } from '../../platform/context.ts';
import { type DiscountSpec, type PricedLineInput, priceSale, type SalePricing } from './rules.ts';

// biome-ignore lint/suspicious/noExplicitAny: a raw pg row
export const specOf = (r: Record<string, any>): DiscountSpec | null =>
  r.discount_kind ? { kind: r.discount_kind, value: Number(r.discount_value) } : null;

export interface LoadedPricing {
  lines: Array<PricedLineInput & { id: string }>;
  saleDiscount: DiscountSpec | null;
  pricing: SalePricing;
}

/** The sale's lines (in till order) and discounts, priced. */
export async function loadPricing(ctx: Ctx, saleId: string, override?: { itemId?: string; spec: DiscountSpec | null }): Promise<LoadedPricing> {
  const [{ rows: items }, { rows: sale }] = [
    await ctx.tx.client.query(
      'SELECT id, unit_price, quantity, tax_rate, discount_kind, discount_value FROM sale_items WHERE company_id = $1 AND sale_id = $2 ORDER BY added_at, id',
      [ctx.companyId, saleId],
    ),
    await ctx.tx.client.query('SELECT discount_kind, discount_value FROM sales WHERE company_id = $1 AND id = $2', [ctx.companyId, saleId]),
  ];
  const lines = items.map((i) => ({
    id: i.id as string,
    unitPrice: Number(i.unit_price),
    quantity: i.quantity as number,
    taxRate: i.tax_rate as number,
    discount: override && override.itemId === i.id ? override.spec : specOf(i),
  }));
  const saleDiscount = override && !override.itemId ? override.spec : sale[0] ? specOf(sale[0]) : null;
  return { lines, saleDiscount, pricing: priceSale(lines, saleDiscount) };
}

/**
 * Prices the sale again after any change (lines, discounts): each line's discount
 * amount, the sale's discount amounts and its total are stored; the version is bumped.
 */
export async function reprice(ctx: Ctx, saleId: string): Promise<{ total: number; itemCount: number; tableId: string | null }> {
  const { lines, pricing } = await loadPricing(ctx, saleId);
  const discounted = lines.map((l, i) => [l, pricing.lines[i]!] as const).filter(([l]) => l.discount);
  if (discounted.length) {
    await ctx.tx.client.query(
      `UPDATE sale_items i SET discount_amount = d.amount FROM unnest($3::uuid[], $4::bigint[]) AS d (id, amount)
       WHERE i.company_id = $1 AND i.sale_id = $2 AND i.id = d.id`,
      [ctx.companyId, saleId, discounted.map(([l]) => l.id), discounted.map(([, p]) => p.discount)],
    );
  }
  const { rows } = await ctx.tx.client.query(
    `UPDATE sales SET total = $3, discount_amount = $4, discount_total = $5, version = version + 1 WHERE company_id = $1 AND id = $2
     RETURNING table_id`,
    [ctx.companyId, saleId, pricing.total, pricing.saleDiscount, pricing.discountTotal],
  );
  return { total: pricing.total, itemCount: lines.reduce((a, l) => a + l.quantity, 0), tableId: rows[0]?.table_id ?? null };
}
