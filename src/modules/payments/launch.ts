import type { Ctx } from '../../platform/context.ts';
import { DomainError } from '../../platform/errors.ts';
import { getCompany } from '../tenancy/index.ts';
import { type PaymentsEnv, providerFor } from './credentials.ts';
import { attachProviderReference, failIntent, getIntent, type IntentRow, settleIntent } from './intents.ts';
import { ProviderError } from './providers.ts';

/** Runs work in a fresh transaction of the company, with the request's context. */
export type TxRunner = <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>;

export interface LaunchUrls {
  successUrl: string;
  cancelUrl: string;
  description: string;
  /** For the payments logger. */
  requestId?: string;
}

/**
 * Hands a pending payment to its provider, outside any transaction (a provider call
 * must never hold database locks): the provider's reference is stored in a second
 * transaction. A provider that cannot be reached fails the payment and answers 502,
 * so the client can pick again. Cash needs no provider. Our payment id travels to the
 * provider (Stripe metadata, mobile-money reference), so a webhook that arrives before
 * the reference is stored still finds it.
 */
export async function launch(run: TxRunner, env: PaymentsEnv, companyId: string, intent: IntentRow, urls: LaunchUrls): Promise<IntentRow> {
  if (intent.method === 'cash') return intent;
  const provider = await run((ctx) => providerFor(ctx, env, intent.method));
  if (!provider) return intent;
  try {
    const out = await provider.initiate({
      id: intent.id,
      companyId,
      amount: intent.amount,
      currency: intent.currency,
      description: urls.description,
      phone: intent.phone,
      successUrl: urls.successUrl,
      cancelUrl: urls.cancelUrl,
      callbackUrl: `${env.publicUrl}/api/v1/webhooks/mobile-money/${companyId}`,
    });
    env.log.info({ companyId, paymentId: intent.id, method: intent.method, amount: intent.amount, currency: intent.currency, providerReference: out.reference, requestId: urls.requestId }, 'payment initiated at provider');
    return await run(async (ctx) => {
      await attachProviderReference(ctx, intent.id, out.reference, out.checkoutUrl);
      return getIntent(ctx, intent.id);
    });
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    env.log.warn({ companyId, paymentId: intent.id, method: intent.method, code: err.code, requestId: urls.requestId }, 'provider call failed');
    await run((ctx) => failIntent(ctx, intent.id, err.code));
    throw new DomainError(err.code === 'provider.rejected' ? 'pay.provider_rejected' : 'pay.provider_unavailable', 502);
  }
}

/** A short description for the provider's page: "Coupe femme — Salon Aminata". */
export async function describe(ctx: Ctx, what: string | null): Promise<string> {
  const company = await getCompany(ctx);
  return what ? `${what} — ${company.name}` : company.name;
}

/**
 * The client changes their mind while a payment is pending (back from Stripe's page,
 * say, wanting mobile money instead). The old payment must not stay payable: its
 * provider is asked first — if the money already came in it is settled and nothing
 * is replaced — otherwise its checkout is closed at the provider and it fails as
 * `replaced`. Answers whether the caller may start a new payment.
 */
export async function replacePending(run: TxRunner, env: PaymentsEnv, current: IntentRow): Promise<'replaced' | 'settled'> {
  if (current.provider !== 'cash' && current.providerReference) {
    const provider = await run((ctx) => providerFor(ctx, env, current.method));
    try {
      const status = await provider!.lookup(current.providerReference);
      if (status.status === 'succeeded') {
        await run((ctx) => settleIntent(ctx, env, current.id, { received: status.received ?? current.amount }));
        return 'settled';
      }
      if (status.status === 'pending') await provider!.cancel(current.providerReference);
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      throw new DomainError('pay.provider_unavailable', 502);
    }
  }
  await run((ctx) => failIntent(ctx, current.id, 'replaced'));
  return 'replaced';
}
