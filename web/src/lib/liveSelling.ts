import { api } from './api.ts';

/**
 * Live selling (a live video sale): the mode toggle and the orders customers place
 * during it (permission live.run). An order completes itself into a paid sale
 * (channel `live`) once its four steps are done: products, payment, delivery zone, phone.
 */

export type LiveSession = {
  id: string;
  startedAt: string;
  endedAt: string | null;
  startedBy: { type: string; id: string | null; name: string | null };
  orderCount: number;
  revenue: number;
  currency: string;
};
export type LiveState = { enabled: boolean; session: LiveSession | null };

export const LIVE_ORDER_STATUSES = ['active', 'completed', 'cancelled'] as const;
export type LiveOrderStatus = (typeof LIVE_ORDER_STATUSES)[number];

/** The four steps, in the order the checklist shows them. */
export const LIVE_STEPS = ['products', 'payment', 'delivery', 'phone'] as const;
export type LiveStep = (typeof LIVE_STEPS)[number];

export type LiveOrder = {
  id: string;
  liveSessionId: string;
  externalCustomerId: string;
  status: LiveOrderStatus;
  items: Array<{ productId: string; name: string; quantity: number; unitPrice: number; lineTotal: number }>;
  total: number;
  currency: string;
  payment: { reference: string; received: number } | null;
  deliveryZone: string | null;
  customerPhone: string | null;
  checklist: Record<LiveStep, boolean>;
  /** 0, 25, 50, 75 or 100. */
  completionRate: number;
  saleId: string | null;
  saleReference: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
};

const enc = encodeURIComponent;
const base = (companyId: string) => `/companies/${enc(companyId)}/live`;

export const getLive = (companyId: string) => api.get<LiveState>(base(companyId));
/** Turns live mode on or off (on twice is harmless: one active session per company). */
export const setLive = (companyId: string, enabled: boolean) => api.post<LiveState>(base(companyId), { enabled });
export const listLiveOrders = (companyId: string, status: LiveOrderStatus = 'active') =>
  api.get<{ items: LiveOrder[] }>(`${base(companyId)}/orders`, { query: { status } });
/** Cancels an active order (its holds are released). */
export const cancelLiveOrder = (companyId: string, orderId: string) =>
  api.post<LiveOrder>(`${base(companyId)}/orders/${enc(orderId)}/cancel`);
