import { formatMoney } from '../payments/index.ts';
import { CURRENCIES } from '../tenancy/index.ts';
import type { Block } from './pdf.ts';
import type { PrintedReceipt } from './receipt.ts';
import type { PrintedReport } from './report.ts';

/** Printed documents speak the language asked for (the web page passes the user's); French by default. */
export type Lang = 'fr' | 'en';

const LABELS = {
  fr: {
    receipt: 'Reçu',
    bill: 'Addition',
    refunded: 'remboursé',
    partiallyRefunded: 'remboursé en partie',
    cancelled: 'Vente annulée',
    reference: 'Réf.',
    date: 'Date',
    table: 'Table',
    server: 'Serveur',
    customer: 'Client',
    unit: 'à',
    discount: 'Remise',
    subtotal: 'Sous-total',
    total: 'Total TTC',
    discountTotal: 'Dont remises',
    approvedBy: 'accordée par',
    taxHead: ['TVA', 'HT', 'TVA', 'TTC'],
    taxTotal: 'Total',
    amountsIn: 'Montants en',
    methods: { cash: 'Espèces', card: 'Carte', mobile_money: 'Mobile money' } as Record<string, string>,
    tendered: 'Montant reçu',
    change: 'Rendu',
    tip: 'Pourboire',
    tips: 'Pourboires',
    paid: 'Payé',
    due: 'Reste à payer',
    refundedAmount: 'Remboursé',
    online: 'Votre reçu en ligne',
    onlineBill: 'Votre addition en ligne',
    thanks: 'Merci de votre visite !',
    reportX: 'Rapport X (provisoire)',
    reportZ: 'Rapport Z (clôture)',
    register: 'Caisse',
    openedAt: 'Ouverture',
    closedAt: 'Clôture',
    printedAt: 'Imprimé le',
    by: 'par',
    sales: 'Ventes',
    salesCount: 'Nombre de ventes',
    byMethod: 'Encaissements par moyen',
    salesTotal: 'Total encaissé',
    refunds: 'Remboursements',
    discounts: 'Remises',
    taxes: 'TVA par taux',
    drawer: 'Tiroir-caisse',
    openingFloat: 'Fond de caisse',
    cashIn: '+ Espèces reçues',
    changeGiven: '- Monnaie rendue',
    cashRefunds: '- Remboursements espèces',
    expected: '= Attendu',
    counted: 'Compté',
    difference: 'Écart',
    notCounted: 'non compté (session ouverte)',
    nobody: 'sans serveur',
  },
  en: {
    receipt: 'Receipt',
    bill: 'Bill',
    refunded: 'refunded',
    partiallyRefunded: 'partly refunded',
    cancelled: 'Cancelled sale',
    reference: 'Ref.',
    date: 'Date',
    table: 'Table',
    server: 'Server',
    customer: 'Customer',
    unit: 'at',
    discount: 'Discount',
    subtotal: 'Subtotal',
    total: 'Total incl. tax',
    discountTotal: 'Discounts included',
    approvedBy: 'approved by',
    taxHead: ['VAT', 'Net', 'VAT', 'Gross'],
    taxTotal: 'Total',
    amountsIn: 'Amounts in',
    methods: { cash: 'Cash', card: 'Card', mobile_money: 'Mobile money' } as Record<string, string>,
    tendered: 'Tendered',
    change: 'Change',
    tip: 'Tip',
    tips: 'Tips',
    paid: 'Paid',
    due: 'Left to pay',
    refundedAmount: 'Refunded',
    online: 'Your receipt online',
    onlineBill: 'Your bill online',
    thanks: 'Thank you for your visit!',
    reportX: 'X report (interim)',
    reportZ: 'Z report (closing)',
    register: 'Register',
    openedAt: 'Opened',
    closedAt: 'Closed',
    printedAt: 'Printed',
    by: 'by',
    sales: 'Sales',
    salesCount: 'Number of sales',
    byMethod: 'Takings by method',
    salesTotal: 'Total taken',
    refunds: 'Refunds',
    discounts: 'Discounts',
    taxes: 'VAT by rate',
    drawer: 'Cash drawer',
    openingFloat: 'Opening float',
    cashIn: '+ Cash received',
    changeGiven: '- Change given',
    cashRefunds: '- Cash refunds',
    expected: '= Expected',
    counted: 'Counted',
    difference: 'Difference',
    notCounted: 'not counted (session open)',
    nobody: 'no server',
  },
} satisfies Record<Lang, unknown>;

