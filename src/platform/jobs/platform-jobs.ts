import { inTransaction } from '../db/tx.ts';
import { defineJob } from './index.ts';

/** Sends one e-mail; enqueued by commands in their transaction, retried by pg-boss. */
export const mailJob = defineJob<{ to: string; subject: string; text: string; html?: string }>({
  name: 'mail.send',
  retryLimit: 5,
  handler: async (deps, data) => {
    await deps.mailer.send(data);
  },
});

/**
 * Daily housekeeping: monthly event-log partitions a year ahead, and expired
 * idempotency keys, sessions, reset tokens and sign-in counters.
 */
export const maintenanceJob = defineJob({
  name: 'platform.maintenance',
  cron: '17 3 * * *',
  handler: async (deps) => {
    const now = deps.clock.now();
    await inTransaction(deps.db, { kind: 'system' }, async (tx) => {
      const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
      await tx.client.query('SELECT comptoir_ensure_event_partitions($1::date, 14)', [start.toISOString().slice(0, 10)]);
      await tx.client.query('DELETE FROM idempotency_keys WHERE expires_at < $1', [now]);
      await tx.client.query('DELETE FROM auth_sessions WHERE expires_at < $1', [now]);
      await tx.client.query('DELETE FROM password_resets WHERE expires_at < $1', [now]);
      await tx.client.query(`DELETE FROM auth_throttle WHERE window_start < $1::timestamptz - interval '1 day'`, [now]);
    });
    deps.log.info({ job: 'platform.maintenance' }, 'maintenance done');
  },
});
