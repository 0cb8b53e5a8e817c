import { randomBytes, randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { PaymentsEnv } from './credentials.ts';

export interface Counter {
  id: string;
  name: string;
  code: string;
  url: string;
  qrSvgUrl: string;
  qrPngUrl: string;
  createdAt: string;
}

const view = (ctx: Ctx, env: Pick<PaymentsEnv, 'publicUrl'>, r: Record<string, any>): Counter => ({
  id: r.id,
  name: r.name,
  code: r.code,
  url: `${env.publicUrl}/pay/c/${r.code}`,
  qrSvgUrl: `/api/v1/companies/${ctx.companyId}/payment-counters/${r.id}/qr.svg`,
  qrPngUrl: `/api/v1/companies/${ctx.companyId}/payment-counters/${r.id}/qr.png`,
  createdAt: r.created_at.toISOString(),
});

export async function createCounter(ctx: Ctx, env: Pick<PaymentsEnv, 'publicUrl'>, name: string): Promise<Counter> {
  const { rows } = await ctx.tx.client.query(
    'INSERT INTO payment_counters (company_id, id, name, code, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [ctx.companyId, randomUUID(), name.trim(), randomBytes(12).toString('base64url'), ctx.clock.now()],
  );
  return view(ctx, env, rows[0]);
}

export async function listCounters(ctx: Ctx, env: Pick<PaymentsEnv, 'publicUrl'>): Promise<Counter[]> {
  const { rows } = await ctx.tx.client.query('SELECT * FROM payment_counters WHERE company_id = $1 AND active ORDER BY name', [ctx.companyId]);
  return rows.map((r) => view(ctx, env, r));
}

export async function getCounter(ctx: Ctx, env: Pick<PaymentsEnv, 'publicUrl'>, id: string): Promise<Counter> {
  const { rows } = await ctx.tx.client.query('SELECT * FROM payment_counters WHERE company_id = $1 AND id = $2 AND active', [ctx.companyId, id]);
  if (!rows[0]) throw notFound('payment_counter.not_found');
  return view(ctx, env, rows[0]);
}

export async function archiveCounter(ctx: Ctx, id: string): Promise<void> {
  const { rowCount } = await ctx.tx.client.query('UPDATE payment_counters SET active = false WHERE company_id = $1 AND id = $2 AND active', [ctx.companyId, id]);
  if (!rowCount) throw notFound('payment_counter.not_found');
}
