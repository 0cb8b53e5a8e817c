import type { Ctx } from '../../platform/context.ts';
import { addDays, startOfLocalDay } from '../../platform/dates.ts';

export const CHANNELS = ['counter', 'table', 'online', 'qr', 'live'] as const;
export const METHODS = ['cash', 'card', 'mobile_money'] as const;

/** One local day's figures (a `daily_figures` row, or computed live from the base tables). */
export interface DayFigures {
  date: string;
  sessionsTotal: number;
  sessionsPaid: number;
  sessionsAbandoned: number;
  sessionsExpired: number;
  sessionsFailed: number;
  paymentsCount: number;
  paymentsAmount: number;
  paymentsFailed: number;
  salesCount: number;
  salesRevenue: number;
  byChannel: Record<string, { count: number; revenue: number }>;
  byMethod: Record<string, number>;
  refundsCount: number;
  refundsAmount: number;
  tableSales: number;
  tableMinutes: number;
}

export const emptyDay = (date: string): DayFigures => ({
  date,
  sessionsTotal: 0,
  sessionsPaid: 0,
  sessionsAbandoned: 0,
  sessionsExpired: 0,
  sessionsFailed: 0,
  paymentsCount: 0,
  paymentsAmount: 0,
  paymentsFailed: 0,
  salesCount: 0,
  salesRevenue: 0,
  byChannel: {},
  byMethod: {},
  refundsCount: 0,
  refundsAmount: 0,
  tableSales: 0,
  tableMinutes: 0,
});

/**
 * Days older than this are final: nothing that happens later changes them (a session
 * created that day has expired or its payment has timed out by then), so the job may
 * freeze them in `daily_figures`. Newer days are always computed from the base tables.
 */
export const FINAL_AFTER_DAYS = 8;

/**
 * The figures of local days [from, to] computed from the base tables, one grouped
 * query per table over the whole span (never a loop over days). Each row is bucketed
 * by the start instants of the local days in the company's time zone (width_bucket,
 * a binary search over them), so a day is exactly its local 24 (or 23, or 25) hours,
 * without a time-zone conversion and date formatting per row.
 */
export async function liveDays(ctx: Ctx, timeZone: string, from: string, to: string): Promise<Map<string, DayFigures>> {
  // bounds[i] is the first instant of dates[i]; the last bound ends the span, so bucket b is dates[b - 1].
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
  const bounds = [...dates, addDays(to, 1)].map((d) => startOfLocalDay(d, timeZone));
  const start = bounds[0];
  const end = bounds[bounds.length - 1];
  const days = new Map<string, DayFigures>();
  const day = (bucket: number) => {
    const key = dates[bucket - 1]!;
    let f = days.get(key);
    if (!f) {
      f = emptyDay(key);
      days.set(key, f);
    }
    return f;
  };
  const q = (sql: string) => ctx.tx.client.query(sql, [ctx.companyId, start, end, bounds]);
  const local = (col: string) => `width_bucket(${col}, $4::timestamptz[])`;
  const [sessions, tenders, failed, sales, refunds] = [
    await q(`SELECT ${local('created_at')} AS b, count(*)::int AS total,
        count(*) FILTER (WHERE status = 'paid')::int AS paid, count(*) FILTER (WHERE status = 'abandoned')::int AS abandoned,
        count(*) FILTER (WHERE status = 'expired')::int AS expired, count(*) FILTER (WHERE status = 'failed')::int AS failed
      FROM payment_sessions WHERE company_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY 1`),
    await q(`SELECT ${local('created_at')} AS b, method, count(*)::int AS n, sum(amount)::bigint AS amount
      FROM payments WHERE company_id = $1 AND created_at >= $2 AND created_at < $3 AND status = 'succeeded' GROUP BY 1, 2`),
    await q(`SELECT ${local('updated_at')} AS b, count(*)::int AS n
      FROM payment_intents WHERE company_id = $1 AND updated_at >= $2 AND updated_at < $3 AND status IN ('failed', 'expired')
        AND coalesce(failure_reason, '') NOT IN ('replaced', 'superseded') GROUP BY 1`),
    await q(`SELECT ${local('paid_at')} AS b, channel, count(*)::int AS n, sum(total)::bigint AS revenue,
        count(*) FILTER (WHERE table_id IS NOT NULL)::int AS table_sales,
        coalesce(sum(extract(epoch FROM paid_at - opened_at) / 60) FILTER (WHERE table_id IS NOT NULL), 0)::bigint AS table_minutes
      FROM sales WHERE company_id = $1 AND paid_at >= $2 AND paid_at < $3 AND status IN ('paid', 'partially_refunded', 'refunded') GROUP BY 1, 2`),
    await q(`SELECT ${local('decided_at')} AS b, count(*)::int AS n, sum(amount)::bigint AS amount
      FROM refunds WHERE company_id = $1 AND decided_at >= $2 AND decided_at < $3 AND status = 'approved' GROUP BY 1`),
  ];
  for (const r of sessions.rows) {
    const f = day(r.b);
    f.sessionsTotal += r.total;
    f.sessionsPaid += r.paid;
    f.sessionsAbandoned += r.abandoned;
    f.sessionsExpired += r.expired;
    f.sessionsFailed += r.failed;
  }
  for (const r of tenders.rows) {
    const f = day(r.b);
    f.paymentsCount += r.n;
    f.paymentsAmount += Number(r.amount);
    f.byMethod[r.method] = (f.byMethod[r.method] ?? 0) + Number(r.amount);
  }
  for (const r of failed.rows) day(r.b).paymentsFailed += r.n;
  for (const r of sales.rows) {
    const f = day(r.b);
    f.salesCount += r.n;
    f.salesRevenue += Number(r.revenue);
    f.byChannel[r.channel] ??= { count: 0, revenue: 0 };
    const c = f.byChannel[r.channel]!;
    c.count += r.n;
    c.revenue += Number(r.revenue);
    f.tableSales += r.table_sales;
    f.tableMinutes += Number(r.table_minutes);
  }
  for (const r of refunds.rows) {
    const f = day(r.b);
    f.refundsCount += r.n;
    f.refundsAmount += Number(r.amount);
  }
  return days;
}

