import { useTranslation } from 'react-i18next';
import { formatPercent } from '../../lib/percent.ts';
import type { PaperFormat, PrintedDiscount, PrintedReceipt } from '../../lib/printing.ts';
import { Business, Paper, Row, Rule, TaxTable, Title, useAmounts } from './PrintedParts.tsx';

/** "Reçu", "Addition" (open), "Reçu (remboursé)"… */
export function useReceiptTitle() {
  const { t } = useTranslation();
  return (status: string) =>
    status === 'open'
      ? t('printed.bill')
      : status === 'cancelled'
        ? t('printed.cancelled')
        : status === 'refunded'
          ? `${t('printed.receipt')} (${t('printed.refunded')})`
          : status === 'partially_refunded'
            ? `${t('printed.receipt')} (${t('printed.partiallyRefunded')})`
            : t('printed.receipt');
}

/**
 * A sale's receipt (a bill while open) as the printer shows it: the same content as
 * its PDF — business, reference, local date, lines with their discounts, totals,
 * VAT by rate, payments with tendered, change and tips, and the QR of its online copy.
 */
export function ReceiptDocument({ receipt: r, format }: { receipt: PrintedReceipt; format: PaperFormat }) {
  const { t, i18n } = useTranslation();
  const title = useReceiptTitle();
  const { money, minus, plain, symbol } = useAmounts(r.currency, i18n.language);
  const rate = (bp: number) => formatPercent(bp, i18n.language);
  const discountLabel = (d: PrintedDiscount) =>
    `${t('printed.discount')}${d.kind === 'percent' ? ` ${rate(d.value)}` : ''}${d.reason ? ` (${d.reason})` : ''}`;
  const method = (m: string) => t(`printed.methods.${m}`, { defaultValue: m });

  return (
    <Paper format={format} testId="printed-receipt">
      <Business name={r.business.name} address={r.business.address} />
      <Rule />
      <Title>{title(r.status)}</Title>
      <Row label={t('printed.reference')} value={<span data-testid="printed-reference">{r.reference}</span>} strong />
      <Row label={t('printed.date')} value={r.dateLocal} />
      {r.tableLabel && <Row label={t('printed.table')} value={r.tableLabel} />}
      {r.serverName && <Row label={t('printed.server')} value={r.serverName} />}
      {r.customerName && <Row label={t('printed.customer')} value={r.customerName} />}
      <Rule />
      <div data-testid="printed-lines">
        {r.lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: printed lines have no id and never move
          <div key={i} className="printed-line" data-testid="printed-line">
            <Row label={`${l.quantity} × ${l.name}`} value={money(l.gross)} amount={l.gross} />
            {l.quantity > 1 && <Row label={t('printed.unitPrice', { price: money(l.unitPrice) })} indent small />}
            {l.note && <Row label={`« ${l.note} »`} indent small />}
            {l.discount && <Row label={discountLabel(l.discount)} value={minus(l.discount.amount)} indent testId="printed-line-discount" amount={l.discount.amount} />}
          </div>
        ))}
      </div>
      <Rule />
      {r.discount && (
        <>
          <Row label={t('printed.subtotal')} value={money(r.subtotal)} />
          <Row label={discountLabel(r.discount)} value={minus(r.discount.amount)} testId="printed-discount" amount={r.discount.amount} />
          {r.discount.approvedBy && <Row label={t('printed.approvedBy', { name: r.discount.approvedBy })} indent small />}
        </>
      )}
      <Row label={t('printed.total')} value={money(r.totals.ttc)} big testId="printed-total" amount={r.totals.ttc} />
      {r.discountTotal > 0 && <Row label={t('printed.discountTotal')} value={money(r.discountTotal)} small testId="printed-discount-total" amount={r.discountTotal} />}
      {r.taxes.length > 0 && (
        <TaxTable
          head={[t('printed.taxRate'), t('printed.ht'), t('printed.tva'), t('printed.ttc')]}
          rows={r.taxes.map((x) => [rate(x.rate), plain(x.ht), plain(x.tva), plain(x.ttc)])}
          foot={r.taxes.length > 1 ? [t('printed.taxTotal'), plain(r.totals.ht), plain(r.totals.tva), plain(r.totals.ttc)] : undefined}
          note={t('printed.amountsIn', { currency: symbol })}
        />
      )}
      {r.payments.length > 0 && (
        <>
          <Rule />
          {r.payments.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: payments are listed in order and never move
            <div key={i} data-testid="printed-payment" data-method={p.method}>
              <Row label={`${method(p.method)} · ${p.atLocal.slice(-5)}`} value={money(p.amount)} amount={p.amount} />
              {p.tendered !== null && (p.tendered !== p.amount || p.change > 0) && <Row label={t('printed.tendered')} value={money(p.tendered)} indent />}
              {p.tip > 0 && <Row label={t('printed.tip')} value={money(p.tip)} indent testId="printed-tip" amount={p.tip} />}
              {p.change > 0 && <Row label={t('printed.change')} value={money(p.change)} indent testId="printed-change" amount={p.change} />}
            </div>
          ))}
          <Row label={t('printed.paid')} value={money(r.paid)} strong />
          {r.tips > 0 && r.payments.filter((p) => p.tip > 0).length > 1 && <Row label={t('printed.tips')} value={money(r.tips)} />}
        </>
      )}
      {r.due > 0 && r.status === 'open' && <Row label={t('printed.due')} value={money(r.due)} strong testId="printed-due" amount={r.due} />}
      {r.refunded > 0 && <Row label={t('printed.refundedAmount')} value={minus(r.refunded)} />}
      <Rule />
      <figure className="printed-qr">
        <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.qrSvg)}`} alt={r.url} data-testid="printed-qr" />
        <figcaption>
          <strong>{r.status === 'open' ? t('printed.onlineBill') : t('printed.online')}</strong>
          <span className="printed-url">{r.url}</span>
        </figcaption>
      </figure>
      <p className="printed-thanks">{t('printed.thanks')}</p>
    </Paper>
  );
}
