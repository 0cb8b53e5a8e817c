import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from './api.ts';
import type { Station } from './types.ts';

/** Kitchen and bar tickets; base /api/v1/companies/{companyId}. */

export type TicketLine = {
  saleItemId: string;
  productId: string | null;
  name: string;
  quantity: number;
  note: string | null;
  /** new: to prepare; cancel: stop preparing (the line was removed after it was sent). */
  kind: 'new' | 'cancel';
};

export type Ticket = {
  id: string;
  sendId: string;
  saleId: string;
  reference: string;
  tableId: string | null;
  tableLabel: string | null;
  customerName: string | null;
  serverId: string | null;
  serverName: string | null;
  station: Station;
  kind: 'order' | 'cancel';
  status: 'pending' | 'ready';
  sentAt: string;
  sentBy: { type: string; id: string | null; name: string | null };
  readyAt: string | null;
  lines: TicketLine[];
};

export type SaleTickets = {
  tickets: Ticket[];
  /** The sale's lines that go to a station: quantity, and what they have told the station so far. */
  lines: Array<{ saleItemId: string; name: string; station: Station; quantity: number; sent: number }>;
};

const enc = encodeURIComponent;
const base = (companyId: string) => `/companies/${enc(companyId)}`;

export const sendToStations = (companyId: string, saleId: string) =>
  api.post<{ tickets: Ticket[] }>(`${base(companyId)}/sales/${enc(saleId)}/send-to-stations`);
export const getSaleTickets = (companyId: string, saleId: string) =>
  api.get<SaleTickets>(`${base(companyId)}/sales/${enc(saleId)}/tickets`);
export const listStationTickets = (companyId: string, station: Station, status: 'pending' | 'ready' = 'pending') =>
  api.get<{ items: Ticket[] }>(`${base(companyId)}/stations/${enc(station)}/tickets`, { query: { status } });
export const markTicketReady = (companyId: string, station: Station, ticketId: string) =>
  api.post<Ticket>(`${base(companyId)}/stations/${enc(station)}/tickets/${enc(ticketId)}/ready`);

/** Stream events after which a station's queue or a sale's tickets may have changed. */
export const TICKET_EVENTS = ['ticket_sent', 'ticket_ready'] as const;

export const stationKeys = {
  all: (companyId: string) => ['company', companyId, 'stations'] as const,
  queue: (companyId: string, station: Station) => ['company', companyId, 'stations', 'queue', station] as const,
  sale: (companyId: string, saleId: string, version?: number) => ['company', companyId, 'stations', 'sale', saleId, version] as const,
};

/** A station's pending tickets, oldest first. */
export function useStationQueue(companyId: string, station: Station) {
  return useQuery({
    queryKey: stationKeys.queue(companyId, station),
    queryFn: () => listStationTickets(companyId, station),
    select: (page) => page.items,
  });
}

/** A sale's tickets and what its lines have sent (for the till). */
export function useSaleTickets(companyId: string, saleId: string, version: number, enabled = true) {
  return useQuery({
    // The sale's version in the key: a line added or removed refetches what is left to send.
    queryKey: stationKeys.sale(companyId, saleId, version),
    queryFn: () => getSaleTickets(companyId, saleId),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Refetches every station query of the company (after a ticket event or a change here). */
export function useTicketsChanged(companyId: string) {
  const queryClient = useQueryClient();
  return useCallback(() => void queryClient.invalidateQueries({ queryKey: stationKeys.all(companyId) }), [queryClient, companyId]);
}
