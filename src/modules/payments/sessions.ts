import { randomBytes, randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';
import { getProduct } from '../catalog/index.ts';
import { getCompany } from '../tenancy/index.ts';
import { identifyClient } from './clients.ts';
import { availableMethods, type PaymentsEnv } from './credentials.ts';
import { createIntent, findIntent, type IntentRow, paymentView } from './intents.ts';
import { canMove, EXPIRABLE, type Method, nextStep, type SessionStatus } from './rules.ts';

export interface SessionRow {
  id: string;
  token: string;
  status: SessionStatus;
  counterId: string | null;
  serviceId: string | null;
  amount: number | null;
  fixedAmount: boolean;
  currency: string;
  clientId: string | null;
  clientName: string | null;
  clientPhone: string | null;
  clientEmail: string | null;
  paymentId: string | null;
  saleId: string | null;
  createdAt: Date;
  stepAt: Date;
  updatedAt: Date;
}

const toSession = (r: Record<string, any>): SessionRow => ({
  id: r.id,
  token: r.token,
  status: r.status,
  counterId: r.counter_id,
  serviceId: r.service_id,
  amount: r.amount === null ? null : Number(r.amount),
  fixedAmount: r.fixed_amount,
  currency: r.currency,
  clientId: r.client_id,
  clientName: r.client_name,
  clientPhone: r.client_phone,
  clientEmail: r.client_email,
  paymentId: r.payment_id,
  saleId: r.sale_id,
  createdAt: r.created_at,
  stepAt: r.step_at,
  updatedAt: r.updated_at,
});

export const publicUrlOf = (env: Pick<PaymentsEnv, 'publicUrl'>, token: string) => `${env.publicUrl}/pay/${token}`;

/** Public tokens: 24 random bytes, URL-safe. */
const newToken = () => randomBytes(24).toString('base64url');

export async function sessionMinutes(ctx: Ctx): Promise<number> {
  return (await getCompany(ctx)).settings.qrSessionMinutes;
}

const expiresAt = (s: SessionRow, minutes: number) => new Date(s.createdAt.getTime() + minutes * 60_000);

/** Whether the session is past its time and still expirable (the job and every command agree). */
export const isLapsed = (s: SessionRow, minutes: number, now: Date) => EXPIRABLE.includes(s.status) && expiresAt(s, minutes) <= now;

export async function lockSession(ctx: Ctx, id: string): Promise<SessionRow> {
  const { rows } = await ctx.tx.client.query('SELECT * FROM payment_sessions WHERE company_id = $1 AND id = $2 FOR UPDATE', [ctx.companyId, id]);
  if (!rows[0]) throw notFound('payment_session.not_found');
  return toSession(rows[0]);
}

async function readSession(ctx: Ctx, id: string): Promise<SessionRow> {
  const { rows } = await ctx.tx.client.query('SELECT * FROM payment_sessions WHERE company_id = $1 AND id = $2', [ctx.companyId, id]);
  if (!rows[0]) throw notFound('payment_session.not_found');
  return toSession(rows[0]);
}

export interface NewSession {
  serviceId?: string;
  amount?: number;
  clientId?: string;
  counterId?: string;
}

/** Staff (or a counter's standing code) open a session; its QR points at the public page. */
export async function createSession(ctx: Ctx, input: NewSession): Promise<SessionRow> {
  const company = await getCompany(ctx);
  let amount = input.amount ?? null;
  if (input.serviceId) {
    const p = await getProduct(ctx, input.serviceId).catch(() => null);
    if (!p || p.kind !== 'service' || !p.active || p.archivedAt) throw invalid('serviceId', 'not_a_service');
    amount = input.amount ?? p.price;
    if (amount <= 0) throw invalid('serviceId', 'free_service');
  }
  let clientName: string | null = null;
  if (input.clientId) {
    const { rows } = await ctx.tx.client.query('SELECT name FROM clients WHERE company_id = $1 AND id = $2', [ctx.companyId, input.clientId]);
    if (!rows[0]) throw invalid('clientId', 'not_found');
    clientName = rows[0].name;
  }
  if (input.counterId) {
    const { rowCount } = await ctx.tx.client.query('SELECT 1 FROM payment_counters WHERE company_id = $1 AND id = $2 AND active', [ctx.companyId, input.counterId]);
    if (!rowCount) throw invalid('counterId', 'not_found');
  }
  const id = randomUUID();
  const now = ctx.clock.now();
  const { rows } = await ctx.tx.client.query(
    `INSERT INTO payment_sessions (company_id, id, token, status, counter_id, service_id, amount, fixed_amount, currency, client_id, client_name, created_by, created_at, step_at, updated_at)
     VALUES ($1, $2, $3, 'created', $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12) RETURNING *`,
    [ctx.companyId, id, newToken(), input.counterId ?? null, input.serviceId ?? null, amount, amount !== null, company.currency, input.clientId ?? null, clientName,
      `${ctx.actor.type}:${ctx.actor.id ?? ''}`, now],
  );
  return toSession(rows[0]);
}

/** A finished session (paid, abandoned, expired) takes no step: 409 pay.closed, whatever the step would need. */
export function refuseClosed(s: Pick<SessionRow, 'status'>): void {
  if (['paid', 'abandoned', 'expired'].includes(s.status)) throw conflict('pay.closed', { status: s.status });
}

/** Moves a session one step, with its event (ip, user agent and the step's duration come with the context). */
async function step(ctx: Ctx, s: SessionRow, to: SessionStatus, set: Record<string, unknown> = {}): Promise<{ durationMs: number }> {
  if (!canMove(s.status, to)) {
    if (['paid', 'abandoned', 'expired'].includes(s.status)) throw conflict('pay.closed', { status: s.status });
    throw conflict('pay.invalid_step', { status: s.status });
  }
  const now = ctx.clock.now();
  const cols = Object.keys(set);
  await ctx.tx.client.query(
    `UPDATE payment_sessions SET status = $3, step_at = $4, updated_at = $4${cols.map((c, i) => `, ${c} = $${i + 5}`).join('')} WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, s.id, to, now, ...cols.map((c) => set[c])],
  );
  return { durationMs: Math.max(0, now.getTime() - s.stepAt.getTime()) };
}

/** A lapsed session is expired by whoever touches it first (command or job). Answers whether it was. */
export async function expireIfLapsed(ctx: Ctx, s: SessionRow, minutes: number): Promise<boolean> {
  if (!isLapsed(s, minutes, ctx.clock.now())) return false;
  await step(ctx, s, 'expired');
  append(ctx, 'session_expired', { paymentSessionId: s.id }, { level: 'warning', subjects: { paymentSessionId: s.id, ...(s.clientId ? { clientId: s.clientId } : {}) } });
  return true;
}

export async function scan(ctx: Ctx, s: SessionRow): Promise<void> {
  if (s.status !== 'created') return; // scanning twice (a reload) is harmless
  const { durationMs } = await step(ctx, s, 'scanned');
  append(ctx, 'qr_scanned', { paymentSessionId: s.id }, { subjects: { paymentSessionId: s.id }, durationMs });
}

export async function identify(ctx: Ctx, s: SessionRow, input: { name: string; phone?: string; email?: string }): Promise<void> {
  if (s.status === 'created') {
    await scan(ctx, s);
    s = await lockSession(ctx, s.id);
  }
  const { clientId, returning } = await identifyClient(ctx, input);
  const { durationMs } = await step(ctx, s, 'identified', {
    client_id: clientId,
    client_name: input.name.trim(),
    client_phone: input.phone?.trim() || null,
    client_email: input.email?.trim() || null,
    // A service chosen before a re-identification stays chosen.
  });
  // With a fixed amount or a chosen service the next page is payment.
  if (s.status === 'service_selected') await ctx.tx.client.query(`UPDATE payment_sessions SET status = 'service_selected' WHERE company_id = $1 AND id = $2`, [ctx.companyId, s.id]);
  append(ctx, 'client_identified', { paymentSessionId: s.id, clientId, returning }, { subjects: { paymentSessionId: s.id, clientId }, durationMs });
}

export async function chooseService(ctx: Ctx, s: SessionRow, serviceId: string): Promise<void> {
  refuseClosed(s);
  if (s.fixedAmount && s.serviceId !== serviceId) throw conflict('pay.invalid_step', { status: s.status });
  const p = await getProduct(ctx, serviceId).catch(() => null);
  if (!p || p.kind !== 'service' || !p.active || p.archivedAt || p.price <= 0) throw invalid('serviceId', 'not_a_service');
  const { durationMs } = await step(ctx, s, 'service_selected', { service_id: serviceId, amount: s.fixedAmount ? s.amount : p.price });
  append(ctx, 'service_selected', { paymentSessionId: s.id, serviceId }, { subjects: { paymentSessionId: s.id, ...(s.clientId ? { clientId: s.clientId } : {}) }, durationMs });
}

/**
 * The client picks a method: a pending payment is created and the session waits for
 * its outcome. From `identified` with a fixed amount, the service step is implied.
 */
export async function beginPayment(ctx: Ctx, s: SessionRow, method: Method, phone?: string): Promise<IntentRow> {
  refuseClosed(s);
  if (s.status === 'payment_initiated') throw conflict('pay.invalid_step', { status: s.status });
  if (s.amount === null) throw conflict('pay.service_required');
  if (s.status === 'identified' && !s.fixedAmount) throw conflict('pay.service_required');
  const { durationMs } = await step(ctx, s, 'payment_initiated');
  const intent = await createIntent(ctx, {
    method,
    amount: s.amount,
    currency: s.currency,
    purpose: 'session',
    paymentSessionId: s.id,
    phone: phone?.trim() || s.clientPhone,
    clientId: s.clientId,
    durationMs,
  });
  await ctx.tx.client.query('UPDATE payment_sessions SET payment_id = $3 WHERE company_id = $1 AND id = $2', [ctx.companyId, s.id, intent.id]);
  return intent;
}

export async function abandon(ctx: Ctx, s: SessionRow): Promise<void> {
  const { durationMs } = await step(ctx, s, 'abandoned');
  append(ctx, 'session_abandoned', { paymentSessionId: s.id }, { subjects: { paymentSessionId: s.id, ...(s.clientId ? { clientId: s.clientId } : {}) }, durationMs });
}

/** What the client's page needs: never stored client data, only what was typed here. */
export async function publicView(ctx: Ctx, env: PaymentsEnv, s: SessionRow) {
  const company = await getCompany(ctx);
  const minutes = company.settings.qrSessionMinutes;
  const status: SessionStatus = isLapsed(s, minutes, ctx.clock.now()) ? 'expired' : s.status;
  const service = s.serviceId ? await getProduct(ctx, s.serviceId).catch(() => null) : null;
  const next = nextStep({ status, hasService: !!s.serviceId, hasAmount: s.fixedAmount || s.status === 'service_selected' });
  const services =
    next === 'service' || next === 'identify'
      ? (
          await ctx.tx.client.query(
            `SELECT id, name, price, category FROM products WHERE company_id = $1 AND kind = 'service' AND active AND archived_at IS NULL AND price > 0 ORDER BY category NULLS LAST, name LIMIT 200`,
            [ctx.companyId],
          )
        ).rows.map((r) => ({ id: r.id as string, name: r.name as string, price: Number(r.price), category: r.category as string | null }))
      : [];
  const intent = s.paymentId ? await findIntent(ctx, s.paymentId) : null;
  const { rows: receipt } = await ctx.tx.client.query('SELECT content->>\'reference\' AS reference FROM receipts WHERE company_id = $1 AND payment_session_id = $2', [ctx.companyId, s.id]);
  return {
    status,
    next,
    business: { name: company.name, currency: company.currency },
    amount: s.amount,
    service: service ? { id: service.id, name: service.name, price: service.price } : null,
    services,
    client: s.clientName ? { name: s.clientName } : null,
    methods: await availableMethods(ctx, env),
    payment: intent
      ? { id: intent.id, method: intent.method, status: intent.status, amount: intent.amount, received: intent.received, checkoutUrl: intent.status === 'pending' ? intent.checkoutUrl : null, issue: intent.issue }
      : null,
    receipt: receipt[0] ? { reference: receipt[0].reference as string } : null,
    expiresAt: expiresAt(s, minutes).toISOString(),
  };
}
export type PublicSession = Awaited<ReturnType<typeof publicView>>;

/** Staff's view of one session. */
export async function staffView(ctx: Ctx, env: Pick<PaymentsEnv, 'publicUrl'>, s: SessionRow, opts: { steps?: boolean; minutes?: number } = {}) {
  const minutes = opts.minutes ?? (await sessionMinutes(ctx));
  const base = `/api/v1/companies/${ctx.companyId}/payment-sessions/${s.id}`;
  const [service, counter, intent, sale, receipt] = [
    s.serviceId ? (await ctx.tx.client.query('SELECT id, name, price FROM products WHERE company_id = $1 AND id = $2', [ctx.companyId, s.serviceId])).rows[0] : null,
    s.counterId ? (await ctx.tx.client.query('SELECT id, name FROM payment_counters WHERE company_id = $1 AND id = $2', [ctx.companyId, s.counterId])).rows[0] : null,
    s.paymentId ? await findIntent(ctx, s.paymentId) : null,
    s.saleId ? (await ctx.tx.client.query('SELECT reference FROM sales WHERE company_id = $1 AND id = $2', [ctx.companyId, s.saleId])).rows[0] : null,
    (await ctx.tx.client.query('SELECT id FROM receipts WHERE company_id = $1 AND payment_session_id = $2', [ctx.companyId, s.id])).rows[0],
  ];
  const client = s.clientId ? (await ctx.tx.client.query('SELECT id, name FROM clients WHERE company_id = $1 AND id = $2', [ctx.companyId, s.clientId])).rows[0] : null;
  const view = {
    id: s.id,
    status: isLapsed(s, minutes, ctx.clock.now()) ? ('expired' as const) : s.status,
    publicUrl: publicUrlOf(env, s.token),
    qrSvgUrl: `${base}/qr.svg`,
    qrPngUrl: `${base}/qr.png`,
    amount: s.amount,
    currency: s.currency,
    service: service ? { id: service.id as string, name: service.name as string, price: Number(service.price) } : null,
    client: client ? { id: client.id as string, name: client.name as string } : null,
    clientName: s.clientName,
    counter: counter ? { id: counter.id as string, name: counter.name as string } : null,
    payment: intent ? paymentView(intent) : null,
    saleId: s.saleId,
    saleReference: (sale?.reference as string | undefined) ?? null,
    receiptId: (receipt?.id as string | undefined) ?? null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    expiresAt: expiresAt(s, minutes).toISOString(),
  };
  if (!opts.steps) return view;
  const { rows } = await ctx.tx.client.query(
    `SELECT type, level, created_at, duration_ms FROM events WHERE company_id = $1 AND subjects->>'paymentSessionId' = $2 ORDER BY position`,
    [ctx.companyId, s.id],
  );
  return { ...view, steps: rows.map((r) => ({ type: r.type as string, at: r.created_at.toISOString() as string, durationMs: r.duration_ms as number | null, level: r.level as string })) };
}

export async function getSession(ctx: Ctx, env: Pick<PaymentsEnv, 'publicUrl'>, id: string) {
  return staffView(ctx, env, await readSession(ctx, id), { steps: true });
}

export async function sessionRow(ctx: Ctx, id: string) {
  return readSession(ctx, id);
}

/** Recent sessions, newest first. */
export async function listSessions(ctx: Ctx, env: PaymentsEnv, q: { status?: SessionStatus; since?: string; limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, 2) as [string, string] | null;
  const { rows } = await ctx.tx.client.query(
    `SELECT * FROM payment_sessions WHERE company_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::timestamptz IS NULL OR created_at >= $3)
       AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $6`,
    [ctx.companyId, q.status ?? null, q.since ?? null, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
  );
  const page: Page<SessionRow> = pageOf(rows, q.limit, toSession, (r) => [r.created_at.toISOString(), r.id]);
  const minutes = await sessionMinutes(ctx);
  const items = [];
  for (const s of page.items) items.push(await staffView(ctx, env, s, { minutes }));
  return { items, nextCursor: page.nextCursor };
}

/** The company's lapsed sessions, expired in one pass (the job's sweep). */
export async function expireLapsedSessions(ctx: Ctx): Promise<number> {
  const minutes = await sessionMinutes(ctx);
  const cutoff = new Date(ctx.clock.now().getTime() - minutes * 60_000);
  const { rows } = await ctx.tx.client.query(
    `SELECT * FROM payment_sessions WHERE company_id = $1 AND status = ANY($2::text[]) AND created_at <= $3 ORDER BY created_at LIMIT 500 FOR UPDATE SKIP LOCKED`,
    [ctx.companyId, EXPIRABLE, cutoff],
  );
  let n = 0;
  for (const r of rows) if (await expireIfLapsed(ctx, toSession(r), minutes)) n++;
  return n;
}

