import type { Ctx } from '../../platform/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { getSale } from '../sales/index.ts';
import { CURRENCIES, getCompany } from '../tenancy/index.ts';
import type { PaymentsEnv } from './credentials.ts';
import { maskEmail, maskPhone } from './rules.ts';

export interface ReceiptContent {
  reference: string;
  business: { name: string; address: string | null };
  /** total: after the line's own discount (discount: minor units off, absent on older receipts). */
  lines: Array<{ name: string; quantity: number; unitPrice: number; total: number; discount?: number; discountReason?: string }>;
  /** The whole-sale discount (absent on older receipts). */
  discount?: { amount: number; reason: string } | null;
  /** Every discount of the sale. */
  discountTotal?: number;
  taxes: Array<{ rate: number; base: number; tax: number }>;
  total: number;
  currency: string;
  /** tip: on top of the amount, outside the total. */
  payments: Array<{ method: string; amount: number; tip?: number }>;
  tips?: number;
  method: string;
  paidAt: string;
  paidAtLocal: string;
  timeZone: string;
  clientName: string | null;
}

export type Channel = 'email' | 'sms';

/** "12 500 F CFA", "12,50 €": the amount in the company currency, French style. */
export function formatMoney(minor: number, currency: string): string {
  const digits = CURRENCIES[currency] ?? 2;
  return new Intl.NumberFormat('fr-FR', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
}

export function formatLocal(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(at);
}

/**
 * The receipt of a paid sale, stored with what it says, and one delivery per channel
 * the client gave that is configured here; each delivery is a job enqueued in this
 * (the payment's) transaction, so a crash after commit still sends it.
 */
export async function createReceipt(
  ctx: Ctx,
  env: PaymentsEnv,
  saleId: string,
  to: { paymentSessionId?: string | null; email?: string | null; phone?: string | null; clientId?: string | null },
): Promise<string> {
  const [company, sale] = [await getCompany(ctx), await getSale(ctx, saleId)];
  const paidAt = sale.paidAt ? new Date(sale.paidAt) : ctx.clock.now();
  const content: ReceiptContent = {
    reference: sale.reference,
    business: { name: company.name, address: company.settings.address ?? null },
    lines: sale.items.map((i) => ({
      name: i.name,
      quantity: i.quantity,
      unitPrice: i.unitPrice,
      total: i.lineTotal,
      ...(i.discount ? { discount: i.discount.amount, discountReason: i.discount.reason } : {}),
    })),
    discount: sale.discount ? { amount: sale.discount.amount, reason: sale.discount.reason } : null,
    discountTotal: sale.discountTotal,
    taxes: sale.totals.byRate.map((t) => ({ rate: t.rate, base: t.ht, tax: t.tva })),
    total: sale.totals.ttc,
    currency: sale.currency,
    payments: sale.payments.map((p) => ({ method: p.method, amount: p.amount, tip: p.tip })),
    tips: sale.tips,
    method: sale.payments[sale.payments.length - 1]?.method ?? 'cash',
    paidAt: paidAt.toISOString(),
    paidAtLocal: formatLocal(paidAt, company.timezone),
    timeZone: company.timezone,
    clientName: sale.customerName,
  };
  const { rows } = await ctx.tx.client.query(
    `INSERT INTO receipts (company_id, id, sale_id, payment_session_id, content, email, phone, created_at)
     VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7) ON CONFLICT (company_id, sale_id) DO NOTHING RETURNING id`,
    [ctx.companyId, saleId, to.paymentSessionId ?? null, JSON.stringify(content), to.email?.trim() || null, to.phone?.trim() || null, ctx.clock.now()],
  );
  const id = rows[0]?.id as string | undefined;
  if (!id) return (await ctx.tx.client.query('SELECT id FROM receipts WHERE company_id = $1 AND sale_id = $2', [ctx.companyId, saleId])).rows[0].id;
  if (to.email && env.mailerEnabled) await queueDelivery(ctx, env, id, 'email', to.email.trim());
  if (to.phone && env.config.smsUrl) await queueDelivery(ctx, env, id, 'sms', to.phone.trim());
  return id;
}

async function queueDelivery(ctx: Ctx, env: PaymentsEnv, receiptId: string, channel: Channel, recipient: string): Promise<void> {
  await ctx.tx.client.query(
    `INSERT INTO receipt_deliveries (company_id, receipt_id, channel, recipient, status, updated_at) VALUES ($1, $2, $3, $4, 'pending', $5)
     ON CONFLICT (company_id, receipt_id, channel) DO UPDATE SET recipient = EXCLUDED.recipient, status = 'pending', last_error = NULL, updated_at = EXCLUDED.updated_at`,
    [ctx.companyId, receiptId, channel, recipient, ctx.clock.now()],
  );
  await env.jobs.enqueue(ctx, 'payments.send-receipt', { companyId: ctx.companyId, receiptId, channel });
}

/** Staff send a receipt again (to the same contact, or another one). */
export async function resendReceipt(ctx: Ctx, env: PaymentsEnv, receiptId: string, channel?: Channel, to?: string): Promise<void> {
  const { rows } = await ctx.tx.client.query('SELECT email, phone FROM receipts WHERE company_id = $1 AND id = $2', [ctx.companyId, receiptId]);
  if (!rows[0]) throw notFound('receipt.not_found');
  const targets: Array<[Channel, string | null]> = [];
  if (!channel || channel === 'email') targets.push(['email', channel === 'email' && to ? to : rows[0].email]);
  if (!channel || channel === 'sms') targets.push(['sms', channel === 'sms' && to ? to : rows[0].phone]);
  let queued = 0;
  for (const [c, recipient] of targets) {
    if (!recipient) continue;
    if (c === 'email' && !env.mailerEnabled) continue;
    if (c === 'sms' && !env.config.smsUrl) continue;
    if (to) await ctx.tx.client.query(`UPDATE receipts SET ${c === 'email' ? 'email' : 'phone'} = $3 WHERE company_id = $1 AND id = $2`, [ctx.companyId, receiptId, to]);
    await queueDelivery(ctx, env, receiptId, c, recipient);
    queued++;
  }
  if (!queued) throw conflict('receipt.no_channel');
}

export interface ReceiptView extends ReceiptContent {
  id: string;
  saleId: string;
  paymentSessionId: string | null;
  deliveries: Array<{ channel: Channel; to: string; status: string; attempts: number; lastError: string | null; sentAt: string | null }>;
}

export async function getReceipt(ctx: Ctx, where: { id?: string; saleId?: string; paymentSessionId?: string }): Promise<ReceiptView> {
  const { rows } = await ctx.tx.client.query(
    `SELECT * FROM receipts WHERE company_id = $1 AND (($2::uuid IS NOT NULL AND id = $2) OR ($3::uuid IS NOT NULL AND sale_id = $3) OR ($4::uuid IS NOT NULL AND payment_session_id = $4))
     LIMIT 1`,
    [ctx.companyId, where.id ?? null, where.saleId ?? null, where.paymentSessionId ?? null],
  );
  const r = rows[0];
  if (!r) throw notFound('receipt.not_found');
  const { rows: d } = await ctx.tx.client.query('SELECT * FROM receipt_deliveries WHERE company_id = $1 AND receipt_id = $2 ORDER BY channel', [ctx.companyId, r.id]);
  return {
    id: r.id,
    saleId: r.sale_id,
    paymentSessionId: r.payment_session_id,
    ...(r.content as ReceiptContent),
    deliveries: d.map((x) => ({
      channel: x.channel,
      to: x.channel === 'email' ? maskEmail(x.recipient) : maskPhone(x.recipient),
      status: x.status,
      attempts: x.attempts,
      lastError: x.last_error,
      sentAt: x.sent_at?.toISOString() ?? null,
    })),
  };
}

const METHOD_LABEL: Record<string, string> = { cash: 'Espèces / Cash', card: 'Carte / Card', mobile_money: 'Mobile money' };

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The receipt as plain text (e-mail text part; the SMS is shorter). */
export function receiptText(r: ReceiptContent): string {
  const m = (n: number) => formatMoney(n, r.currency);
  return [
    r.business.name,
    ...(r.business.address ? [r.business.address] : []),
    '',
    `Reçu / Receipt ${r.reference}`,
    r.paidAtLocal,
    '',
    ...r.lines.flatMap((l) => [
      `${l.quantity} × ${l.name}  ${m(l.total)}`,
      ...(l.discount ? [`  Remise / Discount${l.discountReason ? ` (${l.discountReason})` : ''} : −${m(l.discount)}`] : []),
    ]),
    ...(r.discount ? [`Remise / Discount${r.discount.reason ? ` (${r.discount.reason})` : ''} : −${m(r.discount.amount)}`] : []),
    '',
    ...r.taxes.map((t) => `TVA ${t.rate / 100} % : ${m(t.tax)} (HT ${m(t.base)})`),
    `Total TTC : ${m(r.total)}`,
    ...r.payments.map((p) => `${METHOD_LABEL[p.method] ?? p.method} : ${m(p.amount)}${p.tip ? ` + pourboire / tip ${m(p.tip)}` : ''}`),
    '',
    'Merci de votre visite ! / Thank you!',
  ].join('\n');
}

export function receiptSms(r: ReceiptContent): string {
  return `${r.business.name} : reçu ${r.reference}, ${formatMoney(r.total, r.currency)} payé le ${r.paidAtLocal}. Merci !`;
}

/** The receipt as a standalone HTML page (e-mail HTML part and the client's download). */
export function receiptHtml(r: ReceiptContent): string {
  const m = (n: number) => esc(formatMoney(n, r.currency));
  const discountRow = (label: string, amount: number) =>
    `<tr><td style="color:#555;padding-left:12px">Remise / Discount${label ? ` (${esc(label)})` : ''}</td><td style="text-align:right;color:#555">−${m(amount)}</td></tr>`;
  const rows = r.lines
    .map((l) => `<tr><td>${l.quantity} × ${esc(l.name)}</td><td style="text-align:right">${m(l.total)}</td></tr>${l.discount ? discountRow(l.discountReason ?? '', l.discount) : ''}`)
    .join('') + (r.discount ? discountRow(r.discount.reason, r.discount.amount) : '');
  const taxes = r.taxes.map((t) => `<tr><td>TVA ${t.rate / 100} % (HT ${m(t.base)})</td><td style="text-align:right">${m(t.tax)}</td></tr>`).join('');
  const pays = r.payments
    .map((p) => `<tr><td>${esc(METHOD_LABEL[p.method] ?? p.method)}</td><td style="text-align:right">${m(p.amount)}</td></tr>${p.tip ? `<tr><td style="color:#555;padding-left:12px">Pourboire / Tip</td><td style="text-align:right;color:#555">${m(p.tip)}</td></tr>` : ''}`)
    .join('');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Reçu ${esc(r.reference)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:420px;margin:24px auto;padding:0 16px;color:#111">
<h1 style="font-size:20px;margin:0">${esc(r.business.name)}</h1>${r.business.address ? `<p style="margin:4px 0;color:#555">${esc(r.business.address)}</p>` : ''}
<p style="margin:16px 0 4px"><strong>Reçu / Receipt ${esc(r.reference)}</strong></p><p style="margin:0;color:#555">${esc(r.paidAtLocal)} (${esc(r.timeZone)})</p>
${r.clientName ? `<p style="margin:4px 0;color:#555">Client : ${esc(r.clientName)}</p>` : ''}
<table style="width:100%;border-collapse:collapse;margin-top:16px">${rows}<tr><td colspan="2"><hr></td></tr>${taxes}
<tr><td><strong>Total TTC</strong></td><td style="text-align:right"><strong>${m(r.total)}</strong></td></tr>${pays}</table>
<p style="margin-top:24px;color:#555">Merci de votre visite ! / Thank you!</p></body></html>`;
}