const fromRow = (r: Record<string, any>): DayFigures => ({
  date: r.local_day,
  sessionsTotal: r.sessions_total,
  sessionsPaid: r.sessions_paid,
  sessionsAbandoned: r.sessions_abandoned,
  sessionsExpired: r.sessions_expired,
  sessionsFailed: r.sessions_failed,
  paymentsCount: r.payments_count,
  paymentsAmount: Number(r.payments_amount),
  paymentsFailed: r.payments_failed,
  salesCount: r.sales_count,
  salesRevenue: Number(r.sales_revenue),
  byChannel: r.by_channel,
  byMethod: r.by_method,
  refundsCount: r.refunds_count,
  refundsAmount: Number(r.refunds_amount),
  tableSales: r.table_sales,
  tableMinutes: Number(r.table_minutes),
});

/**
 * Figures for each local day of [from, to]: frozen rows for the leading days the job
 * has built, the rest from the base tables in one pass. Missing days are zeros.
 */
export async function daysBetween(ctx: Ctx, timeZone: string, from: string, to: string): Promise<DayFigures[]> {
  const { rows } = await ctx.tx.client.query(
    `SELECT f.*, to_char(f.day, 'YYYY-MM-DD') AS local_day FROM daily_figures f WHERE f.company_id = $1 AND f.day >= $2::date AND f.day <= $3::date ORDER BY f.day`,
    [ctx.companyId, from, to],
  );
  const frozen = new Map<string, DayFigures>();
  // Only a leading run of consecutive frozen days is used; everything after is live.
  let next = from;
  for (const r of rows) {
    if (r.local_day !== next) break;
    frozen.set(r.local_day, fromRow(r));
    next = addDays(next, 1);
  }
  const live = next <= to ? await liveDays(ctx, timeZone, next, to) : new Map<string, DayFigures>();
  const out: DayFigures[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(frozen.get(d) ?? live.get(d) ?? emptyDay(d));
  return out;
}

/** Freezes final days [from, to] (the rollup job): computed in one pass, upserted. */
export async function freezeDays(ctx: Ctx, timeZone: string, from: string, to: string): Promise<number> {
  if (from > to) return 0;
  const live = await liveDays(ctx, timeZone, from, to);
  const now = ctx.clock.now();
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const f = live.get(d) ?? emptyDay(d);
    await ctx.tx.client.query(
      `INSERT INTO daily_figures (company_id, day, sessions_total, sessions_paid, sessions_abandoned, sessions_expired, sessions_failed, payments_count,
         payments_amount, payments_failed, sales_count, sales_revenue, by_channel, by_method, refunds_count, refunds_amount, table_sales, table_minutes, built_at)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (company_id, day) DO UPDATE SET sessions_total = EXCLUDED.sessions_total, sessions_paid = EXCLUDED.sessions_paid,
         sessions_abandoned = EXCLUDED.sessions_abandoned, sessions_expired = EXCLUDED.sessions_expired, sessions_failed = EXCLUDED.sessions_failed,
         payments_count = EXCLUDED.payments_count, payments_amount = EXCLUDED.payments_amount, payments_failed = EXCLUDED.payments_failed,
         sales_count = EXCLUDED.sales_count, sales_revenue = EXCLUDED.sales_revenue, by_channel = EXCLUDED.by_channel, by_method = EXCLUDED.by_method,
         refunds_count = EXCLUDED.refunds_count, refunds_amount = EXCLUDED.refunds_amount, table_sales = EXCLUDED.table_sales,
         table_minutes = EXCLUDED.table_minutes, built_at = EXCLUDED.built_at`,
      [ctx.companyId, d, f.sessionsTotal, f.sessionsPaid, f.sessionsAbandoned, f.sessionsExpired, f.sessionsFailed, f.paymentsCount, f.paymentsAmount,
        f.paymentsFailed, f.salesCount, f.salesRevenue, JSON.stringify(f.byChannel), JSON.stringify(f.byMethod), f.refundsCount, f.refundsAmount,
        f.tableSales, f.tableMinutes, now],
    );
    n++;
  }
  return n;
}

/** Sums days into one figure set. */
export function sumDays(days: readonly DayFigures[]): Omit<DayFigures, 'date'> {
  const t = emptyDay('');
  for (const d of days) {
    for (const k of ['sessionsTotal', 'sessionsPaid', 'sessionsAbandoned', 'sessionsExpired', 'sessionsFailed', 'paymentsCount', 'paymentsAmount', 'paymentsFailed',
      'salesCount', 'salesRevenue', 'refundsCount', 'refundsAmount', 'tableSales', 'tableMinutes'] as const) {
      t[k] += d[k];
    }
    for (const [ch, v] of Object.entries(d.byChannel)) {
      t.byChannel[ch] ??= { count: 0, revenue: 0 };
      const c = t.byChannel[ch]!;
      c.count += v.count;
      c.revenue += v.revenue;
    }
    for (const [m, v] of Object.entries(d.byMethod)) t.byMethod[m] = (t.byMethod[m] ?? 0) + v;
  }
  const { date: _, ...rest } = t;
  return rest;
}
