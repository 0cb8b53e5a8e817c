import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { listCashSessions } from './cashSessions.ts';
import { qk } from './queryKeys.ts';
import { listPendingRefunds } from './refunds.ts';

/** Stream events that change a session's expected cash (or the list of open sessions). */
export const CASH_EVENTS = [
  'sale_paid',
  'sale_updated',
  'refund_completed',
  'session_long',
  'cash_session_opened',
  'cash_session_closed',
] as const;
export const REFUND_EVENTS = ['refund_pending', 'refund_completed'] as const;

/** Open sessions, most recently opened first; polled slowly as a fallback to the stream. */
export function useOpenCashSessions(companyId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: qk.cashSessionList(companyId, 'open'),
    queryFn: () => listCashSessions(companyId, { status: 'open', limit: 100 }),
    select: (page) => [...page.items].sort((a, b) => b.openedAt.localeCompare(a.openedAt)),
    refetchInterval: 60_000,
  });
}

export function useClosedCashSessions(companyId: string) {
  return useInfiniteQuery({
    queryKey: qk.cashSessionList(companyId, 'closed'),
    queryFn: ({ pageParam }) => listCashSessions(companyId, { status: 'closed', limit: 20, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function usePendingRefunds(companyId: string) {
  return useQuery({
    queryKey: qk.pendingRefunds(companyId),
    queryFn: () => listPendingRefunds(companyId),
    select: (r) => r.items,
  });
}
