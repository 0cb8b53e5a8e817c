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
  /** After the line's own discount. */
  lineTotal: number;
  /** The line's discount (amount: minor units off). */
  discount?: SaleDiscount | null;
  /** After its share of the whole-sale discount too (what the line really costs). */
  netTotal?: number;
  /** Rung up offline, not yet on the server (web only, see lib/offline). */
  pendingSync?: boolean;
};

export type TaxLine = { rate: number; ttc: number; ht: number; tva: number };

export const DISCOUNT_KINDS = ['amount', 'percent'] as const;
export type DiscountKind = (typeof DISCOUNT_KINDS)[number];
/** value: minor units ('amount') or basis points ('percent', 1000 = 10 %); amount: minor units taken off. */
export type SaleDiscount = {
  kind: DiscountKind;
  value: number;
  amount: number;
  reason: string;
  /** The manager who approved it (above the company's limit). */
  approvedBy?: { userId: string; name: string } | null;
};
export type DiscountInput = { kind: DiscountKind; value: number; reason: string; managerPin?: string };

export type Payment = {
  id: string;
  method: PaymentMethod;
  amount: number;
  tendered: number | null;
  change: number | null;
  reference: string | null;
  /** On top of the amount, outside the total. */
  tip?: number;
  /** Who the tip is for. */
  serverId?: string | null;
  createdAt: string;
  /** Taken offline, not yet on the server (web only). */
  pendingSync?: boolean;
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
  /** The whole-sale discount. */
  discount?: SaleDiscount | null;
  /** Every discount (lines and whole sale). */
  discountTotal?: number;
  /** Taxes of the discounted lines. */
  totals: { ttc: number; ht: number; tva: number; byRate: TaxLine[] };
  /** Tips on the payments (outside the total). */
  tips?: number;
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
  /** Web only (lib/offline): work of this sale waits in the offline queue… */
  pendingSync?: boolean;
  /** …and the server refused some of it (À corriger). */
  syncFailed?: boolean;
  /** Opened offline: its id is temporary until the server gives the real one. */
  localOnly?: boolean;
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
  /** The open cash-register session the payment goes into (cash: its drawer; other methods: its report). */
  cashSessionId?: string;
  /** On top of the amount, outside the total (cash: tendered covers amount + tip). */
  tip?: number;
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
/** A line's discount (replaces its previous one); 403 discount.approval_required above the limit without managerPin. */
export const discountItem = (companyId: string, saleId: string, itemId: string, body: DiscountInput) =>
  api.post<Sale>(`${salePath(companyId, saleId)}/items/${enc(itemId)}/discount`, body);
export const removeItemDiscount = (companyId: string, saleId: string, itemId: string) =>
  api.delete<Sale>(`${salePath(companyId, saleId)}/items/${enc(itemId)}/discount`);
/** The whole sale's discount (replaces the previous one). */
export const discountSale = (companyId: string, saleId: string, body: DiscountInput) =>
  api.post<Sale>(`${salePath(companyId, saleId)}/discount`, body);
export const removeSaleDiscount = (companyId: string, saleId: string) => api.delete<Sale>(`${salePath(companyId, saleId)}/discount`);
/** Closes an open sale with nothing left to pay (offered, or discounted down to what was paid). */
export const completeSale = (companyId: string, saleId: string) => api.post<Sale>(`${salePath(companyId, saleId)}/complete`, {});
export const cancelSale = (companyId: string, saleId: string, reason: string) =>
  api.post<Sale>(`${salePath(companyId, saleId)}/cancel`, { reason });
/** Move an open sale to a free table; answers the sale. */
export const transferSale = (companyId: string, saleId: string, tableId: string) =>
  api.post<Sale>(`${salePath(companyId, saleId)}/transfer`, { tableId });
/** Merge this open sale into another open sale; answers the target sale. */
export const mergeSale = (companyId: string, saleId: string, targetSaleId: string) =>
  api.post<Sale>(`${salePath(companyId, saleId)}/merge`, { targetSaleId });
