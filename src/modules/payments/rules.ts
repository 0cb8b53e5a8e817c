import { createHmac, timingSafeEqual } from 'node:crypto';

/** A QR payment session's states; the transitions are data, checked in one place. */
export const SESSION_STATES = ['created', 'scanned', 'identified', 'service_selected', 'payment_initiated', 'paid', 'failed', 'abandoned', 'expired'] as const;
export type SessionStatus = (typeof SESSION_STATES)[number];

export const SESSION_TRANSITIONS: Record<SessionStatus, readonly SessionStatus[]> = {
  created: ['scanned', 'abandoned', 'expired'],
  scanned: ['identified', 'abandoned', 'expired'],
  // With a fixed amount (or a service set by staff) the service step is implied.
  identified: ['identified', 'service_selected', 'payment_initiated', 'abandoned', 'expired'],
  service_selected: ['identified', 'service_selected', 'payment_initiated', 'abandoned', 'expired'],
  // Ends only through its payment's outcome.
  payment_initiated: ['paid', 'failed'],
  // A failed payment may be tried again (another method), or given up.
  failed: ['payment_initiated', 'abandoned', 'expired', 'paid'],
  paid: [],
  abandoned: [],
  expired: [],
};

export function canMove(from: SessionStatus, to: SessionStatus): boolean {
  return SESSION_TRANSITIONS[from].includes(to);
}

/** States a session can still be expired from (the expiry job's set). */
export const EXPIRABLE: readonly SessionStatus[] = ['created', 'scanned', 'identified', 'service_selected'];

export type NextStep = 'scan' | 'identify' | 'service' | 'pay' | 'pending' | 'receipt' | 'retry' | 'closed';

/** What the client's page shows next. */
export function nextStep(s: { status: SessionStatus; hasService: boolean; hasAmount: boolean }): NextStep {
  switch (s.status) {
    case 'created':
      return 'scan';
    case 'scanned':
      return 'identify';
    case 'identified':
      return s.hasAmount ? 'pay' : 'service';
    case 'service_selected':
      return 'pay';
    case 'payment_initiated':
      return 'pending';
    case 'paid':
      return 'receipt';
    case 'failed':
      return 'retry';
    default:
      return 'closed';
  }
}

export type Method = 'cash' | 'card' | 'mobile_money';
export const METHODS: readonly Method[] = ['cash', 'card', 'mobile_money'];
export type ProviderName = 'stripe' | 'mobile_money';
export const providerOf = (m: Method): 'cash' | ProviderName => (m === 'card' ? 'stripe' : m);

/** "+33 6 12-34-56-78" → "+33612345678": how a returning client is recognised by phone. */
export function phoneKey(phone: string | undefined | null): string | null {
  if (!phone) return null;
  const t = phone.trim();
  const digits = t.replace(/\D/g, '');
  if (digits.length < 6) return null;
  return (t.startsWith('+') ? '+' : '') + digits;
}

export function emailKey(email: string | undefined | null): string | null {
  const t = email?.trim().toLowerCase();
  return t ? t : null;
}

/** "jeanne@example.com" → "j•••e@example.com", "+22507000001" → "•••••••0001": shown back without revealing. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const head = local.slice(0, 1);
  const tail = local.length > 2 ? local.slice(-1) : '';
  return `${head}•••${tail}@${domain}`;
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s/g, '');
  return `${'•'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

/** "sk_test_abc…4242" → "…4242". */
export function secretHint(secret: string): string {
  return `…${secret.slice(-4)}`;
}

/** How a provider's confirmation compares with what is due. */
export type AmountOutcome = { kind: 'exact' } | { kind: 'underpaid'; received: number; due: number } | { kind: 'overpaid'; received: number; due: number };

export function compareAmount(received: number, due: number): AmountOutcome {
  if (received < due) return { kind: 'underpaid', received, due };
  if (received > due) return { kind: 'overpaid', received, due };
  return { kind: 'exact' };
}

/** Webhook signatures older or newer than this many seconds are refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** `X-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.rawBody">` */
export function signMobileMoney(rawBody: string | Buffer, secret: string, t: number): string {
  const mac = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
  return `t=${t},v1=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function verifyMobileMoney(rawBody: Buffer, header: string | undefined, secret: string, nowSeconds: number): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = new Map<string, string[]>();
  for (const piece of header.split(',')) {
    const i = piece.indexOf('=');
    if (i <= 0) continue;
    const k = piece.slice(0, i).trim();
    parts.set(k, [...(parts.get(k) ?? []), piece.slice(i + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  const sigs = parts.get('v1') ?? [];
  if (!Number.isInteger(t) || !sigs.length) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex'), 'hex');
  for (const s of sigs) {
    if (!/^[0-9a-f]{64}$/i.test(s)) continue;
    if (timingSafeEqual(Buffer.from(s, 'hex'), expected)) return { ok: true };
  }
  return { ok: false, reason: 'mismatch' };
}
