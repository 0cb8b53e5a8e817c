import QRCode from 'qrcode';
import type { Ctx } from '../../platform/context.ts';
import { formatLocal } from '../payments/index.ts';
import { getSale } from '../sales/index.ts';
import { getCompany } from '../tenancy/index.ts';
import { receiptLink } from './links.ts';

/** A discount as the sale gives it (`amount` = minor units taken off). */
export interface PrintedDiscount {
  kind: 'amount' | 'percent';
  value: number;
  amount: number;
  reason: string;
}

/**
 * Everything a printed receipt says, in one shape for the PDF, the print page and
 * the public online copy. Money in minor units of `currency`; dates already local.
 */
export interface PrintedReceipt {
  reference: string;
  /** open: a bill (addition) still to pay; paid, partially_refunded, refunded: a receipt. */
  status: string;
  channel: string;
  business: { name: string; address: string | null };
  currency: string;
  timeZone: string;
  /** When it was paid (or opened, while open), as an instant and on the company's clock. */
  date: string;
  dateLocal: string;
  tableLabel: string | null;
  serverName: string | null;
  customerName: string | null;
  lines: Array<{ name: string; quantity: number; unitPrice: number; note: string | null; gross: number; discount: PrintedDiscount | null; total: number }>;
  /** Sum of the lines after their own discounts, before the whole-sale discount. */
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
  /** The online copy the QR code leads to, and that QR code (SVG, for the print pages). */
  url: string;
  qrSvg: string;
}

const pickDiscount = (d: PrintedDiscount | null | undefined): PrintedDiscount | null =>
  d && d.amount > 0 ? { kind: d.kind, value: d.value, amount: d.amount, reason: d.reason } : null;

/** The printable receipt of a sale of the current company (404 sale.not_found otherwise). */
export async function printedReceipt(ctx: Ctx, publicUrl: string, saleId: string): Promise<PrintedReceipt> {
  const sale = await getSale(ctx, saleId);
  const company = await getCompany(ctx);
  const tz = company.timezone;
  const date = new Date(sale.paidAt ?? sale.openedAt);
  const lines = sale.items.map((i) => {
    const discount = pickDiscount(i.discount);
    const gross = i.unitPrice * i.quantity;
    return { name: i.name, quantity: i.quantity, unitPrice: i.unitPrice, note: i.note, gross, discount, total: i.lineTotal };
  });
  const saleDiscount = pickDiscount(sale.discount);
  const payments = sale.payments.map((p) => ({
    method: p.method,
    amount: p.amount,
    tendered: p.tendered,
    change: p.change,
    tip: p.tip,
    at: p.createdAt,
    atLocal: formatLocal(new Date(p.createdAt), tz),
  }));
  const url = await receiptLink(ctx, publicUrl, sale.id);
  return {
    reference: sale.reference,
    status: sale.status,
    channel: sale.channel,
    business: { name: company.name, address: company.settings.address ?? null },
    currency: sale.currency,
    timeZone: tz,
    date: date.toISOString(),
    dateLocal: formatLocal(date, tz),
    tableLabel: sale.tableLabel,
    serverName: sale.serverName,
    customerName: sale.customerName,
    lines,
    subtotal: lines.reduce((a, l) => a + l.total, 0),
    discount: saleDiscount ? { ...saleDiscount, approvedBy: sale.discount?.approvedBy?.name ?? null } : null,
    discountTotal: sale.discountTotal,
    taxes: sale.totals.byRate.map((t) => ({ rate: t.rate, ht: t.ht, tva: t.tva, ttc: t.ttc })),
    totals: { ht: sale.totals.ht, tva: sale.totals.tva, ttc: sale.totals.ttc },
    payments,
    tips: sale.tips,
    paid: sale.paid,
    due: sale.due,
    refunded: sale.refunded,
    url,
    qrSvg: await QRCode.toString(url, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' }),
  };
}
