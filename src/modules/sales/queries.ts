import type { Ctx } from '../../platform/context.ts';
import { localDateRange } from '../../platform/dates.ts';
import { type EventSummary, eventsAbout } from '../../platform/events/queries.ts';
import { notFound } from '../../platform/errors.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';
import { tableLabels } from '../floor/index.ts';
import { getCompany } from '../tenancy/index.ts';
import { type Refund, refundsOf } from './refunds.ts';
import { specOf } from './pricing.ts';
import { priceSale, type TaxBreakdown } from './rules.ts';

export interface SaleDiscount {
  kind: 'amount' | 'percent';
  /** Minor units ('amount') or basis points ('percent', 1000 = 10 %). */
  value: number;
  /** Minor units taken off. */
  amount: number;
  reason: string;
  /** The manager who approved it (above the company's limit). */
  approvedBy: { userId: string; name: string } | null;
}

export interface Sale {
  id: string;
  reference: string;
  status: string;
  channel: string;
  tableId: string | null;
  tableLabel: string | null;
  customerName: string | null;
  serverId: string | null;
  serverName: string | null;
  /** lineTotal: after the line's own discount; netTotal: after its share of the whole-sale discount too. */
  items: Array<{
    id: string;
    productId: string | null;
    name: string;
    unitPrice: number;
    taxRate: number;
    quantity: number;
    note: string | null;
    lineTotal: number;
    discount: SaleDiscount | null;
    netTotal: number;
  }>;
  /** The whole-sale discount. */
  discount: SaleDiscount | null;
  /** Every discount of the sale (lines and whole sale). */
  discountTotal: number;
  /** Taxes of the discounted lines (the whole-sale discount spread over them). */
  totals: TaxBreakdown;
  /** Tips on the payments (outside the total). */
  tips: number;
  currency: string;
  paid: number;
  due: number;
  payments: Array<{
    id: string;
    method: string;
    amount: number;
    tendered: number | null;
    change: number;
    reference: string | null;
    tip: number;
    /** Who the tip is for. */
    serverId: string | null;
    createdAt: string;
  }>;
  refunded: number;
  refunds: Refund[];
  openedAt: string;
  paidAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  version: number;
}

// biome-ignore lint/suspicious/noExplicitAny: a raw pg row
function discountOf(r: Record<string, any>, amount: number): SaleDiscount | null {
  const spec = specOf(r);
  if (!spec) return null;
  const approvedBy = r.discount_approved_by ? { userId: r.discount_approved_by as string, name: (r.discount_approver_name as string | null) ?? '' } : null;
  return { ...spec, amount, reason: r.discount_reason, approvedBy };
}

/** Full sales (items, payments, totals) for some ids, in the order given. */
export async function salesByIds(ctx: Ctx, ids: readonly string[]): Promise<Sale[]> {
  if (!ids.length) return [];
  const [{ rows: sales }, { rows: items }, { rows: payments }] = [
    await ctx.tx.client.query(
      `SELECT s.*, u.name AS server_name, du.name AS discount_approver_name FROM sales s LEFT JOIN users u ON u.id = s.server_id
       LEFT JOIN users du ON du.id = s.discount_approved_by
       WHERE s.company_id = $1 AND s.id = ANY($2::uuid[])`,
      [ctx.companyId, ids],
    ),
    await ctx.tx.client.query(
      `SELECT i.*, du.name AS discount_approver_name FROM sale_items i LEFT JOIN users du ON du.id = i.discount_approved_by
       WHERE i.company_id = $1 AND i.sale_id = ANY($2::uuid[]) ORDER BY i.added_at, i.id`,
      [ctx.companyId, ids],
    ),
    await ctx.tx.client.query('SELECT * FROM payments WHERE company_id = $1 AND sale_id = ANY($2::uuid[]) ORDER BY created_at, id', [ctx.companyId, ids]),
  ];
  const labels = await tableLabels(ctx, sales.map((s) => s.table_id).filter(Boolean));
  const refunds = await refundsOf(ctx, ids);
  const byId = new Map(
    sales.map((s) => {
      const rows = items.filter((i) => i.sale_id === s.id);
      const pricing = priceSale(
        rows.map((i) => ({ unitPrice: Number(i.unit_price), quantity: i.quantity, taxRate: i.tax_rate, discount: specOf(i) })),
        specOf(s),
      );
      const lines = rows.map((i, n) => ({
        id: i.id,
        productId: i.product_id,
        name: i.name,
        unitPrice: Number(i.unit_price),
        taxRate: i.tax_rate,
        quantity: i.quantity,
        note: i.note,
        lineTotal: pricing.lines[n]!.lineTotal,
        discount: discountOf(i, pricing.lines[n]!.discount),
        netTotal: pricing.lines[n]!.net,
      }));
      const salePayments = payments.filter((p) => p.sale_id === s.id);
      const sale: Sale = {
        id: s.id,
        reference: s.reference,
        status: s.status,
        channel: s.channel,
        tableId: s.table_id,
        tableLabel: s.table_id ? (labels.get(s.table_id) ?? null) : null,
        customerName: s.customer_name,
        serverId: s.server_id,
        serverName: s.server_name ?? null,
        items: lines,
        discount: discountOf(s, pricing.saleDiscount),
        discountTotal: pricing.discountTotal,
        totals: pricing.totals,
        tips: salePayments.reduce((a, p) => a + Number(p.tip), 0),
        currency: s.currency,
        paid: Number(s.paid),
        due: Number(s.total) - Number(s.paid),
        payments: salePayments.map((p) => ({
          id: p.id,
          method: p.method,
          amount: Number(p.amount),
          tendered: p.tendered === null ? null : Number(p.tendered),
          change: Number(p.change),
          reference: p.reference,
          tip: Number(p.tip),
          serverId: p.server_id,
          createdAt: p.created_at.toISOString(),
        })),
        refunded: Number(s.refunded),
        refunds: refunds.filter((r) => r.saleId === s.id),
        openedAt: s.opened_at.toISOString(),
        paidAt: s.paid_at?.toISOString() ?? null,
        cancelledAt: s.cancelled_at?.toISOString() ?? null,
        cancelReason: s.cancel_reason,
        version: s.version,
      };
      return [s.id as string, sale];
    }),
  );
  return ids.map((id) => byId.get(id)).filter((s): s is Sale => !!s);
}

