import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useCompanyContext } from '../lib/companyContext.ts';
import { PAYMENT_EVENTS, useRefreshPayments } from '../lib/paymentQueries.ts';
import { qk } from '../lib/queryKeys.ts';
import { useStreamEvents } from './LiveStreamProvider.tsx';

/** A client going through the QR journey sends a few events in a row: refetch once. */
const COALESCE_MS = 250;

/** Events after which a sale's payments may have changed (a card or mobile-money payment of a counter sale). */
const SALE_PAYMENT_EVENTS: readonly string[] = ['payment_confirmed', 'payment_failed', 'payment_issue'];

/**
 * Mounted once in the company layout: keeps the QR payment sessions, payments,
 * receipts and clients fresh while clients scan, identify and pay (only the
 * queries on screen refetch). Failures and issues pop up as notifications
 * (NotificationsLiveSync), not here.
 */
export function PaymentsLiveSync() {
  const queryClient = useQueryClient();
  const { companyId } = useCompanyContext();
  const refresh = useRefreshPayments(companyId);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const salesToo = useRef(false);

  useEffect(() => () => clearTimeout(timer.current), []);

  useStreamEvents(PAYMENT_EVENTS, (frame) => {
    if (SALE_PAYMENT_EVENTS.includes(frame.type)) salesToo.current = true;
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      refresh();
      if (salesToo.current) {
        salesToo.current = false;
        void queryClient.invalidateQueries({ queryKey: qk.sales(companyId) });
      }
    }, COALESCE_MS);
  });
  return null;
}
