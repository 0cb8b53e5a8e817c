/**
 * React Query keys. Everything about one company starts with ['company', id] so a
 * stream `reset` (or polling) can invalidate it with one prefix. This module loads
 * with every page (the public shop and pay pages too): keys of staff-only screens
 * that are not shared may live next to their queries (e.g. insightsKeys.ts).
 */
export const qk = {
  me: ['me'] as const,
  company: (companyId: string) => ['company', companyId] as const,
  companyDetail: (companyId: string) => ['company', companyId, 'detail'] as const,
  members: (companyId: string) => ['company', companyId, 'members'] as const,
  apiTokens: (companyId: string) => ['company', companyId, 'api-tokens'] as const,
  /** Prefix of every catalog query (lists, categories, details, movements). */
  products: (companyId: string) => ['company', companyId, 'products'] as const,
  productList: (companyId: string, filters: object) => ['company', companyId, 'products', 'list', filters] as const,
  productCategories: (companyId: string) => ['company', companyId, 'products', 'categories'] as const,
  product: (companyId: string, productId: string) => ['company', companyId, 'products', 'detail', productId] as const,
  productMovements: (companyId: string, productId: string) =>
    ['company', companyId, 'products', 'movements', productId] as const,
  /** Prefix of every notification query of the signed-in user (lists, latest, count). */
  notifications: (companyId: string) => ['company', companyId, 'notifications'] as const,
  notificationList: (companyId: string, filters: object) =>
    ['company', companyId, 'notifications', 'list', filters] as const,
  notificationLatest: (companyId: string) => ['company', companyId, 'notifications', 'latest'] as const,
  notificationCount: (companyId: string) => ['company', companyId, 'notifications', 'count'] as const,
  notificationPreferences: (companyId: string) => ['company', companyId, 'notification-preferences'] as const,
  /** The floor plan (tables with their status and open sale). */
  floor: (companyId: string) => ['company', companyId, 'floor'] as const,
  /** Prefix of every sales query (lists and details). */
  sales: (companyId: string) => ['company', companyId, 'sales'] as const,
  saleLists: (companyId: string) => ['company', companyId, 'sales', 'list'] as const,
  saleList: (companyId: string, filters: object) => ['company', companyId, 'sales', 'list', filters] as const,
  sale: (companyId: string, saleId: string) => ['company', companyId, 'sales', 'detail', saleId] as const,
  /** Refunds waiting for approval. */
  pendingRefunds: (companyId: string) => ['company', companyId, 'refunds', 'pending'] as const,
  /** Prefix of every cash-register session query. */
  cashSessions: (companyId: string) => ['company', companyId, 'cash-sessions'] as const,
  cashSessionList: (companyId: string, status: string) => ['company', companyId, 'cash-sessions', 'list', status] as const,
  /** Prefix of every QR payment-session query (lists and details). */
  paymentSessions: (companyId: string) => ['company', companyId, 'payment-sessions'] as const,
  paymentSessionList: (companyId: string, filters: object) =>
    ['company', companyId, 'payment-sessions', 'list', filters] as const,
  paymentSession: (companyId: string, sessionId: string) =>
    ['company', companyId, 'payment-sessions', 'detail', sessionId] as const,
  /** Prefix of every provider-payment query (lists, details) and of the receipts. */
  payments: (companyId: string) => ['company', companyId, 'payments'] as const,
  payment: (companyId: string, paymentId: string) => ['company', companyId, 'payments', 'detail', paymentId] as const,
  receipt: (companyId: string, receiptId: string) => ['company', companyId, 'payments', 'receipt', receiptId] as const,
  /** Prefix of every client query (lists and details). */
  clients: (companyId: string) => ['company', companyId, 'clients'] as const,
  clientList: (companyId: string, filters: object) => ['company', companyId, 'clients', 'list', filters] as const,
  client: (companyId: string, clientId: string) => ['company', companyId, 'clients', 'detail', clientId] as const,
  paymentProviders: (companyId: string) => ['company', companyId, 'payment-providers'] as const,
  paymentCounters: (companyId: string) => ['company', companyId, 'payment-counters'] as const,
};
