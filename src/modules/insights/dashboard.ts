import type { Ctx } from '../../platform/context.ts';
import { addDays, localDateOf } from '../../platform/dates.ts';
import { invalid } from '../../platform/errors.ts';
import { listProducts } from '../catalog/index.ts';
import { getCompany } from '../tenancy/index.ts';
import { CHANNELS, daysBetween, METHODS, sumDays } from './figures.ts';

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** GET …/dashboard: the caller's company, inclusive local dates, in its time zone. */
export async function dashboard(ctx: Ctx, q: { from?: string; to?: string }) {
  const company = await getCompany(ctx);
  const today = localDateOf(ctx.clock.now(), company.timezone);
  const from = q.from ?? q.to ?? today;
  const to = q.to ?? (q.from && q.from > today ? q.from : today);
  if (from > to) throw invalid('from', 'after_to');
  if (addDays(from, 366) <= to) throw invalid('to', 'range_too_long');
  const t = sumDays(await daysBetween(ctx, company.timezone, from, to));
  const c = ctx.tx.client;
  const [{ rows: active }, { rows: tables }, { rows: lowCount }] = [
    await c.query(
      `SELECT count(*)::int AS n FROM payment_sessions WHERE company_id = $1 AND status IN ('created', 'scanned', 'identified', 'service_selected', 'payment_initiated')`,
      [ctx.companyId],
    ),
    await c.query(`SELECT count(*) FILTER (WHERE status = 'occupied')::int AS occupied, count(*)::int AS total FROM dining_tables WHERE company_id = $1 AND active`, [ctx.companyId]),
    await c.query(
      `SELECT count(*)::int AS n FROM products p
       LEFT JOIN LATERAL (SELECT sum(h.quantity)::int AS lapsed FROM holds h WHERE h.company_id = p.company_id AND h.product_id = p.id AND h.status = 'active' AND h.expires_at <= $2) x ON true
       WHERE p.company_id = $1 AND p.kind = 'good' AND p.active AND p.archived_at IS NULL AND p.on_hand - (p.held - coalesce(x.lapsed, 0)) <= p.low_stock_threshold`,
      [ctx.companyId, ctx.clock.now()],
    ),
  ];
  const low = await listProducts(ctx, { lowStock: true, active: true, limit: 20 });
  const byChannel = Object.fromEntries(CHANNELS.map((ch) => [ch, t.byChannel[ch] ?? { count: 0, revenue: 0 }]));
  const byMethod = Object.fromEntries(METHODS.map((m) => [m, t.byMethod[m] ?? 0]));
  return {
    from,
    to,
    timeZone: company.timezone,
    currency: company.currency,
    sessions: {
      total: t.sessionsTotal,
      // Sessions still under way now (whenever they were opened).
      active: active[0].n as number,
      paid: t.sessionsPaid,
      abandoned: t.sessionsAbandoned,
      expired: t.sessionsExpired,
      failed: t.sessionsFailed,
      conversionRate: t.sessionsTotal ? round4(t.sessionsPaid / t.sessionsTotal) : 0,
    },
    payments: {
      total: t.paymentsCount + t.paymentsFailed,
      succeeded: t.paymentsCount,
      failed: t.paymentsFailed,
      revenue: t.paymentsAmount,
      averageAmount: t.paymentsCount ? Math.round(t.paymentsAmount / t.paymentsCount) : 0,
    },
    sales: { count: t.salesCount, revenue: t.salesRevenue, byChannel, byMethod },
    refunds: { count: t.refundsCount, amount: t.refundsAmount },
    tables: {
      occupiedNow: tables[0].occupied as number,
      total: tables[0].total as number,
      averageOccupationMinutes: t.tableSales ? Math.round(t.tableMinutes / t.tableSales) : null,
    },
    stockAlerts: {
      open: lowCount[0].n as number,
      items: low.items.map((p) => ({ productId: p.id, name: p.name, available: p.available, threshold: p.lowStockThreshold })),
    },
  };
}

/** GET …/dashboard/daily: one entry per local day ending today, oldest first. */
export async function dashboardDaily(ctx: Ctx, days: number) {
  const company = await getCompany(ctx);
  const today = localDateOf(ctx.clock.now(), company.timezone);
  const figures = await daysBetween(ctx, company.timezone, addDays(today, -(days - 1)), today);
  return {
    timeZone: company.timezone,
    currency: company.currency,
    days: figures.map((d) => ({ date: d.date, sessions: d.sessionsTotal, paidSessions: d.sessionsPaid, payments: d.paymentsCount, revenue: d.salesRevenue })),
  };
}

/** GET …/dashboard/errors: error and critical events of the last hours, with where to follow them. */
export async function dashboardErrors(ctx: Ctx, hours: number) {
  const since = new Date(ctx.clock.now().getTime() - hours * 3_600_000);
  const { rows } = await ctx.tx.client.query(
    `SELECT id, type, level, created_at, subjects, data, request_id FROM events
     WHERE company_id = $1 AND level IN ('error', 'critical') AND created_at >= $2 ORDER BY created_at DESC, position DESC LIMIT 100`,
    [ctx.companyId, since],
  );
  return {
    items: rows.map((r) => {
      const s = r.subjects as Record<string, string>;
      const d = r.data as Record<string, unknown>;
      const message = typeof d.message === 'string' ? d.message : typeof d.issue === 'string' ? d.issue : typeof d.reason === 'string' ? d.reason : null;
      return {
        id: r.id as string,
        type: r.type as string,
        level: r.level as string,
        at: r.created_at.toISOString() as string,
        message,
        requestId: (r.request_id as string | null) ?? (typeof d.requestId === 'string' ? d.requestId : null),
        route: typeof d.route === 'string' ? d.route : null,
        subjects: s,
        trail: s.paymentId ? { kind: 'payment' as const, id: s.paymentId } : s.paymentSessionId ? { kind: 'payment_session' as const, id: s.paymentSessionId } : null,
      };
    }),
  };
}