export async function getSale(ctx: Ctx, id: string): Promise<Sale> {
  const [sale] = await salesByIds(ctx, [id]);
  if (!sale) throw notFound('sale.not_found');
  return sale;
}

/** The sale with its story: every event about it, in order. */
export async function getSaleWithEvents(ctx: Ctx, id: string): Promise<Sale & { events: EventSummary[] }> {
  return { ...(await getSale(ctx, id)), events: await eventsAbout(ctx.tx, ctx.companyId, 'saleId', id) };
}

export interface SaleFilter {
  status?: string;
  from?: string;
  to?: string;
  tableId?: string;
  serverId?: string;
  channel?: string;
  limit: number;
  cursor?: string;
}

/** Sales newest first; from/to are inclusive local dates in the company's time zone. */
export async function listSales(ctx: Ctx, f: SaleFilter): Promise<Page<Sale>> {
  const { timezone } = await getCompany(ctx);
  const { start, end } = localDateRange(timezone, f.from, f.to);
  const after = decodeCursor(f.cursor, 2) as [string, string] | null;
  const { rows } = await ctx.tx.client.query(
    `SELECT id, opened_at FROM sales WHERE company_id = $1
       AND ($2::text IS NULL OR status = $2) AND ($3::timestamptz IS NULL OR opened_at >= $3) AND ($4::timestamptz IS NULL OR opened_at < $4)
       AND ($5::uuid IS NULL OR table_id = $5) AND ($6::uuid IS NULL OR server_id = $6) AND ($7::text IS NULL OR channel = $7)
       AND ($8::timestamptz IS NULL OR (opened_at, id) < ($8::timestamptz, $9::uuid))
     ORDER BY opened_at DESC, id DESC LIMIT $10`,
    [ctx.companyId, f.status ?? null, start ?? null, end ?? null, f.tableId ?? null, f.serverId ?? null, f.channel ?? null, after?.[0] ?? null,
      after?.[1] ?? null, f.limit + 1],
  );
  const page = pageOf(rows, f.limit, (r) => r.id as string, (r) => [r.opened_at.toISOString(), r.id]);
  return { items: await salesByIds(ctx, page.items), nextCursor: page.nextCursor };
}

/** For the floor: the open sale of each occupied table, and each table's last 30 days. */
export async function floorFigures(ctx: Ctx) {
  const { rows: open } = await ctx.tx.client.query(
    `SELECT s.id, s.table_id, s.reference, s.customer_name, s.server_id, u.name AS server_name, s.total, s.opened_at,
            (SELECT coalesce(sum(quantity), 0)::int FROM sale_items i WHERE i.company_id = s.company_id AND i.sale_id = s.id) AS item_count
     FROM sales s LEFT JOIN users u ON u.id = s.server_id
     WHERE s.company_id = $1 AND s.status = 'open' AND s.table_id IS NOT NULL`,
    [ctx.companyId],
  );
  const since = new Date(ctx.clock.now().getTime() - 30 * 86_400_000);
  const { rows: stats } = await ctx.tx.client.query(
    `SELECT table_id, count(*)::int AS sales, coalesce(sum(total), 0)::bigint AS revenue,
            avg(extract(epoch FROM (paid_at - opened_at)) / 60) AS avg_minutes
     FROM sales WHERE company_id = $1 AND table_id IS NOT NULL AND status IN ('paid', 'partially_refunded', 'refunded') AND opened_at >= $2
     GROUP BY table_id`,
    [ctx.companyId, since],
  );
  return {
    openSales: new Map(
      open.map((s) => [
        s.table_id as string,
        { id: s.id, reference: s.reference, customerName: s.customer_name, serverId: s.server_id, serverName: s.server_name ?? null,
          occupiedSince: s.opened_at.toISOString(), itemCount: s.item_count, total: Number(s.total) },
      ]),
    ),
    stats: new Map(
      stats.map((r) => [
        r.table_id as string,
        { avgOccupationMinutes: r.avg_minutes === null ? null : Math.round(Number(r.avg_minutes)), salesCount: r.sales, revenue: Number(r.revenue) },
      ]),
    ),
  };
}
