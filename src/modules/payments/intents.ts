import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict, DomainError, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import type { Subjects } from '../../platform/events/event-map.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';
import { addAmountLine, openSale, pay } from '../sales/index.ts';
import { markPaidUnfulfilled, orderForPayment, payOrder } from '../storefront/index.ts';
import { getCompany } from '../tenancy/index.ts';
import type { PaymentsEnv } from './credentials.ts';
import { createReceipt } from './receipts.ts';
import { compareAmount, type Method, providerOf } from './rules.ts';

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'expired' | 'refunded';
export type Purpose = 'session' | 'order' | 'sale';

export interface IntentRow {
  id: string;
  method: Method;
  provider: 'cash' | 'stripe' | 'mobile_money';
  status: PaymentStatus;
  amount: number;
  received: number | null;
  currency: string;
  purpose: Purpose;
  paymentSessionId: string | null;
  orderId: string | null;
  saleId: string | null;
  providerReference: string | null;
  checkoutUrl: string | null;
  phone: string | null;
  failureReason: string | null;
  issue: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

const toIntent = (r: Record<string, any>): IntentRow => ({
  id: r.id,
  method: r.method,
  provider: r.provider,
  status: r.status,
  amount: Number(r.amount),
  received: r.received === null ? null : Number(r.received),
  currency: r.currency,
  purpose: r.purpose,
  paymentSessionId: r.payment_session_id,
  orderId: r.order_id,
  saleId: r.sale_id,
  providerReference: r.provider_reference,
  checkoutUrl: r.checkout_url,
  phone: r.phone,
  failureReason: r.failure_reason,
  issue: r.issue,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  completedAt: r.completed_at,
});

/** The API's view of a payment. */
export function paymentView(i: IntentRow) {
  return {
    id: i.id,
    method: i.method,
    status: i.status,
    amount: i.amount,
    received: i.received,
    currency: i.currency,
    provider: i.provider,
    providerReference: i.providerReference,
    checkoutUrl: i.status === 'pending' ? i.checkoutUrl : null,
    purpose: i.purpose,
    paymentSessionId: i.paymentSessionId,
    orderId: i.orderId,
    saleId: i.saleId,
    failureReason: i.failureReason,
    issue: i.issue,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
    completedAt: i.completedAt?.toISOString() ?? null,
  };
}
export type PaymentView = ReturnType<typeof paymentView>;

export const subjectsOf = (i: Pick<IntentRow, 'id' | 'paymentSessionId' | 'orderId' | 'saleId'>, clientId?: string | null): Subjects => ({
  paymentId: i.id,
  ...(i.paymentSessionId ? { paymentSessionId: i.paymentSessionId } : {}),
  ...(i.orderId ? { orderId: i.orderId } : {}),
  ...(i.saleId ? { saleId: i.saleId } : {}),
  ...(clientId ? { clientId } : {}),
});

export async function findIntent(ctx: Ctx, id: string, lock = false): Promise<IntentRow | null> {
  const { rows } = await ctx.tx.client.query(`SELECT * FROM payment_intents WHERE company_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [ctx.companyId, id]);
  return rows[0] ? toIntent(rows[0]) : null;
}

export async function getIntent(ctx: Ctx, id: string, lock = false): Promise<IntentRow> {
  const i = await findIntent(ctx, id, lock);
  if (!i) throw notFound('payment.not_found');
  return i;
}

/** A provider's reference (Stripe Checkout Session id, mobile-money transaction id) → our payment. */
export async function intentByReference(ctx: Ctx, provider: string, reference: string): Promise<IntentRow | null> {
  const { rows } = await ctx.tx.client.query('SELECT * FROM payment_intents WHERE company_id = $1 AND provider = $2 AND provider_reference = $3', [
    ctx.companyId,
    provider,
    reference,
  ]);
  return rows[0] ? toIntent(rows[0]) : null;
}

export interface NewIntent {
  method: Method;
  amount: number;
  currency: string;
  purpose: Purpose;
  paymentSessionId?: string;
  orderId?: string;
  saleId?: string;
  phone?: string | null;
  clientId?: string | null;
  /** Time since the previous step, for the payment_initiated event. */
  durationMs?: number;
}

/** A pending payment and its `payment_initiated` event. */
export async function createIntent(ctx: Ctx, input: NewIntent): Promise<IntentRow> {
  const id = randomUUID();
  const now = ctx.clock.now();
  const { rows } = await ctx.tx.client.query(
    `INSERT INTO payment_intents (company_id, id, method, provider, status, amount, currency, purpose, payment_session_id, order_id, sale_id, phone, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING *`,
    [ctx.companyId, id, input.method, providerOf(input.method), input.amount, input.currency, input.purpose, input.paymentSessionId ?? null, input.orderId ?? null,
      input.saleId ?? null, input.phone ?? null, `${ctx.actor.type}:${ctx.actor.id ?? ''}`, now],
  );
  const intent = toIntent(rows[0]);
  append(ctx, 'payment_initiated', { paymentId: id, method: input.method, amount: input.amount, currency: input.currency }, {
    subjects: subjectsOf(intent, input.clientId),
    durationMs: input.durationMs,
  });
  return intent;
}

/** The provider accepted the payment: its reference and checkout page. */
export async function attachProviderReference(ctx: Ctx, id: string, reference: string, checkoutUrl?: string): Promise<void> {
  await ctx.tx.client.query('UPDATE payment_intents SET provider_reference = $3, checkout_url = $4, updated_at = $5 WHERE company_id = $1 AND id = $2', [
    ctx.companyId,
    id,
    reference,
    checkoutUrl ?? null,
    ctx.clock.now(),
  ]);
}

/** A payment that did not go through: only a pending one fails; its QR session fails with it. */
export async function failIntent(ctx: Ctx, id: string, reason: string, status: 'failed' | 'expired' = 'failed'): Promise<boolean> {
  const intent = await getIntent(ctx, id, true);
  if (intent.status !== 'pending') return false;
  const now = ctx.clock.now();
  await ctx.tx.client.query('UPDATE payment_intents SET status = $3, failure_reason = $4, updated_at = $5 WHERE company_id = $1 AND id = $2', [
    ctx.companyId,
    id,
    status,
    reason,
    now,
  ]);
  let clientId: string | null = null;
  if (intent.paymentSessionId) {
    const { rows } = await ctx.tx.client.query(
      `UPDATE payment_sessions SET status = 'failed', step_at = $4, updated_at = $4
       WHERE company_id = $1 AND id = $2 AND payment_id = $3 AND status = 'payment_initiated' RETURNING client_id`,
      [ctx.companyId, intent.paymentSessionId, id, now],
    );
    clientId = rows[0]?.client_id ?? null;
  }
  append(ctx, 'payment_failed', { paymentId: id, method: intent.method, reason }, { level: 'warning', subjects: subjectsOf(intent, clientId) });
  return true;
}

export type SettleOutcome = { changed: false; status: PaymentStatus } | { changed: true; status: PaymentStatus; saleId?: string; issue?: string };

/**
 * A provider (or staff, for cash) says money came in. In this one transaction the
 * payment succeeds and completes what it pays for: a QR session becomes paid with its
 * sale; an online order's holds become a paid sale; a counter sale takes the payment.
 * Less than due leaves the payment pending with `payment_issue`. A success for
 * something already settled or no longer available is refunded through the provider.
 * Safe to call twice: a settled payment is left alone.
 */
export async function settleIntent(ctx: Ctx, env: PaymentsEnv, id: string, opts: { received?: number; cashSessionId?: string } = {}): Promise<SettleOutcome> {
  const intent = await getIntent(ctx, id, true);
  if (intent.status === 'succeeded' || intent.status === 'refunded') return { changed: false, status: intent.status };
  const received = opts.received ?? intent.amount;
  const cmp = compareAmount(received, intent.amount);
  const now = ctx.clock.now();
  const money = { currency: intent.currency };
  if (cmp.kind === 'underpaid') {
    await ctx.tx.client.query(`UPDATE payment_intents SET received = $3, issue = 'underpaid', updated_at = $4 WHERE company_id = $1 AND id = $2`, [
      ctx.companyId,
      id,
      received,
      now,
    ]);
    append(ctx, 'payment_issue', { paymentId: id, issue: 'underpaid', received, due: intent.amount, ...money }, { level: 'warning', subjects: subjectsOf(intent) });
    env.log.warn({ companyId: ctx.companyId, paymentId: id, received, due: intent.amount, currency: intent.currency, requestId: ctx.requestId }, 'payment underpaid');
    return { changed: true, status: intent.status };
  }
  const issue = cmp.kind === 'overpaid' ? 'overpaid' : null;
  await ctx.tx.client.query(
    `UPDATE payment_intents SET status = 'succeeded', received = $3, issue = $4, failure_reason = NULL, completed_at = $5, updated_at = $5 WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, id, received, issue, now],
  );
  if (issue) append(ctx, 'payment_issue', { paymentId: id, issue, received, due: intent.amount, ...money }, { level: 'warning', subjects: subjectsOf(intent) });

  env.log.info({ companyId: ctx.companyId, paymentId: id, method: intent.method, amount: intent.amount, received, currency: intent.currency, issue, requestId: ctx.requestId }, 'payment succeeded');
  const fulfilled = await fulfil(ctx, env, intent, opts.cashSessionId);
  if (!fulfilled.ok) {
    await ctx.tx.client.query('UPDATE payment_intents SET issue = $3, updated_at = $4 WHERE company_id = $1 AND id = $2', [ctx.companyId, id, fulfilled.issue, now]);
    append(ctx, 'payment_confirmed', { paymentId: id, method: intent.method, amount: intent.amount, ...money }, { subjects: subjectsOf(intent) });
    append(ctx, 'payment_issue', { paymentId: id, issue: fulfilled.issue, received, due: intent.amount, ...money }, { level: 'error', subjects: subjectsOf(intent) });
    if (intent.provider !== 'cash') await env.jobs.enqueue(ctx, 'payments.provider-refund', { companyId: ctx.companyId, paymentId: id, reason: fulfilled.issue });
    return { changed: true, status: 'succeeded', issue: fulfilled.issue };
  }
  await ctx.tx.client.query('UPDATE payment_intents SET sale_id = coalesce(sale_id, $3) WHERE company_id = $1 AND id = $2', [ctx.companyId, id, fulfilled.saleId]);
  append(ctx, 'payment_confirmed', { paymentId: id, method: intent.method, amount: intent.amount, ...money }, {
    subjects: { ...subjectsOf(intent, fulfilled.clientId), saleId: fulfilled.saleId },
  });
  await createReceipt(ctx, env, fulfilled.saleId, { paymentSessionId: intent.paymentSessionId, email: fulfilled.email, phone: fulfilled.phone, clientId: fulfilled.clientId });
  return { changed: true, status: 'succeeded', saleId: fulfilled.saleId, issue: issue ?? undefined };
}

type Fulfilment = { ok: true; saleId: string; clientId?: string | null; email?: string | null; phone?: string | null } | { ok: false; issue: string };

async function fulfil(ctx: Ctx, env: PaymentsEnv, intent: IntentRow, cashSessionId?: string): Promise<Fulfilment> {
  const tender = {
    method: intent.method,
    amount: intent.amount,
    tendered: intent.method === 'cash' ? intent.amount : undefined,
    reference: intent.providerReference ?? undefined,
    paymentId: intent.id,
    cashSessionId,
  };
  if (intent.purpose === 'session') {
    const { rows } = await ctx.tx.client.query('SELECT * FROM payment_sessions WHERE company_id = $1 AND id = $2 FOR UPDATE', [ctx.companyId, intent.paymentSessionId]);
    const s = rows[0];
    if (s.status === 'paid' || s.status === 'abandoned' || s.status === 'expired') return { ok: false, issue: s.status === 'paid' ? 'duplicate_payment' : 'session_closed' };
    const saleId = await openSale(ctx, { channel: 'qr', customerName: s.client_name ?? undefined, clientId: s.client_id ?? undefined, items: [] });
    const { settings } = await getCompany(ctx);
    const service = s.service_id
      ? (await ctx.tx.client.query('SELECT name, tax_rate FROM products WHERE company_id = $1 AND id = $2', [ctx.companyId, s.service_id])).rows[0]
      : null;
    await addAmountLine(ctx, saleId, {
      productId: s.service_id,
      name: service?.name ?? 'Paiement',
      unitPrice: intent.amount,
      taxRate: service?.tax_rate ?? settings.defaultTaxRate,
    });
    await pay(ctx, saleId, tender);
    await ctx.tx.client.query(
      `UPDATE payment_sessions SET status = 'paid', payment_id = $3, sale_id = $4, step_at = $5, updated_at = $5 WHERE company_id = $1 AND id = $2`,
      [ctx.companyId, s.id, intent.id, saleId, ctx.clock.now()],
    );
    // Any other attempt still pending for this session is no longer wanted (staff cannot confirm it).
    const { rows: others } = await ctx.tx.client.query(
      `UPDATE payment_intents SET status = 'failed', failure_reason = 'superseded', updated_at = $4
       WHERE company_id = $1 AND payment_session_id = $2 AND id <> $3 AND status = 'pending' RETURNING *`,
      [ctx.companyId, s.id, intent.id, ctx.clock.now()],
    );
    for (const o of others.map(toIntent)) append(ctx, 'payment_failed', { paymentId: o.id, method: o.method, reason: 'superseded' }, { level: 'warning', subjects: subjectsOf(o) });
    return { ok: true, saleId, clientId: s.client_id, email: s.client_email, phone: s.client_phone };
  }
  if (intent.purpose === 'order') {
    const order = await orderForPayment(ctx, intent.orderId!);
    if (order.status === 'paid' || order.status === 'paid_unfulfilled') return { ok: false, issue: 'duplicate_payment' };
    const attempt = await inSavepoint(ctx, () => payOrder(ctx, order.id, tender, { late: true }));
    if (!attempt.ok) {
      await markPaidUnfulfilled(ctx, order.id);
      return { ok: false, issue: 'paid_unfulfilled' };
    }
    return { ok: true, saleId: attempt.value.saleId, email: order.customer.email, phone: order.customer.phone };
  }
  const attempt = await inSavepoint(ctx, () => pay(ctx, intent.saleId!, tender));
  if (!attempt.ok) return { ok: false, issue: 'sale_not_payable' };
  return { ok: true, saleId: intent.saleId! };
}

/**
 * Runs `fn` under a savepoint: a refusal (409/422/404) rolls back its writes and the
 * events it buffered, and the caller carries on in the same transaction.
 */
async function inSavepoint<T>(ctx: Ctx, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: DomainError }> {
  const pending = ctx.tx.pendingEvents as unknown[];
  const mark = pending.length;
  const name = `sp_${randomUUID().replace(/-/g, '')}`;
  await ctx.tx.client.query(`SAVEPOINT ${name}`);
  try {
    const value = await fn();
    await ctx.tx.client.query(`RELEASE SAVEPOINT ${name}`);
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    await ctx.tx.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
    pending.splice(mark);
    return { ok: false, error: err };
  }
}

/** Staff confirm that the client paid cash at the counter. */
export async function confirmCash(ctx: Ctx, env: PaymentsEnv, id: string, cashSessionId?: string): Promise<IntentRow> {
  const intent = await getIntent(ctx, id, true);
  if (intent.method !== 'cash' || intent.status !== 'pending') throw conflict('payment.not_pending', { status: intent.status });
  await settleIntent(ctx, env, id, { cashSessionId });
  return getIntent(ctx, id);
}

/** Payments, newest first, by status or method. */
export async function listIntents(ctx: Ctx, q: { status?: string; method?: string; limit: number; cursor?: string }): Promise<Page<IntentRow>> {
  const after = decodeCursor(q.cursor, 2) as [string, string] | null;
  const { rows } = await ctx.tx.client.query(
    `SELECT * FROM payment_intents WHERE company_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR method = $3)
       AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $6`,
    [ctx.companyId, q.status ?? null, q.method ?? null, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
  );
  return pageOf(rows, q.limit, toIntent, (r) => [r.created_at.toISOString(), r.id]);
}

/** A payment's own story, oldest first (every event naming it). */
export async function eventsOfPayment(ctx: Ctx, id: string) {
  const { rows } = await ctx.tx.client.query(
    `SELECT type, level, data, created_at, duration_ms FROM events WHERE company_id = $1 AND subjects->>'paymentId' = $2 ORDER BY position`,
    [ctx.companyId, id],
  );
  return rows.map((r) => ({ type: r.type as string, level: r.level as string, data: r.data as Record<string, unknown>, at: r.created_at.toISOString() as string, durationMs: r.duration_ms as number | null }));
}
