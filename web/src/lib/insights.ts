import { API_BASE, api } from './api.ts';
import type { PaymentSession, ProviderPayment } from './payments.ts';
import { EVENT_TYPES } from './streamEvents.ts';
import type { Page } from './types.ts';

/**
 * Insights: the audit trail (event log), the dashboard figures and the activity
 * feed — staff endpoints under /api/v1/companies/{companyId}. Money in minor units
 * of the company currency; local dates (YYYY-MM-DD) in the company time zone.
 */

export const EVENT_LEVELS = ['info', 'warning', 'error', 'critical'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

export const SUBJECT_KEYS = [
  'saleId',
  'tableId',
  'productId',
  'paymentId',
  'paymentSessionId',
  'clientId',
  'userId',
  'orderId',
  'refundId',
  'cashSessionId',
  'liveSessionId',
  'tokenId',
] as const;
export type SubjectKey = (typeof SUBJECT_KEYS)[number];

export const ACTOR_TYPES = ['user', 'token', 'client', 'provider', 'job', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/**
 * The event types the audit search offers: every type the server logs (the stream's
 * list mirrors the server's), without the per-user bookkeeping ones. Labels are
 * `events.<type>` in the dictionaries, shared with the live feed and notifications.
 */
export const AUDIT_EVENT_TYPES: readonly string[] = EVENT_TYPES.filter((type) => type !== 'notification_state_changed');

export type AuditEvent = {
  id: string;
  position: number;
  type: string;
  level: EventLevel;
  at: string;
  subjects: Partial<Record<SubjectKey, string>>;
  actor: { type: ActorType; id: string | null; name: string | null };
  ip: string | null;
  userAgent: string | null;
  /** ua-parser-js: type 'mobile' | 'tablet' | null (desktop). */
  device: { type: string | null; vendor: string | null; model: string | null };
  browser: { name: string | null; version: string | null };
  os: { name: string | null; version: string | null };
  requestId: string | null;
  durationMs: number | null;
  data: Record<string, unknown>;
};

/** The search filters of GET /events (and /events.csv), as the server reads them. */
export type AuditQuery = {
  /** Comma list of types. */
  type?: string;
  /** Comma list of levels. */
  level?: string;
  /** `<subject key>:<id>`, e.g. paymentId:… */
  subject?: string;
  actorType?: ActorType;
  actorId?: string;
  /** ISO instants. */
  from?: string;
  to?: string;
};

export type PaymentTrail = { payment: ProviderPayment; events: AuditEvent[] };
export type SessionTrail = { session: PaymentSession; events: AuditEvent[] };

export type Dashboard = {
  from: string;
  to: string;
  timeZone: string;
  currency: string;
  sessions: { total: number; active: number; paid: number; abandoned: number; expired: number; failed: number; conversionRate: number };
  payments: { total: number; succeeded: number; failed: number; revenue: number; averageAmount: number };
  sales: {
    count: number;
    revenue: number;
    byChannel: Record<string, { count: number; revenue: number }>;
    byMethod: Record<string, number>;
  };
  refunds: { count: number; amount: number };
  tables: { occupiedNow: number; total: number; averageOccupationMinutes: number | null };
  stockAlerts: { open: number; items: Array<{ productId: string; name: string; available: number; threshold: number }> };
};

export type DailyPoint = { date: string; sessions: number; paidSessions: number; payments: number; revenue: number };
export type DashboardDaily = { timeZone: string; currency: string; days: DailyPoint[] };

export type DashboardError = {
  id: string;
  type: string;
  level: EventLevel;
  at: string;
  message: string | null;
  requestId: string | null;
  route: string | null;
  subjects: Partial<Record<SubjectKey, string>>;
  trail: { kind: 'payment' | 'payment_session'; id: string } | null;
};

export type ActivityItem = {
  id: string;
  position: number;
  type: string;
  titleCode: string;
  params: Record<string, unknown>;
  subject: { type: string; id: string } | null;
  at: string;
};

/** Local dates, inclusive; both optional (the server's default is today). */
export type DateRange = { from?: string; to?: string };

type PageQuery = { limit?: number; cursor?: string | null };

const enc = encodeURIComponent;
const base = (companyId: string) => `/companies/${enc(companyId)}`;

// Audit trail (events.read)
export const listEvents = (companyId: string, query: AuditQuery & PageQuery = {}) =>
  api.get<Page<AuditEvent>>(`${base(companyId)}/events`, { query });
/** The CSV export of the same search, for a plain link (cookie auth, streamed download). */
export function eventsCsvUrl(companyId: string, query: AuditQuery): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, String(v));
  const search = params.toString();
  return `${API_BASE}${base(companyId)}/events.csv${search ? `?${search}` : ''}`;
}
export const getPaymentTrail = (companyId: string, paymentId: string) =>
  api.get<PaymentTrail>(`${base(companyId)}/payments/${enc(paymentId)}/trail`);
export const getSessionTrail = (companyId: string, sessionId: string) =>
  api.get<SessionTrail>(`${base(companyId)}/payment-sessions/${enc(sessionId)}/trail`);

// Dashboard (dashboard.read)
export const getDashboard = (companyId: string, range: DateRange = {}) =>
  api.get<Dashboard>(`${base(companyId)}/dashboard`, { query: range });
export const getDashboardDaily = (companyId: string, days: number) =>
  api.get<DashboardDaily>(`${base(companyId)}/dashboard/daily`, { query: { days } });
export const getDashboardErrors = (companyId: string, hours: number) =>
  api.get<{ items: DashboardError[] }>(`${base(companyId)}/dashboard/errors`, { query: { hours } });

// Activity feed (activity.read)
export const listActivity = (companyId: string, limit = 20) =>
  api.get<{ items: ActivityItem[] }>(`${base(companyId)}/activity`, { query: { limit } });
