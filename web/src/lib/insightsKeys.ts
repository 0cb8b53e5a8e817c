import { qk } from './queryKeys.ts';

/**
 * React Query keys of the insights screens (dashboard, activity, live selling, audit,
 * trails). Kept out of queryKeys.ts, which the public shop and pay pages load too;
 * like every company key they start with ['company', id] (qk.company), so a stream
 * `reset` or polling still refetches them.
 */
export const iqk = {
  /** A payment's audit trail (under the payments prefix: payment events refresh it). */
  paymentTrail: (companyId: string, paymentId: string) => [...qk.payments(companyId), 'trail', paymentId] as const,
  /** A QR payment session's audit trail (under the sessions prefix, refreshed like the session). */
  paymentSessionTrail: (companyId: string, sessionId: string) => [...qk.paymentSessions(companyId), 'trail', sessionId] as const,
  /** Prefix of every dashboard query (figures, daily series, recent errors). */
  dashboard: (companyId: string) => [...qk.company(companyId), 'dashboard'] as const,
  dashboardSummary: (companyId: string, range: object) => [...qk.company(companyId), 'dashboard', 'summary', range] as const,
  dashboardDaily: (companyId: string, days: number) => [...qk.company(companyId), 'dashboard', 'daily', days] as const,
  dashboardErrors: (companyId: string, hours: number) => [...qk.company(companyId), 'dashboard', 'errors', hours] as const,
  /** The activity feed (latest items; live ones are merged in by the feed). */
  activity: (companyId: string, limit: number) => [...qk.company(companyId), 'activity', limit] as const,
  /** Prefix of the live-selling queries (mode and orders). */
  live: (companyId: string) => [...qk.company(companyId), 'live'] as const,
  liveState: (companyId: string) => [...qk.company(companyId), 'live', 'state'] as const,
  liveOrders: (companyId: string, status: string) => [...qk.company(companyId), 'live', 'orders', status] as const,
  /** Audit-trail searches. */
  auditEvents: (companyId: string, filters: object) => [...qk.company(companyId), 'events', 'list', filters] as const,
};
