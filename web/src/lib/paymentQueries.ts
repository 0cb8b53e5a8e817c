import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import {
  getClient,
  getPayment,
  getPaymentSession,
  getProviders,
  getReceipt,
  listClients,
  listCounters,
  listPaymentSessions,
  type PaymentSession,
  type SessionFilters,
} from './payments.ts';
import { qk } from './queryKeys.ts';

/**
 * Stream events that move a QR payment session, a payment, a receipt or a client
 * (every one carries data.paymentSessionId or subjects when it has one).
 */
export const PAYMENT_EVENTS = [
  'qr_scanned',
  'client_identified',
  'service_selected',
  'payment_initiated',
  'payment_confirmed',
  'payment_failed',
  'payment_issue',
  'receipt_sent',
  'receipt_failed',
  'session_abandoned',
  'session_expired',
  'sale_paid',
] as const;

const PAGE_SIZE = 30;

/** QR payment sessions, newest first, 30 at a time (kept fresh by PaymentsLiveSync). */
export function usePaymentSessions(companyId: string, filters: SessionFilters) {
  return useInfiniteQuery({
    queryKey: qk.paymentSessionList(companyId, filters),
    queryFn: ({ pageParam }) => listPaymentSessions(companyId, { ...filters, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    // Expiry happens on the server's clock: a slow poll as a fallback to the stream.
    refetchInterval: 60_000,
  });
}

/** One session with its steps. */
export function usePaymentSession(companyId: string, sessionId: string) {
  return useQuery({
    queryKey: qk.paymentSession(companyId, sessionId),
    queryFn: () => getPaymentSession(companyId, sessionId),
    enabled: Boolean(sessionId),
  });
}

/** After a change: store the session the server returned (keeping its steps), then refetch the lists. */
export function usePaymentSessionChanged(companyId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    (session?: PaymentSession) => {
      if (session) {
        queryClient.setQueryData<PaymentSession>(qk.paymentSession(companyId, session.id), (old) => ({
          ...session,
          steps: session.steps ?? old?.steps,
        }));
        void queryClient.invalidateQueries({ queryKey: qk.paymentSession(companyId, session.id) });
      }
      void queryClient.invalidateQueries({ queryKey: [...qk.paymentSessions(companyId), 'list'] });
    },
    [queryClient, companyId],
  );
}

/** One payment with its events. */
export function usePayment(companyId: string, paymentId: string | null | undefined) {
  return useQuery({
    queryKey: qk.payment(companyId, paymentId ?? ''),
    queryFn: () => getPayment(companyId, paymentId ?? ''),
    enabled: Boolean(paymentId),
  });
}

export function useReceipt(companyId: string, receiptId: string | null | undefined) {
  return useQuery({
    queryKey: qk.receipt(companyId, receiptId ?? ''),
    queryFn: () => getReceipt(companyId, receiptId ?? ''),
    enabled: Boolean(receiptId),
  });
}

/** Clients matching the search (name, phone or e-mail), 30 at a time. */
export function useClients(companyId: string, search: string, enabled = true) {
  const filters = { search: search || undefined };
  return useInfiniteQuery({
    enabled,
    queryKey: qk.clientList(companyId, filters),
    queryFn: ({ pageParam }) => listClients(companyId, { ...filters, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useClient(companyId: string, clientId: string) {
  return useQuery({ queryKey: qk.client(companyId, clientId), queryFn: () => getClient(companyId, clientId) });
}

export function usePaymentCounters(companyId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: qk.paymentCounters(companyId),
    queryFn: () => listCounters(companyId),
    select: (r) => r.items,
  });
}

export function usePaymentProviders(companyId: string) {
  return useQuery({ queryKey: qk.paymentProviders(companyId), queryFn: () => getProviders(companyId) });
}

/** Refetches every payment-related query of the company (sessions, payments, receipts, clients). */
export function useRefreshPayments(companyId: string) {
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: qk.paymentSessions(companyId) });
    void queryClient.invalidateQueries({ queryKey: qk.payments(companyId) });
    void queryClient.invalidateQueries({ queryKey: qk.clients(companyId) });
  }, [queryClient, companyId]);
}
