import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  type AuditQuery,
  type DateRange,
  getDashboard,
  getDashboardDaily,
  getDashboardErrors,
  getPaymentTrail,
  getSessionTrail,
  listActivity,
  listEvents,
} from './insights.ts';
import { getLive, type LiveOrderStatus, listLiveOrders } from './liveSelling.ts';
import { iqk } from './insightsKeys.ts';

/** Stream events after which the dashboard figures (sales, sessions, payments, tables, stock) may have changed. */
export const DASHBOARD_EVENTS = [
  'sale_opened',
  'sale_paid',
  'sale_cancelled',
  'table_occupied',
  'table_freed',
  'refund_completed',
  'low_stock',
  'loss_reported',
  'qr_scanned',
  'payment_initiated',
  'payment_confirmed',
  'payment_failed',
  'session_abandoned',
  'session_expired',
  'order_created',
  'system_error',
] as const;

/** Stream events that move the live-selling panel (mode, active orders and their holds). */
export const LIVE_EVENTS = [
  'order_created',
  'live_order_updated',
  'payment_issue',
  'live_started',
  'live_ended',
  'hold_placed',
  'hold_released',
  'hold_expired',
] as const;

/** The dashboard figures of a range of local dates (default today); refetched by the page on stream events. */
export function useDashboard(companyId: string, range: DateRange) {
  return useQuery({
    queryKey: iqk.dashboardSummary(companyId, range),
    queryFn: () => getDashboard(companyId, range),
    placeholderData: keepPreviousData,
    // "Tables occupied now" and expiries move with the clock too.
    refetchInterval: 60_000,
  });
}

/** One point per local day ending today, oldest first. */
export function useDashboardDaily(companyId: string, days: number) {
  return useQuery({
    queryKey: iqk.dashboardDaily(companyId, days),
    queryFn: () => getDashboardDaily(companyId, days),
    refetchInterval: 5 * 60_000,
  });
}

/** Errors and critical errors of the last `hours`, newest first. */
export function useDashboardErrors(companyId: string, hours: number) {
  return useQuery({
    queryKey: iqk.dashboardErrors(companyId, hours),
    queryFn: () => getDashboardErrors(companyId, hours),
    select: (r) => r.items,
  });
}

/** The latest activity items; the feed merges live ones from the stream on top. */
export function useActivity(companyId: string, limit: number) {
  return useQuery({
    queryKey: iqk.activity(companyId, limit),
    queryFn: () => listActivity(companyId, limit),
    select: (r) => r.items,
  });
}

export function useLiveState(companyId: string) {
  return useQuery({ queryKey: iqk.liveState(companyId), queryFn: () => getLive(companyId) });
}

/** Live orders by status; polled slowly in case an order changed without an event (e.g. the phone step). */
export function useLiveOrders(companyId: string, status: LiveOrderStatus = 'active') {
  return useQuery({
    queryKey: iqk.liveOrders(companyId, status),
    queryFn: () => listLiveOrders(companyId, status),
    select: (r) => r.items,
    refetchInterval: 15_000,
  });
}

const AUDIT_PAGE_SIZE = 50;

/** The audit search, newest first, 50 at a time (keyset cursor). */
export function useAuditEvents(companyId: string, query: AuditQuery) {
  return useInfiniteQuery({
    queryKey: iqk.auditEvents(companyId, query),
    queryFn: ({ pageParam }) => listEvents(companyId, { ...query, limit: AUDIT_PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** A payment's trail, oldest first (kept fresh by PaymentsLiveSync through the payments prefix). */
export function usePaymentTrail(companyId: string, paymentId: string) {
  return useQuery({
    queryKey: iqk.paymentTrail(companyId, paymentId),
    queryFn: () => getPaymentTrail(companyId, paymentId),
    enabled: Boolean(paymentId),
  });
}

/** A QR payment session's trail, oldest first. */
export function useSessionTrail(companyId: string, sessionId: string) {
  return useQuery({
    queryKey: iqk.paymentSessionTrail(companyId, sessionId),
    queryFn: () => getSessionTrail(companyId, sessionId),
    enabled: Boolean(sessionId),
  });
}
