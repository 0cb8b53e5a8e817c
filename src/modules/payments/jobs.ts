import type { Ctx } from '../../platform/context.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { append } from '../../platform/events/append.ts';
import { defineJob, type JobDeps } from '../../platform/jobs/index.ts';
import { paymentsLogger } from '../../platform/logger.ts';
import { getCompany } from '../tenancy/index.ts';
import { type PaymentsEnv, providerByName } from './credentials.ts';
import { failIntent, getIntent, type IntentRow, settleIntent, subjectsOf } from './intents.ts';
import { ProviderError } from './providers.ts';
import { type Channel, type ReceiptContent, receiptHtml, receiptSms, receiptText } from './receipts.ts';
import { Sealer } from './secrets.ts';
import { expireLapsedSessions } from './sessions.ts';

export function envOf(deps: JobDeps): PaymentsEnv {
  return { config: deps.config, sealer: new Sealer(deps.config), publicUrl: deps.publicUrl, jobs: deps.jobs, mailerEnabled: deps.mailer.enabled, log: paymentsLogger(deps.config) };
}

const jobCtx = (deps: JobDeps, companyId: string, tx: Ctx['tx'], job: string): Ctx => ({ companyId, actor: { type: 'job', id: job }, clock: deps.clock, tx });

function inCompany<T>(deps: JobDeps, companyId: string, job: string, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return inTransaction(deps.db, { kind: 'company', companyId }, (tx) => fn(jobCtx(deps, companyId, tx, job)));
}

/**
 * Every minute, per company with something open:
 * - QR sessions older than qrSessionMinutes that never reached payment expire (`session_expired`);
 * - payments pending longer than paymentTimeoutMinutes: the provider is asked first, and
 *   only if it says the money did not come in is the payment failed (its checkout
 *   closed at the provider); an unreachable provider is asked again next time;
 * - a card checkout for an online order that was cancelled or whose hold lapsed is
 *   expired at Stripe, so it cannot be paid any more.
 */
export async function sweepPayments(deps: JobDeps): Promise<{ expiredSessions: number; checked: number; failed: number; settled: number }> {
  const env = envOf(deps);
  const out = { expiredSessions: 0, checked: 0, failed: 0, settled: 0 };
  const { rows: companies } = await deps.db.pool.query(
    `SELECT company_id FROM payment_sessions WHERE status IN ('created', 'scanned', 'identified', 'service_selected')
     UNION SELECT company_id FROM payment_intents WHERE status = 'pending'`,
  );
  for (const { company_id: companyId } of companies) {
    out.expiredSessions += await inCompany(deps, companyId, 'payments.sweep', expireLapsedSessions);
    const due = await inCompany(deps, companyId, 'payments.sweep', async (ctx) => {
      const { settings } = await getCompany(ctx);
      const cutoff = new Date(ctx.clock.now().getTime() - settings.paymentTimeoutMinutes * 60_000);
      const { rows } = await ctx.tx.client.query(
        `SELECT i.id, (i.created_at <= $2) AS timed_out,
           (i.purpose = 'order' AND o.status IN ('cancelled', 'expired')) AS orphaned
         FROM payment_intents i LEFT JOIN online_orders o ON o.company_id = i.company_id AND o.id = i.order_id
         WHERE i.company_id = $1 AND i.status = 'pending' AND (i.created_at <= $2 OR (i.purpose = 'order' AND o.status IN ('cancelled', 'expired')))
         ORDER BY i.created_at LIMIT 200`,
        [companyId, cutoff],
      );
      return rows as Array<{ id: string; timed_out: boolean; orphaned: boolean }>;
    });
    for (const d of due) {
      out.checked++;
      const outcome = await checkPending(deps, env, companyId, d.id, d.orphaned ? 'order_closed' : 'timeout');
      if (outcome === 'failed') out.failed++;
      if (outcome === 'settled') out.settled++;
    }
  }
  return out;
}

