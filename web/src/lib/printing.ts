/**
 * Printed receipts and register reports (the printing capability). The server says
 * what a document contains (the same content as its PDF); the print pages lay it out
 * for an 80 mm roll or A4. Money in minor units; dates already on the company clock.
 */
import { API_BASE, api } from './api.ts';

export const PAPER_FORMATS = ['80mm', 'a4'] as const;
export type PaperFormat = (typeof PAPER_FORMATS)[number];

export const paperFormat = (value: string | null): PaperFormat => (value === 'a4' ? 'a4' : '80mm');

export type PrintedDiscount = { kind: 'amount' | 'percent'; value: number; amount: number; reason: string };

export type PrintedReceipt = {
  reference: string;
  status: string;
  channel: string;
  business: { name: string; address: string | null };
  currency: string;
  timeZone: string;
  date: string;
  dateLocal: string;
  tableLabel: string | null;
  serverName: string | null;
  customerName: string | null;
  lines: Array<{ name: string; quantity: number; unitPrice: number; note: string | null; gross: number; discount: PrintedDiscount | null; total: number }>;
  subtotal: number;
  discount: (PrintedDiscount & { approvedBy: string | null }) | null;
  discountTotal: number;
  taxes: Array<{ rate: number; ht: number; tva: number; ttc: number }>;
  totals: { ht: number; tva: number; ttc: number };
  payments: Array<{ method: string; amount: number; tendered: number | null; change: number; tip: number; at: string; atLocal: string }>;
  tips: number;
  paid: number;
  due: number;
  refunded: number;
  url: string;
  qrSvg: string;
};

export type CashReport = {
  kind: 'X' | 'Z';
  session: {
    id: string;
    register: string;
    status: 'open' | 'closed';
    cashIn: number;
    changeGiven: number;
    cashRefunds: number;
    openedBy: { id: string | null; name: string | null } | null;
    closedBy: { id: string | null; name: string | null } | null;
  };
  salesCount: number;
  salesByMethod: Record<string, number>;
  refunds: { count: number; amount: number };
  discounts: { count: number; amount: number };
  tips: { total: number; byServer: Array<{ userId: string | null; name: string | null; amount: number }> };
  taxes: Array<{ rate: number; ht: number; tva: number; ttc: number }>;
  openingFloat: number;
  expectedCash: number;
  countedCash: number | null;
  difference: number | null;
};

export type PrintedReport = {
  business: { name: string; address: string | null };
  currency: string;
  timeZone: string;
  openedAtLocal: string;
  closedAtLocal: string | null;
  printedAtLocal: string;
  report: CashReport;
};

const enc = encodeURIComponent;
const company = (companyId: string) => `/companies/${enc(companyId)}`;
const lang = (language: string) => (language.startsWith('en') ? 'en' : 'fr');

export const printingApi = {
  saleReceipt: (companyId: string, saleId: string) => api.get<PrintedReceipt>(`${company(companyId)}/sales/${enc(saleId)}/receipt`),
  cashReport: (companyId: string, sessionId: string) => api.get<PrintedReport>(`${company(companyId)}/cash-sessions/${enc(sessionId)}/report/printed`),
  publicReceipt: (token: string) => api.get<PrintedReceipt>(`/public/receipts/${enc(token)}`),
};

/** PDF links (plain links: the browser shows or saves them). */
export const printingPdf = {
  sale: (companyId: string, saleId: string, format: PaperFormat, language: string) =>
    `${API_BASE}${company(companyId)}/sales/${enc(saleId)}/receipt.pdf?format=${format}&lang=${lang(language)}`,
  cashReport: (companyId: string, sessionId: string, format: PaperFormat, language: string) =>
    `${API_BASE}${company(companyId)}/cash-sessions/${enc(sessionId)}/report.pdf?format=${format}&lang=${lang(language)}`,
  publicReceipt: (token: string, format: PaperFormat, language: string) =>
    `${API_BASE}/public/receipts/${enc(token)}.pdf?format=${format}&lang=${lang(language)}`,
  /** A paid QR payment's receipt (the /pay/{token} page). */
  payReceipt: (token: string, language: string) => `${API_BASE}/public/pay/${enc(token)}/receipt.pdf?format=80mm&lang=${lang(language)}`,
};

export const printingKeys = {
  saleReceipt: (companyId: string, saleId: string) => ['printing', companyId, 'sale', saleId] as const,
  cashReport: (companyId: string, sessionId: string) => ['printing', companyId, 'cash-report', sessionId] as const,
  publicReceipt: (token: string) => ['printing', 'public', token] as const,
};
