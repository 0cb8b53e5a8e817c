import { api } from './api.ts';
import type { Page } from './types.ts';

/** Cash-register sessions; base /api/v1/companies/{companyId}. Amounts in minor units. */

export type CashSessionStatus = 'open' | 'closed';

export type CashSession = {
  id: string;
  register: string;
  status: CashSessionStatus;
  openingFloat: number;
  /** Cash tendered by customers. */
  cashIn: number;
  /** Change handed back. */
  changeGiven: number;
  cashRefunds: number;
  /** openingFloat + cashIn − changeGiven − cashRefunds (live while open). */
  expectedCash: number;
  countedCash: number | null;
  /** countedCash − expectedCash, once closed. */
  difference: number | null;
  openedAt: string;
  openedBy: { id: string; name: string } | null;
  closedAt: string | null;
  closedBy: { id: string; name: string } | null;
};

/**
 * GET /cash-sessions/{id}/report: X while the session is open, Z once closed.
 * salesCount, discounts and taxes cover the sales completed in the session;
 * salesByMethod what its payments took (tips excluded); tips every tip on them.
 */
export type CashSessionReport = {
  kind: 'X' | 'Z';
  session: CashSession;
  salesCount: number;
  salesByMethod: Record<'cash' | 'card' | 'mobile_money', number>;
  refunds: { count: number; amount: number };
  discounts: { count: number; amount: number };
  tips: { total: number; byServer: Array<{ userId: string | null; name: string | null; amount: number }> };
  taxes: Array<{ rate: number; ht: number; tva: number; ttc: number }>;
  openingFloat: number;
  expectedCash: number;
  countedCash: number | null;
  difference: number | null;
};

const enc = encodeURIComponent;
const path = (companyId: string) => `/companies/${enc(companyId)}/cash-sessions`;

export const listCashSessions = (
  companyId: string,
  query: { status?: CashSessionStatus; limit?: number; cursor?: string | null } = {},
) => api.get<Page<CashSession>>(path(companyId), { query });
export const openCashSession = (companyId: string, body: { register: string; openingFloat: number }) =>
  api.post<CashSession>(path(companyId), body);
/** Answers the closed session with its Z report. */
export const closeCashSession = (companyId: string, sessionId: string, countedCash: number) =>
  api.post<CashSession & { report?: CashSessionReport }>(`${path(companyId)}/${enc(sessionId)}/close`, { countedCash });
export const getCashSessionReport = (companyId: string, sessionId: string) =>
  api.get<CashSessionReport>(`${path(companyId)}/${enc(sessionId)}/report`);