/** An amount without its currency (tax tables: the currency is said once above). */
export function formatAmount(minor: number, currency: string): string {
  const digits = CURRENCIES[currency] ?? 2;
  return new Intl.NumberFormat('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
}

/** "F CFA", "€": how the currency is written. */
export function currencySymbol(currency: string): string {
  return new Intl.NumberFormat('fr-FR', { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency;
}

/** Basis points as a French percentage: 1800 → "18 %", 550 → "5,5 %". */
export function formatRate(bp: number): string {
  return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(bp / 100)} %`;
}

function discountLabel(l: (typeof LABELS)[Lang], d: { kind: 'amount' | 'percent'; value: number; reason: string }): string {
  return `${l.discount}${d.kind === 'percent' ? ` ${formatRate(d.value)}` : ''}${d.reason ? ` (${d.reason})` : ''}`;
}

export function receiptTitle(r: Pick<PrintedReceipt, 'status'>, lang: Lang): string {
  const l = LABELS[lang];
  if (r.status === 'open') return l.bill;
  if (r.status === 'cancelled') return l.cancelled;
  if (r.status === 'refunded') return `${l.receipt} (${l.refunded})`;
  if (r.status === 'partially_refunded') return `${l.receipt} (${l.partiallyRefunded})`;
  return l.receipt;
}

/** A receipt (or a bill, while the sale is open) as printed blocks. */
export function receiptBlocks(r: PrintedReceipt, lang: Lang): Block[] {
  const l = LABELS[lang];
  const m = (n: number) => formatMoney(n, r.currency);
  const minus = (n: number) => (n > 0 ? `-${m(n)}` : m(n));
  const b: Block[] = [{ t: 'title', text: r.business.name, size: 'xl' }];
  if (r.business.address) b.push({ t: 'text', text: r.business.address, align: 'center' });
  b.push({ t: 'rule' }, { t: 'title', text: receiptTitle(r, lang) });
  b.push({ t: 'row', left: l.reference, right: r.reference, bold: true }, { t: 'row', left: l.date, right: r.dateLocal });
  if (r.tableLabel) b.push({ t: 'row', left: l.table, right: r.tableLabel });
  if (r.serverName) b.push({ t: 'row', left: l.server, right: r.serverName });
  if (r.customerName) b.push({ t: 'row', left: l.customer, right: r.customerName });
  b.push({ t: 'rule' });
  for (const line of r.lines) {
    b.push({ t: 'row', left: `${line.quantity} × ${line.name}`, right: m(line.gross) });
    if (line.quantity > 1) b.push({ t: 'row', left: `${l.unit} ${m(line.unitPrice)}`, right: '', indent: true, small: true });
    if (line.note) b.push({ t: 'row', left: `« ${line.note} »`, right: '', indent: true, small: true });
    if (line.discount) b.push({ t: 'row', left: discountLabel(l, line.discount), right: minus(line.discount.amount), indent: true });
  }
  b.push({ t: 'rule' });
  if (r.discount) {
    b.push({ t: 'row', left: l.subtotal, right: m(r.subtotal) });
    b.push({ t: 'row', left: discountLabel(l, r.discount), right: minus(r.discount.amount) });
    if (r.discount.approvedBy) b.push({ t: 'row', left: `${l.approvedBy} ${r.discount.approvedBy}`, right: '', indent: true, small: true });
  }
  b.push({ t: 'row', left: l.total, right: m(r.totals.ttc), big: true });
  if (r.discountTotal > 0) b.push({ t: 'row', left: l.discountTotal, right: m(r.discountTotal), small: true });
  if (r.taxes.length) {
    const a = (n: number) => formatAmount(n, r.currency);
    b.push({ t: 'space' }, {
      t: 'table',
      head: l.taxHead,
      rows: r.taxes.map((t) => [formatRate(t.rate), a(t.ht), a(t.tva), a(t.ttc)]),
      ...(r.taxes.length > 1 ? { foot: [l.taxTotal, a(r.totals.ht), a(r.totals.tva), a(r.totals.ttc)] } : {}),
    }, { t: 'text', text: `${l.amountsIn} ${currencySymbol(r.currency)}`, small: true });
  }
  if (r.payments.length) {
    b.push({ t: 'rule' });
    for (const p of r.payments) {
      b.push({ t: 'row', left: `${l.methods[p.method] ?? p.method} · ${p.atLocal.slice(-5)}`, right: m(p.amount) });
      if (p.tendered !== null && (p.tendered !== p.amount || p.change > 0)) b.push({ t: 'row', left: l.tendered, right: m(p.tendered), indent: true });
      if (p.tip > 0) b.push({ t: 'row', left: l.tip, right: m(p.tip), indent: true });
      if (p.change > 0) b.push({ t: 'row', left: l.change, right: m(p.change), indent: true });
    }
    b.push({ t: 'row', left: l.paid, right: m(r.paid), bold: true });
    if (r.tips > 0 && r.payments.filter((p) => p.tip > 0).length > 1) b.push({ t: 'row', left: l.tips, right: m(r.tips) });
  }
  if (r.due > 0 && r.status === 'open') b.push({ t: 'row', left: l.due, right: m(r.due), bold: true });
  if (r.refunded > 0) b.push({ t: 'row', left: l.refundedAmount, right: minus(r.refunded) });
  b.push({ t: 'rule' }, { t: 'qr', url: r.url }, { t: 'text', text: r.status === 'open' ? l.onlineBill : l.online, align: 'center', bold: true });
  b.push({ t: 'text', text: r.url, align: 'center', small: true }, { t: 'space' }, { t: 'text', text: l.thanks, align: 'center' });
  return b;
}

/** An X or Z report as printed blocks. */
export function reportBlocks(r: PrintedReport, lang: Lang): Block[] {
  const l = LABELS[lang];
  const m = (n: number) => formatMoney(n, r.currency);
  const s = r.report.session;
  const who = (name: string | null | undefined) => (name ? ` ${l.by} ${name}` : '');
  const b: Block[] = [{ t: 'title', text: r.business.name, size: 'xl' }];
  if (r.business.address) b.push({ t: 'text', text: r.business.address, align: 'center' });
  b.push({ t: 'rule' }, { t: 'title', text: r.report.kind === 'Z' ? l.reportZ : l.reportX });
  b.push({ t: 'row', left: l.register, right: s.register, bold: true });
  b.push({ t: 'row', left: l.openedAt, right: `${r.openedAtLocal}${who(s.openedBy?.name)}` });
  if (r.closedAtLocal) b.push({ t: 'row', left: l.closedAt, right: `${r.closedAtLocal}${who(s.closedBy?.name)}` });
  b.push({ t: 'row', left: l.printedAt, right: r.printedAtLocal, small: true });

  b.push({ t: 'rule' }, { t: 'text', text: l.sales, bold: true });
  b.push({ t: 'row', left: l.salesCount, right: String(r.report.salesCount) });
  b.push({ t: 'text', text: l.byMethod });
  const methods = Object.entries(r.report.salesByMethod);
  for (const [method, amount] of methods) b.push({ t: 'row', left: l.methods[method] ?? method, right: m(amount), indent: true });
  b.push({ t: 'row', left: l.salesTotal, right: m(methods.reduce((a, [, n]) => a + n, 0)), bold: true });
  b.push({ t: 'row', left: `${l.refunds} (${r.report.refunds.count})`, right: r.report.refunds.amount > 0 ? `-${m(r.report.refunds.amount)}` : m(0) });
  b.push({ t: 'row', left: `${l.discounts} (${r.report.discounts.count})`, right: m(r.report.discounts.amount) });
  b.push({ t: 'row', left: l.tips, right: m(r.report.tips.total) });
  for (const t of r.report.tips.byServer) b.push({ t: 'row', left: t.name ?? l.nobody, right: m(t.amount), indent: true });

  if (r.report.taxes.length) {
    const a = (n: number) => formatAmount(n, r.currency);
    const sum = (k: 'ht' | 'tva' | 'ttc') => r.report.taxes.reduce((x, t) => x + t[k], 0);
    b.push({ t: 'rule' }, { t: 'text', text: l.taxes, bold: true }, {
      t: 'table',
      head: l.taxHead,
      rows: r.report.taxes.map((t) => [formatRate(t.rate), a(t.ht), a(t.tva), a(t.ttc)]),
      foot: [l.taxTotal, a(sum('ht')), a(sum('tva')), a(sum('ttc'))],
    }, { t: 'text', text: `${l.amountsIn} ${currencySymbol(r.currency)}`, small: true });
  }

  b.push({ t: 'rule' }, { t: 'text', text: l.drawer, bold: true });
  b.push({ t: 'row', left: l.openingFloat, right: m(r.report.openingFloat) });
  b.push({ t: 'row', left: l.cashIn, right: m(s.cashIn) }, { t: 'row', left: l.changeGiven, right: m(s.changeGiven) });
  b.push({ t: 'row', left: l.cashRefunds, right: m(s.cashRefunds) });
  b.push({ t: 'row', left: l.expected, right: m(r.report.expectedCash), bold: true });
  if (r.report.countedCash === null) b.push({ t: 'row', left: l.counted, right: l.notCounted, small: true });
  else {
    b.push({ t: 'row', left: l.counted, right: m(r.report.countedCash), bold: true });
    const d = r.report.difference ?? r.report.countedCash - r.report.expectedCash;
    b.push({ t: 'row', left: l.difference, right: `${d > 0 ? '+' : ''}${m(d)}`, bold: true });
  }
  return b;
}
