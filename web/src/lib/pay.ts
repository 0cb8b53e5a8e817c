/**
 * Public QR payment journey (Payments capability): no account, no session. The
 * session token in the URL is the only key. Calls go through the same JSON client
 * as the rest of the app (Idempotency-Key on every POST, problem+json → ApiError).
 */
import { API_BASE, api } from './api.ts';

export type PayMethod = 'cash' | 'card' | 'mobile_money';
export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'expired' | 'refunded';
export type SessionStatus =
  | 'created'
  | 'scanned'
  | 'identified'
  | 'service_selected'
  | 'payment_initiated'
  | 'paid'
  | 'failed'
  | 'abandoned'
  | 'expired';
export type PayStep = 'scan' | 'identify' | 'service' | 'pay' | 'pending' | 'receipt' | 'retry' | 'closed';

export type PayService = { id: string; name: string; price: number; category: string | null };

export type PublicSession = {
  status: SessionStatus;
  next: PayStep;
  business: { name: string; currency: string };
  amount: number | null;
  service: { id: string; name: string; price: number } | null;
  services: PayService[];
  client: { name: string } | null;
  methods: Array<{ method: PayMethod; available: boolean }>;
  payment: {
    id: string;
    method: PayMethod;
    status: PaymentStatus;
    amount: number;
    received: number | null;
    checkoutUrl: string | null;
    issue: string | null;
  } | null;
  receipt: { reference: string } | null;
  expiresAt: string;
};

export type Receipt = {
  id: string;
  reference: string;
  business: { name: string; address: string | null };
  lines: Array<{ name: string; quantity: number; unitPrice: number; total: number }>;
  total: number;
  currency: string;
  method: PayMethod;
  paidAt: string;
  paidAtLocal: string;
  timeZone: string;
  clientName: string | null;
};

export type Identity = { name: string; phone?: string; email?: string };

const base = (token: string) => `/public/pay/${encodeURIComponent(token)}`;
const counterBase = (code: string) => `/public/pay/counters/${encodeURIComponent(code)}`;

export const payApi = {
  session: (token: string) => api.get<PublicSession>(base(token)),
  scan: (token: string) => api.post<PublicSession>(`${base(token)}/scan`, {}),
  identify: (token: string, identity: Identity) => api.post<PublicSession>(`${base(token)}/identify`, identity),
  service: (token: string, serviceId: string) => api.post<PublicSession>(`${base(token)}/service`, { serviceId }),
  pay: (token: string, method: PayMethod, phone?: string) =>
    api.post<PublicSession>(`${base(token)}/pay`, phone ? { method, phone } : { method }),
  cancel: (token: string) => api.post<PublicSession>(`${base(token)}/cancel`, {}),
  receipt: (token: string) => api.get<Receipt>(`${base(token)}/receipt`),
  counter: (code: string) => api.get<{ business: { name: string }; counter: { name: string } }>(counterBase(code)),
  startAtCounter: (code: string, idempotencyKey: string) =>
    api.post<{ token: string; url: string }>(`${counterBase(code)}/sessions`, {}, { idempotencyKey }),
};

/** Full URLs (EventSource and plain links do not go through the JSON client). */
export const payStreamUrl = (token: string) => `${API_BASE}${base(token)}/stream`;
export const payReceiptHtmlUrl = (token: string) => `${API_BASE}${base(token)}/receipt.html`;

export const payKeys = {
  session: (token: string) => ['pay', token] as const,
  receipt: (token: string) => ['pay', token, 'receipt'] as const,
  counter: (code: string) => ['pay', 'counter', code] as const,
};

/** The phone typed at identification, kept for the mobile money step (per session, this tab). */
const phoneKey = (token: string) => `comptoir.pay.phone.${token}`;

export function loadPayPhone(token: string): string {
  try {
    return sessionStorage.getItem(phoneKey(token)) ?? '';
  } catch {
    return '';
  }
}

export function savePayPhone(token: string, phone: string) {
  try {
    if (phone) sessionStorage.setItem(phoneKey(token), phone);
  } catch {
    // no storage (private mode): the phone lives as long as the page
  }
}
