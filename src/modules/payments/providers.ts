import Stripe from 'stripe';
import type { Config } from '../../platform/config.ts';

/** What Comptoir asks a provider to collect. `id` is ours and travels with the payment. */
export interface ProviderRequest {
  id: string;
  companyId: string;
  amount: number;
  currency: string;
  description: string;
  phone?: string | null;
  successUrl: string;
  cancelUrl: string;
  callbackUrl: string;
}

export type ProviderStatus = { status: 'succeeded' | 'pending' | 'failed' | 'expired'; received?: number };

/** One interface for every method that goes through a third party. */
export interface PaymentProvider {
  initiate(req: ProviderRequest): Promise<{ reference: string; checkoutUrl?: string }>;
  lookup(reference: string): Promise<ProviderStatus>;
  /** Stops a payment that can no longer be wanted (the checkout expires). */
  cancel(reference: string): Promise<void>;
  refund(reference: string, amount: number, key: string): Promise<void>;
  /** Checks the credentials against the provider. */
  test(): Promise<void>;
}

export class ProviderError extends Error {
  constructor(
    readonly code: 'provider.unreachable' | 'provider.rejected',
    message: string,
  ) {
    super(message);
  }
}

export interface StripeCredentials {
  secretKey: string;
  webhookSecret: string;
}
export interface MobileMoneyCredentials {
  apiKey: string;
  webhookSecret: string;
}

/** The Stripe SDK, pointed at STRIPE_API_BASE when set (a loopback stand-in in tests). */
export function stripeClient(secretKey: string, config: Pick<Config, 'stripeApiBase' | 'providerTimeoutMs'>): Stripe {
  const base = config.stripeApiBase ? new URL(config.stripeApiBase) : null;
  return new Stripe(secretKey, {
    timeout: config.providerTimeoutMs,
    maxNetworkRetries: 2,
    ...(base ? { host: base.hostname, port: base.port || (base.protocol === 'https:' ? 443 : 80), protocol: base.protocol.replace(':', '') as 'http' | 'https' } : {}),
  });
}

/** Stripe's webhook verifier (no API key needed to verify). */
export const stripeWebhooks = new Stripe('sk_unused').webhooks;

const asProviderError = (err: unknown): ProviderError => {
  if (err instanceof ProviderError) return err;
  const e = err as { type?: string; statusCode?: number; message?: string };
  if (e.type === 'StripeConnectionError' || e.type === 'StripeAPIError' || (e.statusCode ?? 0) >= 500 || e.statusCode === undefined) {
    return new ProviderError('provider.unreachable', e.message ?? 'unreachable');
  }
  return new ProviderError('provider.rejected', e.message ?? 'rejected');
};

/** Card payments: one Stripe Checkout Session per payment. */
export class StripeProvider implements PaymentProvider {
  private readonly stripe: Stripe;

  constructor(creds: StripeCredentials, config: Pick<Config, 'stripeApiBase' | 'providerTimeoutMs'>) {
    this.stripe = stripeClient(creds.secretKey, config);
  }

  async initiate(req: ProviderRequest) {
    try {
      const metadata = { paymentId: req.id, companyId: req.companyId };
      const session = await this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [{ quantity: 1, price_data: { currency: req.currency.toLowerCase(), unit_amount: req.amount, product_data: { name: req.description } } }],
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
          client_reference_id: req.id,
          metadata,
          payment_intent_data: { metadata },
        },
        { idempotencyKey: `comptoir-${req.id}` },
      );
      return { reference: session.id, checkoutUrl: session.url ?? undefined };
    } catch (err) {
      throw asProviderError(err);
    }
  }

  async lookup(reference: string): Promise<ProviderStatus> {
    try {
      const s = await this.stripe.checkout.sessions.retrieve(reference);
      if (s.payment_status === 'paid' || s.payment_status === 'no_payment_required') return { status: 'succeeded', received: s.amount_total ?? undefined };
      if (s.status === 'expired') return { status: 'expired' };
      return { status: 'pending' };
    } catch (err) {
      throw asProviderError(err);
    }
  }

  async cancel(reference: string) {
    try {
      const s = await this.stripe.checkout.sessions.retrieve(reference);
      if (s.status === 'open') await this.stripe.checkout.sessions.expire(reference);
    } catch (err) {
      throw asProviderError(err);
    }
  }

  async refund(reference: string, amount: number, key: string) {
    try {
      const s = await this.stripe.checkout.sessions.retrieve(reference);
      const pi = typeof s.payment_intent === 'string' ? s.payment_intent : s.payment_intent?.id;
      if (!pi) throw new ProviderError('provider.rejected', 'no payment to refund');
      await this.stripe.refunds.create({ payment_intent: pi, amount }, { idempotencyKey: `comptoir-refund-${key}` });
    } catch (err) {
      throw asProviderError(err);
    }
  }

  async test() {
    try {
      await this.stripe.balance.retrieve();
    } catch (err) {
      throw asProviderError(err);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A generic mobile-money API (see the README): POST /payments, GET /payments/{id},
 * POST /payments/{id}/refund, GET /ping, with the company's key as a Bearer token.
 * Every call has a timeout; network errors and 5xx are retried with backoff, and
 * POSTs carry an Idempotency-Key so a retry never charges twice.
 */
export class MobileMoneyProvider implements PaymentProvider {
  constructor(
    private readonly creds: MobileMoneyCredentials,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly attempts = 3,
  ) {}

  private async call(method: 'GET' | 'POST', path: string, body?: unknown, idempotencyKey?: string): Promise<Record<string, unknown>> {
    let last: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      if (attempt) await sleep(200 * 2 ** (attempt - 1));
      try {
        const res = await fetch(new URL(path.replace(/^\//, ''), this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`), {
          method,
          headers: {
            authorization: `Bearer ${this.creds.apiKey}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (res.status >= 500) {
          last = new ProviderError('provider.unreachable', `HTTP ${res.status}`);
          continue;
        }
        if (!res.ok) throw new ProviderError('provider.rejected', `HTTP ${res.status}`);
        return (await res.json().catch(() => ({}))) as Record<string, unknown>;
      } catch (err) {
        if (err instanceof ProviderError && err.code === 'provider.rejected') throw err;
        last = err;
      }
    }
    throw last instanceof ProviderError ? last : new ProviderError('provider.unreachable', (last as Error)?.message ?? 'unreachable');
  }

  async initiate(req: ProviderRequest) {
    const out = await this.call('POST', '/payments', {
      reference: req.id, amount: req.amount, currency: req.currency, phone: req.phone, description: req.description, callbackUrl: req.callbackUrl,
    }, req.id);
    return { reference: typeof out.id === 'string' ? out.id : req.id };
  }

  async lookup(reference: string): Promise<ProviderStatus> {
    const out = await this.call('GET', `/payments/${encodeURIComponent(reference)}`);
    const status = out.status === 'succeeded' || out.status === 'failed' || out.status === 'expired' ? out.status : 'pending';
    return { status, received: typeof out.amount === 'number' ? out.amount : undefined };
  }

  async cancel(reference: string) {
    await this.call('POST', `/payments/${encodeURIComponent(reference)}/cancel`, {}, `cancel-${reference}`);
  }

  async refund(reference: string, amount: number, key: string) {
    await this.call('POST', `/payments/${encodeURIComponent(reference)}/refund`, { amount }, `refund-${key}`);
  }

  async test() {
    await this.call('GET', '/ping');
  }
}
