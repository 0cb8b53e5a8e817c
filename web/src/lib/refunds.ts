import { api } from './api.ts';

/** Refunds endpoints; base /api/v1/companies/{companyId}. Amounts in minor units. */

export const REFUND_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export type RefundItem = { itemId: string; productId: string; quantity: number };

export type Refund = {
  id: string;
  saleId: string;
  amount: number;
  reason: string;
  restock: boolean;
  items: RefundItem[];
  method: string;
  status: RefundStatus;
  createdAt: string;
  decidedAt: string | null;
};

/** Exactly one of `amount` or `items`. */
export type RefundInput = {
  amount?: number;
  items?: Array<{ itemId: string; quantity: number }>;
  reason: string;
  restock: boolean;
};

const enc = encodeURIComponent;
const base = (companyId: string) => `/companies/${enc(companyId)}`;

export const requestRefund = (companyId: string, saleId: string, body: RefundInput) =>
  api.post<Refund>(`${base(companyId)}/sales/${enc(saleId)}/refunds`, body);
export const listPendingRefunds = (companyId: string) => api.get<{ items: Refund[] }>(`${base(companyId)}/refunds`);
/** Approve (optionally taking a cash refund out of a register session) or reject. */
export const decideRefund = (
  companyId: string,
  refundId: string,
  action: 'approve' | 'reject',
  body: { cashSessionId?: string } = {},
) => api.post<Refund>(`${base(companyId)}/refunds/${enc(refundId)}/${action}`, body);
