import { inTransaction } from '../../platform/db/tx.ts';
import { defineJob } from '../../platform/jobs/index.ts';

export const RETENTION_DAYS = 90;

/** Daily: purges read notifications older than 90 days; unread ones stay whatever their age. */
export const purgeReadNotifications = defineJob({
  name: 'purge-read-notifications',
  cron: '41 2 * * *',
  handler: async (deps) => {
    const before = new Date(deps.clock.now().getTime() - RETENTION_DAYS * 86_400_000);
    await inTransaction(deps.db, { kind: 'system' }, async (tx) => {
      await tx.client.query('DELETE FROM notification_recipients WHERE read_at IS NOT NULL AND read_at < $1', [before]);
      // A notification nobody holds any more goes too.
      await tx.client.query(
        `DELETE FROM notifications n WHERE n.created_at < $1
         AND NOT EXISTS (SELECT 1 FROM notification_recipients r WHERE r.company_id = n.company_id AND r.notification_id = n.id)`,
        [before],
      );
    });
  },
});
