import { inTransaction } from '../../platform/db/tx.ts';
import { append } from '../../platform/events/append.ts';
import { defineJob } from '../../platform/jobs/index.ts';
import { getCompany } from '../tenancy/index.ts';

/**
 * Every 5 minutes: one `table_occupied_long` per occupation longer than the company's
 * tableLongMinutes (to the table's server and managers). Racing runs alert once: the
 * flag is set by a guarded update.
 */
export const tablesOccupiedLong = defineJob({
  name: 'table-occupied-long',
  cron: '*/5 * * * *',
  handler: async (deps) => {
    const { rows } = await deps.db.pool.query(
      `SELECT DISTINCT company_id FROM dining_tables WHERE status = 'occupied' AND NOT long_alerted`,
    );
    for (const r of rows) {
      await inTransaction(deps.db, { kind: 'company', companyId: r.company_id }, async (tx) => {
        const ctx = { companyId: r.company_id as string, actor: { type: 'job' as const, id: 'table-occupied-long' }, clock: deps.clock, tx };
        const { settings } = await getCompany(ctx);
        const now = deps.clock.now();
        const { rows: tables } = await tx.client.query(
          `UPDATE dining_tables SET long_alerted = true
           WHERE company_id = $1 AND status = 'occupied' AND NOT long_alerted AND occupied_since <= $2
           RETURNING id, label, area_id, current_server_id, occupied_since`,
          [ctx.companyId, new Date(now.getTime() - settings.tableLongMinutes * 60_000)],
        );
        for (const t of tables) {
          const minutes = Math.floor((now.getTime() - t.occupied_since.getTime()) / 60_000);
          append(ctx, 'table_occupied_long', { tableId: t.id, minutes, label: t.label, areaId: t.area_id, serverId: t.current_server_id ?? undefined },
            { level: 'warning', subjects: { tableId: t.id } });
        }
      });
    }
  },
});
