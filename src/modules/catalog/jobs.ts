import { inTransaction } from '../../platform/db/tx.ts';
import { defineJob } from '../../platform/jobs/index.ts';
import { lockProducts, saveStock } from './stock.ts';

/**
 * Every minute: expires lapsed holds (hold_expired events, owners told) company by
 * company. Safe to run twice at once (job and CLI): each takes the product locks and
 * only expires holds still active.
 */
export const releaseExpiredHolds = defineJob({
  name: 'release-expired-holds',
  cron: '* * * * *',
  handler: async (deps) => {
    const now = deps.clock.now();
    const { rows } = await deps.db.pool.query(
      `SELECT company_id, array_agg(DISTINCT product_id)::text[] AS products FROM holds
       WHERE status = 'active' AND expires_at <= $1 GROUP BY company_id`,
      [now],
    );
    for (const r of rows) {
      await inTransaction(deps.db, { kind: 'company', companyId: r.company_id }, async (tx) => {
        const ctx = { companyId: r.company_id as string, actor: { type: 'job' as const, id: 'release-expired-holds' }, clock: deps.clock, tx };
        const stock = await lockProducts(ctx, r.products as string[]);
        await saveStock(ctx, stock);
      });
    }
  },
});
