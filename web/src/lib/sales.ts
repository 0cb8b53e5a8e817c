import { api } from './api.ts';
import type { Page } from './types.ts';
import type { Refund } from './refunds.ts';

/** Sales and payments endpoints; base /api/v1/companies/{companyId}. Money in minor units, tax included. */

export const SALE_STATUSES = ['open', 'paid', 'cancelled', 'partially_refunded', 'refunded'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];
export const SALE_CHANNELS = ['counter', 'table', 'online', 'qr', 'live'] as const;
export type SaleChannel = (typeof SALE_CHANNELS)[number];
export const PAYMENT_METHODS = ['cash', 'card', 'mobile_money'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export type SaleItem = {
  id: string;
  productId: string;
  name: string;
  unitPrice: number;
  /** Basis points. */
  taxRate: number;
  quantity: number;
  note: string | null;
  lineTotal: number;
};

export type TaxLine = { rate: number; ttc: number; ht: number; tva: number };

export type Payment = {
  id: string;
  method: PaymentMethod;
  amount: number;
  tendered: number | null;
  change: number | null;
  reference: string | null;
  createdAt: string;
};

/** One step of a sale's story (GET /sales/{id} only). */
export type SaleEvent = { position: number; type: string; level: string; at: string; data: Record<string, unknown> };

export type Sale = {
  events?: SaleEvent[];
  id: string;
  reference: string;
  status: SaleStatus;
  channel: SaleChannel;
  tableId: string | null;
  tableLabel: string | null;
  customerName: string | null;
  serverId: string | null;
  serverName: string | null;
  items: SaleItem[];
  totals: { ttc: number; ht: number; tva: number; byRate: TaxLine[] };
  paid: number;
  due: number;
  payments: Payment[];
  /** Approved refunds so far (minor units). */
  refunded?: number;
  /** Every refund of the sale (pending, approved, rejected). */
  refunds?: Refund[];
  openedAt: string;
  paidAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  version: number;
};

export type ItemInput = { productId: string; quantity: number; note?: string };
export type NewSale = {
  tableId?: string;
  customerName?: string;
  serverId?: string;
  channel: SaleChannel;
  items: ItemInput[];
};
export type PaymentInput = {
  method: PaymentMethod;
  amount: number;
  tendered?: number;
  reference?: string;
  /** The open cash-register session a cash payment goes into. */
  cashSessionId?: string;
};
export type SaleFilters = {
  status?: SaleStatus;
  from?: string;
  to?: string;
  tableId?: string;
  serverId?: string;
  channel?: SaleChannel;
};

const enc = encodeURIComponent;
const salesPath = (companyId: string) => `/companies/${enc(companyId)}/sales`;
const salePath = (companyId: string, saleId: string) => `${salesPath(companyId)}/${enc(saleId)}`;

export const listSales = (companyId: string, query: SaleFilters & { limit?: number; cursor?: string | null } = {}) =>
  api.get<Page<Sale>>(salesPath(companyId), { query });
export const getSale = (companyId: string, saleId: string) => api.get<Sale>(salePath(companyId, saleId));
export const createSale = (companyId: string, body: NewSale) => api.post<Sale>(salesPath(companyId), body);
export const updateSale = (companyId: string, saleId: string, patch: { customerName?: string; serverId?: string }) =>
  api.patch<Sale>(salePath(companyId, saleId), patch);
export const addSaleItem = (companyId: string, saleId: string, body: ItemInput) =>
  api.post<Sale>(`${salePath(companyId, saleId)}/items`, body);
export const removeSaleItem = (companyId: string, saleId: string, itemId: string) =>
  api.delete<Sale>(`${salePath(companyId, saleId)}/items/${enc(itemId)}`);
export const addPayment = (companyId: string, saleId: string, body: PaymentInput) =>
  api.post<{ sale: Sale; payment: Payment; change: number }>(`${salePath(companyId, saleId)}/payments`, body);
export const cancelSale = (companyId: string, saleId: string, reason: string) =>
  api.post<Sale>(`${salePath(companyId, saleId)}/cancel`, { reason });
/** Move an open sale to a free table; answers the sale. */
export const transferSale = (companyId: string, saleId: string, tableId: string) =>
  api.post<Sale>(`${salePath(companyId, saleId)}/transfer`, { tableId });
/** Merge this open sale into another open sale; answers the target sale. */
export const mergeSale = (companyId: string, saleId: string, targetSaleId: string) =>
  api.post<Sale>(`${salePath(companyId, saleId)}/merge`, { targetSaleId });
