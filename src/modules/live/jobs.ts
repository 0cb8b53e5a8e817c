import { inTransaction } from '../../platform/db/tx.ts';
import { defineJob, type JobDeps } from '../../platform/jobs/index.ts';
import { cancelOrder } from './service.ts';

/** How long an order may stay open after its live has ended before its goods go back on sale. */
export const ABANDONED_AFTER_HOURS = 24;

/**
 * Orders still active a day after their live ended were abandoned (the customer never
 * paid or gave a zone): each is cancelled and its held goods go back on sale. Racing
 * runs cancel each once (the order row is locked and must still be active).
 */
export async function cancelAbandonedLiveOrders(deps: JobDeps): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - ABANDONED_AFTER_HOURS * 3_600_000);
  const { rows } = await deps.db.pool.query(
    `SELECT o.company_id, o.id FROM live_orders o JOIN live_sessions s ON s.company_id = o.company_id AND s.id = o.live_session_id
     WHERE o.status = 'active' AND s.ended_at IS NOT NULL AND s.ended_at <= $1 ORDER BY o.company_id LIMIT 1000`,
    [cutoff],
  );
  let cancelled = 0;
  for (const r of rows) {
    const done = await inTransaction(deps.db, { kind: 'company', companyId: r.company_id }, async (tx) => {
      const ctx = { companyId: r.company_id as string, actor: { type: 'job' as const, id: 'live.abandoned-orders' }, clock: deps.clock, tx };
      const { rows: still } = await tx.client.query(`SELECT 1 FROM live_orders WHERE company_id = $1 AND id = $2 AND status = 'active' FOR UPDATE`, [r.company_id, r.id]);
      if (!still.length) return false;
      await cancelOrder(ctx, r.id);
      return true;
    });
    if (done) cancelled++;
  }
  return cancelled;
}

export const abandonedLiveOrdersJob = defineJob({
  name: 'live.abandoned-orders',
  cron: '23 * * * *',
  handler: async (deps) => {
    await cancelAbandonedLiveOrders(deps);
  },
});