/** Asks the provider about one pending payment, then settles or fails it accordingly. */
export async function checkPending(deps: JobDeps, env: PaymentsEnv, companyId: string, id: string, reason: string): Promise<'settled' | 'failed' | 'pending' | 'unreachable'> {
  const intent = await inCompany(deps, companyId, 'payments.sweep', (ctx) => getIntent(ctx, id));
  if (intent.status !== 'pending') return 'pending';
  if (intent.provider === 'cash') {
    await inCompany(deps, companyId, 'payments.sweep', (ctx) => failIntent(ctx, id, reason));
    return 'failed';
  }
  const provider = await inCompany(deps, companyId, 'payments.sweep', (ctx) => providerByName(ctx, env, intent.provider as 'stripe' | 'mobile_money'));
  try {
    if (provider && intent.providerReference) {
      const status = await provider.lookup(intent.providerReference);
      if (status.status === 'succeeded') {
        await inCompany(deps, companyId, 'payments.sweep', (ctx) => settleIntent(ctx, env, id, { received: status.received ?? intent.amount }));
        return 'settled';
      }
      // Not paid: close it at the provider so it cannot be paid later, then fail it here.
      if (status.status === 'pending') await provider.cancel(intent.providerReference);
    }
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    deps.log.warn({ paymentId: id, code: err.code }, 'provider not reachable; payment left pending');
    return 'unreachable';
  }
  await inCompany(deps, companyId, 'payments.sweep', (ctx) => failIntent(ctx, id, reason, reason === 'order_closed' ? 'expired' : 'failed'));
  return 'failed';
}

export const paymentsSweep = defineJob({
  name: 'payments.sweep',
  cron: '* * * * *',
  handler: async (deps) => {
    await sweepPayments(deps);
  },
});

/**
 * Sends one receipt on one channel. The delivery row is locked while sending, so two
 * workers never send it twice, and a sent delivery is never sent again; a failure is
 * recorded (`receipt_failed`) and thrown so the queue retries with backoff.
 */
export async function sendReceipt(deps: JobDeps, data: { companyId: string; receiptId: string; channel: Channel }, final = false): Promise<'sent' | 'skipped'> {
  const { companyId, receiptId, channel } = data;
  const failure = await inCompany(deps, companyId, 'payments.send-receipt', async (ctx) => {
    const { rows } = await ctx.tx.client.query(
      `SELECT d.recipient, d.status, d.attempts, r.content FROM receipt_deliveries d JOIN receipts r ON r.company_id = d.company_id AND r.id = d.receipt_id
       WHERE d.company_id = $1 AND d.receipt_id = $2 AND d.channel = $3 FOR UPDATE OF d`,
      [companyId, receiptId, channel],
    );
    const d = rows[0];
    if (!d || d.status === 'sent') return 'skipped' as const;
    const content = d.content as ReceiptContent;
    const attempt = d.attempts + 1;
    try {
      if (channel === 'email') {
        await deps.mailer.send({ to: d.recipient, subject: `Votre reçu ${content.reference} — ${content.business.name}`, text: receiptText(content), html: receiptHtml(content) });
      } else {
        await sendSms(deps, d.recipient, receiptSms(content));
      }
    } catch (err) {
      return { attempt, message: (err as Error).message.slice(0, 300) };
    }
    await ctx.tx.client.query(
      `UPDATE receipt_deliveries SET status = 'sent', attempts = $4, last_error = NULL, sent_at = $5, updated_at = $5 WHERE company_id = $1 AND receipt_id = $2 AND channel = $3`,
      [companyId, receiptId, channel, attempt, ctx.clock.now()],
    );
    append(ctx, 'receipt_sent', { receiptId, channel, to: mask(channel, d.recipient), attempt }, { subjects: await receiptSubjects(ctx, receiptId) });
    return 'sent' as const;
  });
  if (typeof failure === 'string') return failure;
  await inCompany(deps, companyId, 'payments.send-receipt', async (ctx) => {
    await ctx.tx.client.query(
      `UPDATE receipt_deliveries SET attempts = $4, last_error = $5, status = $6, updated_at = $7 WHERE company_id = $1 AND receipt_id = $2 AND channel = $3 AND status <> 'sent'`,
      [companyId, receiptId, channel, failure.attempt, failure.message, final ? 'failed' : 'pending', ctx.clock.now()],
    );
    append(ctx, 'receipt_failed', { receiptId, channel, reason: failure.message, attempt: failure.attempt, final }, { level: final ? 'error' : 'warning', subjects: await receiptSubjects(ctx, receiptId) });
  });
  throw new Error(`receipt ${channel} not sent: ${failure.message}`);
}

