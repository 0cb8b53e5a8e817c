import { API_BASE, api } from './api.ts';
import type { Page } from './types.ts';

/**
 * QR payment sessions, provider payments, clients, counters, providers and
 * receipts: the staff endpoints (base /api/v1/companies/{companyId}). Money in
 * minor units of the company currency.
 */

export const SESSION_STATUSES = [
  'created',
  'scanned',
  'identified',
  'service_selected',
  'payment_initiated',
  'paid',
  'failed',
  'abandoned',
  'expired',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
/** A session that can still move (the others are finished). */
export const ACTIVE_SESSION_STATUSES: readonly SessionStatus[] = [
  'created',
  'scanned',
  'identified',
  'service_selected',
  'payment_initiated',
];
/** Staff may cancel a session only before a payment was started. */
export const CANCELLABLE_SESSION_STATUSES: readonly SessionStatus[] = ['created', 'scanned', 'identified', 'service_selected'];

export const PAYMENT_METHODS = ['cash', 'card', 'mobile_money'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'expired', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type PaymentProvider = 'cash' | 'stripe' | 'mobile_money';

export type ProviderPayment = {
  id: string;
  method: PaymentMethod;
  status: PaymentStatus;
  amount: number;
  received: number | null;
  currency: string;
  provider: PaymentProvider;
  providerReference: string | null;
  /** Stripe Checkout URL of a card payment. */
  checkoutUrl: string | null;
  purpose: 'session' | 'order' | 'sale';
  paymentSessionId: string | null;
  orderId: string | null;
  saleId: string | null;
  failureReason: string | null;
  /** 'underpaid' | 'overpaid' | 'paid_unfulfilled' | … */
  issue: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
};

export type PaymentEvent = { type: string; at: string; level: string; data: Record<string, unknown> };
export type PaymentDetail = ProviderPayment & { events: PaymentEvent[] };

export type SessionStep = { type: string; at: string; durationMs: number | null; level: string };

export type PaymentSession = {
  id: string;
  status: SessionStatus;
  /** The client's page, e.g. http://host/pay/<token>. */
  publicUrl: string;
  qrSvgUrl: string;
  qrPngUrl: string;
  /** Inline SVG markup of the QR code, only in the POST answer. */
  qrSvg?: string;
  amount: number | null;
  currency: string;
  service: { id: string; name: string; price: number } | null;
  client: { id: string; name: string } | null;
  /** The name the client gave at identification. */
  clientName: string | null;
  counter: { id: string; name: string } | null;
  payment: ProviderPayment | null;
  saleId: string | null;
  saleReference: string | null;
  receiptId: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  /** Only in GET /payment-sessions/{id}: the session's events in order. */
  steps?: SessionStep[];
};

export type NewPaymentSession = { serviceId?: string; amount?: number; clientId?: string; counterId?: string };
export type SessionFilters = { status?: SessionStatus; since?: string };
export type PaymentFilters = { status?: PaymentStatus; method?: PaymentMethod };

export type Client = {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  visitCount: number;
  totalSpent: number;
  lastVisitAt: string | null;
  createdAt: string;
};
export type ClientVisit = {
  saleId: string;
  reference: string;
  total: number;
  currency: string;
  channel: string;
  paidAt: string | null;
  paymentSessionId: string | null;
  service: string | null;
};
export type ClientDetail = Client & { history: ClientVisit[] };

export type Counter = {
  id: string;
  name: string;
  code: string;
  /** The counter's standing page, e.g. http://host/pay/c/<code>. */
  url: string;
  qrSvgUrl: string;
  qrPngUrl: string;
  createdAt: string;
};

export const PROVIDERS = ['stripe', 'mobile_money'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
export type ProviderState = {
  configured: boolean;
  updatedAt: string | null;
  /** The end of the secret, e.g. "…4242". */
  hint: string | null;
  /** To paste into the provider's dashboard. */
  webhookUrl: string;
};
export type Providers = Record<ProviderName, ProviderState>;
export type StripeSecrets = { secretKey: string; webhookSecret: string };
export type MobileMoneySecrets = { apiKey: string; webhookSecret: string };
export type ProviderTest = { ok: boolean; code: string };

export type ReceiptDelivery = {
  channel: 'email' | 'sms';
  /** Masked address or number. */
  to: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
};
export type Receipt = {
  id: string;
  reference: string;
  business: { name: string; address: string | null };
  lines: Array<{ name: string; quantity: number; unitPrice: number; total: number }>;
  total: number;
  currency: string;
  method: PaymentMethod;
  paidAt: string;
  paidAtLocal: string;
  timeZone: string;
  clientName: string | null;
  deliveries: ReceiptDelivery[];
};

export type PaymentRequest = { method: 'card' | 'mobile_money'; amount?: number; phone?: string };

type PageQuery = { limit?: number; cursor?: string | null };

const enc = encodeURIComponent;
const base = (companyId: string) => `/companies/${enc(companyId)}`;

/** An image path the server gave (with or without the /api/v1 prefix) as a URL the browser can load. */
export function apiAssetUrl(path: string): string {
  if (/^https?:\/\//.test(path) || path.startsWith(`${API_BASE}/`)) return path;
  return `${API_BASE}${path.startsWith('/') ? '' : '/'}${path}`;
}

// QR payment sessions
export const listPaymentSessions = (companyId: string, query: SessionFilters & PageQuery = {}) =>
  api.get<Page<PaymentSession>>(`${base(companyId)}/payment-sessions`, { query });
export const getPaymentSession = (companyId: string, sessionId: string) =>
  api.get<PaymentSession>(`${base(companyId)}/payment-sessions/${enc(sessionId)}`);
export const createPaymentSession = (companyId: string, body: NewPaymentSession) =>
  api.post<PaymentSession>(`${base(companyId)}/payment-sessions`, body);
export const cancelPaymentSession = (companyId: string, sessionId: string) =>
  api.post<PaymentSession>(`${base(companyId)}/payment-sessions/${enc(sessionId)}/cancel`);
export const paymentSessionQrPath = (companyId: string, sessionId: string, format: 'svg' | 'png' = 'svg') =>
  `${API_BASE}${base(companyId)}/payment-sessions/${enc(sessionId)}/qr.${format}`;

// Payments
export const listPayments = (companyId: string, query: PaymentFilters & PageQuery = {}) =>
  api.get<Page<ProviderPayment>>(`${base(companyId)}/payments`, { query });
export const getPayment = (companyId: string, paymentId: string) =>
  api.get<PaymentDetail>(`${base(companyId)}/payments/${enc(paymentId)}`);
/**
 * Staff confirm a pending cash payment (409 payment.not_pending otherwise); the
 * cash goes into `cashSessionId` (required when the company requires sessions).
 */
export const confirmPayment = (companyId: string, paymentId: string, body: { cashSessionId?: string } = {}) =>
  api.post<ProviderPayment>(`${base(companyId)}/payments/${enc(paymentId)}/confirm`, body);
/** A provider payment (card link or mobile money) for a counter sale. */
export const requestSalePayment = (companyId: string, saleId: string, body: PaymentRequest) =>
  api.post<ProviderPayment>(`${base(companyId)}/sales/${enc(saleId)}/payment-requests`, body);

// Clients
export const listClients = (companyId: string, query: { search?: string } & PageQuery = {}) =>
  api.get<Page<Client>>(`${base(companyId)}/clients`, { query });
export const getClient = (companyId: string, clientId: string) =>
  api.get<ClientDetail>(`${base(companyId)}/clients/${enc(clientId)}`);

// Counters (standing QR codes)
export const listCounters = (companyId: string) => api.get<{ items: Counter[] }>(`${base(companyId)}/payment-counters`);
export const createCounter = (companyId: string, name: string) =>
  api.post<Counter>(`${base(companyId)}/payment-counters`, { name });
/** Retires a counter: its standing QR code stops opening sessions. */
export const archiveCounter = (companyId: string, counterId: string) =>
  api.delete(`${base(companyId)}/payment-counters/${enc(counterId)}`);

// Payment providers (managers)
export const getProviders = (companyId: string) => api.get<Providers>(`${base(companyId)}/payment-providers`);
export const saveStripe = (companyId: string, body: StripeSecrets) =>
  api.put<ProviderState>(`${base(companyId)}/payment-providers/stripe`, body);
export const saveMobileMoney = (companyId: string, body: MobileMoneySecrets) =>
  api.put<ProviderState>(`${base(companyId)}/payment-providers/mobile_money`, body);
export const deleteProvider = (companyId: string, provider: ProviderName) =>
  api.delete(`${base(companyId)}/payment-providers/${enc(provider)}`);
export const testProvider = (companyId: string, provider: ProviderName) =>
  api.post<ProviderTest>(`${base(companyId)}/payment-providers/${enc(provider)}/test`);

// Receipts
export const getReceipt = (companyId: string, receiptId: string) =>
  api.get<Receipt>(`${base(companyId)}/receipts/${enc(receiptId)}`);
/**
 * Sends the receipt again (202). The api helper drops 202 bodies, so the caller
 * refetches the receipt to see the new delivery.
 */
export const resendReceipt = (companyId: string, receiptId: string, body: { channel?: 'email' | 'sms'; to?: string } = {}) =>
  api.post<void>(`${base(companyId)}/receipts/${enc(receiptId)}/resend`, body);
