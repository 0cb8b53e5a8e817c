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

const enc = encodeURIComponent;
const path = (companyId: string) => `/companies/${enc(companyId)}/cash-sessions`;

export const listCashSessions = (
  companyId: string,
  query: { status?: CashSessionStatus; limit?: number; cursor?: string | null } = {},
) => api.get<Page<CashSession>>(path(companyId), { query });
export const openCashSession = (companyId: string, body: { register: string; openingFloat: number }) =>
  api.post<CashSession>(path(companyId), body);
export const closeCashSession = (companyId: string, sessionId: string, countedCash: number) =>
  api.post<CashSession>(`${path(companyId)}/${enc(sessionId)}/close`, { countedCash });
