import { inTransaction } from '../../platform/db/tx.ts';
import { append } from '../../platform/events/append.ts';
import { defineJob } from '../../platform/jobs/index.ts';
import { getCompany } from '../tenancy/index.ts';

/**
 * Every 5 minutes: one `session_long` per cash session open longer than the company's
 * cashSessionMaxHours (to managers and the session's cashier). Racing runs alert once.
 */
export const sessionsOpenLong = defineJob({
  name: 'cash-session-long',
  cron: '*/5 * * * *',
  handler: async (deps) => {
    const { rows } = await deps.db.pool.query(`SELECT DISTINCT company_id FROM cash_sessions WHERE status = 'open' AND NOT long_alerted`);
    for (const r of rows) {
      await inTransaction(deps.db, { kind: 'company', companyId: r.company_id }, async (tx) => {
        const ctx = { companyId: r.company_id as string, actor: { type: 'job' as const, id: 'cash-session-long' }, clock: deps.clock, tx };
        const { settings } = await getCompany(ctx);
        const now = deps.clock.now();
        const { rows: sessions } = await tx.client.query(
          `UPDATE cash_sessions SET long_alerted = true
           WHERE company_id = $1 AND status = 'open' AND NOT long_alerted AND opened_at <= $2
           RETURNING id, opened_by, opened_at`,
          [ctx.companyId, new Date(now.getTime() - settings.cashSessionMaxHours * 3_600_000)],
        );
        for (const s of sessions) {
          const openHours = Math.floor((now.getTime() - s.opened_at.getTime()) / 3_600_000);
          append(ctx, 'session_long', { cashSessionId: s.id, openHours, cashierId: s.opened_by ?? undefined }, { level: 'warning', subjects: { cashSessionId: s.id } });
        }
      });
    }
  },
});