const mask = (channel: Channel, to: string) => (channel === 'email' ? to.replace(/^(.).*(@.*)$/, '$1•••$2') : `•••${to.slice(-4)}`);

async function receiptSubjects(ctx: Ctx, receiptId: string) {
  const { rows } = await ctx.tx.client.query('SELECT sale_id, payment_session_id FROM receipts WHERE company_id = $1 AND id = $2', [ctx.companyId, receiptId]);
  return { saleId: rows[0]?.sale_id as string, ...(rows[0]?.payment_session_id ? { paymentSessionId: rows[0].payment_session_id as string } : {}) };
}

async function sendSms(deps: JobDeps, to: string, message: string): Promise<void> {
  if (!deps.config.smsUrl) throw new Error('SMS is not configured (SMS_URL)');
  const res = await fetch(deps.config.smsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(deps.config.smsApiKey ? { authorization: `Bearer ${deps.config.smsApiKey}` } : {}) },
    body: JSON.stringify({ to, message }),
    signal: AbortSignal.timeout(deps.config.providerTimeoutMs),
  });
  if (!res.ok) throw new Error(`SMS gateway answered HTTP ${res.status}`);
}

const RECEIPT_RETRIES = 5;

export const sendReceiptJob = defineJob<{ companyId: string; receiptId: string; channel: Channel }>({
  name: 'payments.send-receipt',
  retryLimit: RECEIPT_RETRIES,
  handler: async (deps, data, meta) => {
    await sendReceipt(deps, data, (meta?.retryCount ?? 0) >= RECEIPT_RETRIES);
  },
});

/** Gives money back through the provider (a success for something that could not be delivered). */
export async function refundThroughProvider(deps: JobDeps, data: { companyId: string; paymentId: string; reason: string }): Promise<void> {
  const env = envOf(deps);
  const intent: IntentRow = await inCompany(deps, data.companyId, 'payments.provider-refund', (ctx) => getIntent(ctx, data.paymentId));
  if (intent.status !== 'succeeded' || !intent.providerReference) return;
  const provider = await inCompany(deps, data.companyId, 'payments.provider-refund', (ctx) => providerByName(ctx, env, intent.provider as 'stripe' | 'mobile_money'));
  if (!provider) throw new Error('provider no longer configured');
  const amount = intent.received ?? intent.amount;
  await provider.refund(intent.providerReference, amount, intent.id);
  await inCompany(deps, data.companyId, 'payments.provider-refund', async (ctx) => {
    const { rowCount } = await ctx.tx.client.query(
      `UPDATE payment_intents SET status = 'refunded', updated_at = $3 WHERE company_id = $1 AND id = $2 AND status = 'succeeded'`,
      [data.companyId, data.paymentId, ctx.clock.now()],
    );
    if (rowCount) append(ctx, 'payment_refunded', { paymentId: intent.id, amount, currency: intent.currency, reason: data.reason }, { subjects: subjectsOf(intent) });
  });
}

export const providerRefundJob = defineJob<{ companyId: string; paymentId: string; reason: string }>({
  name: 'payments.provider-refund',
  retryLimit: 8,
  handler: refundThroughProvider,
});
