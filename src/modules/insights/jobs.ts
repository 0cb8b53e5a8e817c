import type { Ctx } from '../../platform/context.ts';
import { addDays, localDateOf } from '../../platform/dates.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { append } from '../../platform/events/append.ts';
import { defineJob, type JobDeps } from '../../platform/jobs/index.ts';
import { formatMoney } from '../payments/index.ts';
import { getCompany } from '../tenancy/index.ts';
import { daysBetween, FINAL_AFTER_DAYS, freezeDays, sumDays } from './figures.ts';

const jobCtx = (deps: JobDeps, companyId: string, tx: Ctx['tx'], job: string): Ctx => ({ companyId, actor: { type: 'job', id: job }, clock: deps.clock, tx });
const inCompany = <T>(deps: JobDeps, companyId: string, job: string, fn: (ctx: Ctx) => Promise<T>) =>
  inTransaction(deps.db, { kind: 'company', companyId }, (tx) => fn(jobCtx(deps, companyId, tx, job)));

/** How far back the first build of a company's figures goes. */
const MAX_BACKFILL_DAYS = 400;

/**
 * Freezes each company's final days (older than FINAL_AFTER_DAYS, in its time zone)
 * that are not frozen yet, from the day after the last frozen one (or its first
 * sale). Never touches a sale's transaction: the figures are built here, off the hot path.
 */
export async function buildRollups(deps: JobDeps): Promise<number> {
  const { rows: companies } = await deps.db.pool.query('SELECT id FROM companies');
  let built = 0;
  for (const { id } of companies) {
    built += await inCompany(deps, id, 'insights.rollup', async (ctx) => {
      const { timezone, createdAt } = await getCompany(ctx);
      const lastFinal = addDays(localDateOf(ctx.clock.now(), timezone), -FINAL_AFTER_DAYS);
      const { rows } = await ctx.tx.client.query(
        `SELECT to_char(max(day), 'YYYY-MM-DD') AS last FROM daily_figures WHERE company_id = $1`,
        [id],
      );
      const { rows: first } = await ctx.tx.client.query(
        `SELECT least((SELECT min(opened_at) FROM sales WHERE company_id = $1), (SELECT min(created_at) FROM payment_sessions WHERE company_id = $1), $2::timestamptz) AS at`,
        [id, createdAt],
      );
      const floor = addDays(lastFinal, -MAX_BACKFILL_DAYS);
      let from = rows[0].last ? addDays(rows[0].last, 1) : localDateOf(first[0].at, timezone);
      if (from < floor) from = floor;
      return freezeDays(ctx, timezone, from, lastFinal);
    });
  }
  return built;
}

export const rollupJob = defineJob({
  name: 'insights.rollup',
  cron: '7 * * * *',
  handler: async (deps) => {
    await buildRollups(deps);
  },
});

/**
 * At each company's dailySummaryTime (its time zone), once per company and local date
 * (a claim row decides races between instances), `daily_summary` with the day's
 * figures — a notification for managers — and an e-mail to managers who opted in.
 */
export async function sendDailySummaries(deps: JobDeps): Promise<number> {
  const { rows: companies } = await deps.db.pool.query('SELECT id FROM companies');
  let sent = 0;
  for (const { id } of companies) {
    const done = await inCompany(deps, id, 'insights.daily-summary', async (ctx) => {
      const company = await getCompany(ctx);
      const now = ctx.clock.now();
      const date = localDateOf(now, company.timezone);
      const localTime = new Intl.DateTimeFormat('en-GB', { timeZone: company.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
      if (localTime < company.settings.dailySummaryTime) return false;
      const claim = await ctx.tx.client.query('INSERT INTO daily_summaries (company_id, day, sent_at) VALUES ($1, $2::date, $3) ON CONFLICT DO NOTHING', [id, date, now]);
      if (!claim.rowCount) return false;
      const t = sumDays(await daysBetween(ctx, company.timezone, date, date));
      const figures = {
        date,
        salesCount: t.salesCount,
        revenue: t.salesRevenue,
        currency: company.currency,
        sessions: t.sessionsTotal,
        paidSessions: t.sessionsPaid,
        refunds: t.refundsAmount,
      };
      append(ctx, 'daily_summary', figures);
      const { rows: managers } = await ctx.tx.client.query(
        `SELECT u.email, u.name, u.locale FROM memberships m JOIN users u ON u.id = m.user_id
         JOIN notification_preferences p ON p.company_id = m.company_id AND p.user_id = m.user_id AND p.email_daily_summary
         WHERE m.company_id = $1 AND m.role IN ('owner', 'manager') AND u.email IS NOT NULL`,
        [id],
      );
      if (deps.mailer.enabled) {
        for (const m of managers) await deps.jobs.enqueue(ctx, 'mail.send', summaryMail(m, company.name, figures));
      }
      return true;
    });
    if (done) sent++;
  }
  return sent;
}

function summaryMail(to: { email: string; name: string; locale: string | null }, business: string, f: { date: string; salesCount: number; revenue: number; currency: string; sessions: number; paidSessions: number; refunds: number }) {
  const m = (n: number) => formatMoney(n, f.currency);
  const en = to.locale === 'en';
  const lines = en
    ? [`Hello ${to.name},`, '', `${business} on ${f.date}:`, `- ${f.salesCount} sales, ${m(f.revenue)}`, `- QR sessions: ${f.sessions} (${f.paidSessions} paid)`, `- refunds: ${m(f.refunds)}`]
    : [`Bonjour ${to.name},`, '', `${business} le ${f.date} :`, `- ${f.salesCount} ventes, ${m(f.revenue)}`, `- sessions QR : ${f.sessions} (${f.paidSessions} payées)`, `- remboursements : ${m(f.refunds)}`];
  return { to: to.email, subject: en ? `${business}: summary of ${f.date}` : `${business} : résumé du ${f.date}`, text: `${lines.join('\n')}\n\nComptoir` };
}

export const dailySummaryJob = defineJob({
  name: 'insights.daily-summary',
  cron: '*/5 * * * *',
  handler: async (deps) => {
    await sendDailySummaries(deps);
  },
});

/**
 * Audit retention: whole monthly partitions of the event log are dropped once every
 * company's auditRetentionMonths has passed them (partitions are shared, so the
 * longest retention decides; the API hides what a company's own setting excludes).
 * Nothing is deleted row by row: the log stays append-only.
 */
export async function dropExpiredPartitions(deps: JobDeps): Promise<string[]> {
  const { rows: companies } = await deps.db.pool.query(`SELECT coalesce(max(coalesce((settings->>'auditRetentionMonths')::int, 12)), 12) AS months FROM companies`);
  const months = Math.max(1, Number(companies[0].months));
  const now = deps.clock.now();
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  const { rows } = await deps.db.pool.query(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'events'::regclass AND c.relname ~ '^events_\\d{4}_\\d{2}$'`,
  );
  const dropped: string[] = [];
  for (const r of rows) {
    const [, y, mo] = /^events_(\d{4})_(\d{2})$/.exec(r.name) ?? [];
    const end = new Date(Date.UTC(Number(y), Number(mo), 1)); // first instant after the partition
    if (end > cutoff) continue;
    await deps.db.pool.query(`DROP TABLE ${r.name}`);
    dropped.push(r.name);
  }
  if (dropped.length) deps.log.info({ job: 'insights.retention', dropped }, 'event partitions dropped');
  return dropped;
}

export const retentionJob = defineJob({
  name: 'insights.retention',
  cron: '41 3 * * *',
  handler: async (deps) => {
    await dropExpiredPartitions(deps);
  },
});
