import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import type { Ctx } from '../../platform/context.ts';
import { conflict } from '../../platform/errors.ts';
import type { Jobs } from '../../platform/jobs/index.ts';
import { type MobileMoneyCredentials, MobileMoneyProvider, type PaymentProvider, type StripeCredentials, StripeProvider } from './providers.ts';
import { type Method, type ProviderName, secretHint } from './rules.ts';
import type { Sealer } from './secrets.ts';

/** What the payments module needs beyond a transaction. */
export interface PaymentsEnv {
  config: Config;
  sealer: Sealer;
  publicUrl: string;
  jobs: Pick<Jobs, 'enqueue'>;
  /** SMTP configured: e-mail receipts can be sent. */
  mailerEnabled: boolean;
  /** The payments logger (ids, methods, amounts, states). */
  log: Logger;
}

type Creds = { stripe: StripeCredentials; mobile_money: MobileMoneyCredentials };

export async function credentialsOf<P extends ProviderName>(ctx: Ctx, env: PaymentsEnv, provider: P): Promise<Creds[P] | null> {
  const { rows } = await ctx.tx.client.query('SELECT sealed FROM provider_credentials WHERE company_id = $1 AND provider = $2', [ctx.companyId, provider]);
  if (!rows[0]) return null;
  return env.sealer.open<Creds[P]>(rows[0].sealed);
}

export async function saveCredentials<P extends ProviderName>(ctx: Ctx, env: PaymentsEnv, provider: P, creds: Creds[P]): Promise<void> {
  const key = 'secretKey' in creds ? creds.secretKey : creds.apiKey;
  await ctx.tx.client.query(
    `INSERT INTO provider_credentials (company_id, provider, sealed, hint, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (company_id, provider) DO UPDATE SET sealed = EXCLUDED.sealed, hint = EXCLUDED.hint, updated_at = EXCLUDED.updated_at`,
    [ctx.companyId, provider, env.sealer.seal(creds), secretHint(key), ctx.clock.now()],
  );
}

export async function deleteCredentials(ctx: Ctx, provider: ProviderName): Promise<void> {
  await ctx.tx.client.query('DELETE FROM provider_credentials WHERE company_id = $1 AND provider = $2', [ctx.companyId, provider]);
}

export interface ProviderState {
  configured: boolean;
  updatedAt: string | null;
  hint: string | null;
  webhookUrl: string;
}

export async function providerStates(ctx: Ctx, env: PaymentsEnv): Promise<Record<ProviderName, ProviderState>> {
  const { rows } = await ctx.tx.client.query('SELECT provider, hint, updated_at FROM provider_credentials WHERE company_id = $1', [ctx.companyId]);
  const of = (p: ProviderName, path: string): ProviderState => {
    const r = rows.find((x) => x.provider === p);
    return { configured: !!r, updatedAt: r?.updated_at.toISOString() ?? null, hint: r?.hint ?? null, webhookUrl: `${env.publicUrl}/api/v1/webhooks/${path}/${ctx.companyId}` };
  };
  return { stripe: of('stripe', 'stripe'), mobile_money: of('mobile_money', 'mobile-money') };
}

/** The provider behind a method, or null for cash; 409 when it is not configured. */
export async function providerFor(ctx: Ctx, env: PaymentsEnv, method: Method): Promise<PaymentProvider | null> {
  if (method === 'cash') return null;
  const p = await providerByName(ctx, env, method === 'card' ? 'stripe' : 'mobile_money');
  if (!p) throw conflict('pay.method_unavailable', { method });
  return p;
}

export async function providerByName(ctx: Ctx, env: PaymentsEnv, name: ProviderName): Promise<PaymentProvider | null> {
  if (name === 'stripe') {
    const creds = await credentialsOf(ctx, env, 'stripe');
    return creds ? new StripeProvider(creds, env.config) : null;
  }
  const creds = await credentialsOf(ctx, env, 'mobile_money');
  if (!creds || !env.config.mobileMoneyUrl) return null;
  return new MobileMoneyProvider(creds, env.config.mobileMoneyUrl, env.config.providerTimeoutMs);
}

/** Which methods the company can take right now. */
export async function availableMethods(ctx: Ctx, env: PaymentsEnv): Promise<Array<{ method: Method; available: boolean }>> {
  const { rows } = await ctx.tx.client.query('SELECT provider FROM provider_credentials WHERE company_id = $1', [ctx.companyId]);
  const has = new Set(rows.map((r) => r.provider as string));
  return [
    { method: 'cash', available: true },
    { method: 'card', available: has.has('stripe') },
    { method: 'mobile_money', available: has.has('mobile_money') && !!env.config.mobileMoneyUrl },
  ];
}
