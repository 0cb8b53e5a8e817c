import type { FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.ts';
import { type Database, inTransaction } from '../../platform/db/tx.ts';
import { append } from '../../platform/events/append.ts';
import type { Clock } from '../../platform/clock.ts';
import { contextOf } from '../../platform/http/command.ts';
import type { UnexpectedErrorSink } from '../../platform/http/problem.ts';
import type { Jobs } from '../../platform/jobs/index.ts';
import { redactText } from '../../platform/logger.ts';


/** Failures on these routes put money at stake: `critical`, and e-mailed. */
const CRITICAL_ROUTE = /\/(payments|payment-sessions|payment-requests|pay|webhooks|refunds)(\/|$)|\/checkout\/pay$/;

/**
 * An unexpected error (a 500) becomes a `system_error` event in the company's log,
 * written in its own transaction (the command's has rolled back), with the request id
 * to find the log lines. A critical one is also e-mailed to COMPTOIR_ALERT_EMAIL
 * (a job enqueued in that same transaction).
 */
export function systemErrorSink(deps: { db: Database; clock: Clock; config: Config; jobs: Pick<Jobs, 'enqueue'> }): UnexpectedErrorSink {
  return async (err: Error, req: FastifyRequest) => {
    const companyId = req.company?.companyId ?? req.errorCompanyId;
    if (!companyId) return;
    const route = req.routeOptions.url ?? req.url.split('?')[0] ?? '';
    const critical = CRITICAL_ROUTE.test(route);
    const message = redactText(err.message || err.name).slice(0, 300);
    await inTransaction(deps.db, { kind: 'company', companyId }, async (tx) => {
      const ctx = contextOf(req, deps, tx, companyId);
      append(ctx, 'system_error', { message, requestId: String(req.id), route, method: req.method }, { level: critical ? 'critical' : 'error' });
      if (critical && deps.config.alertEmail) {
        const { rows } = await tx.client.query('SELECT name FROM companies WHERE id = $1', [companyId]);
        await deps.jobs.enqueue(ctx, 'mail.send', {
          to: deps.config.alertEmail,
          subject: `[Comptoir] Erreur critique — ${rows[0]?.name ?? companyId}`,
          text: [
            `Une erreur inattendue est survenue / An unexpected error occurred.`,
            '',
            `Entreprise / Company: ${rows[0]?.name ?? ''} (${companyId})`,
            `Requête / Request: ${req.method} ${route}`,
            `Identifiant / Request id: ${req.id}`,
            `Message: ${message}`,
            `Date: ${deps.clock.now().toISOString()}`,
          ].join('\n'),
        });
      }
    });
  };
}
