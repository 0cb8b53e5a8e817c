import { useTranslation } from 'react-i18next';
import { formatPercent } from '../../lib/percent.ts';
import type { PaperFormat, PrintedReport } from '../../lib/printing.ts';
import { Business, Paper, Row, Rule, TaxTable, Title, useAmounts } from './PrintedParts.tsx';

/**
 * An X (session open) or Z (closed) report as printed: sales by method, refunds,
 * discounts, tips per server, VAT by rate, and the drawer — expected against counted.
 */
export function ReportDocument({ report: p, format }: { report: PrintedReport; format: PaperFormat }) {
  const { t, i18n } = useTranslation();
  const { money, minus, plain, symbol } = useAmounts(p.currency, i18n.language);
  const r = p.report;
  const s = r.session;
  const when = (date: string, name: string | null | undefined) => (name ? t('printed.by', { date, name }) : date);
  const methods = Object.entries(r.salesByMethod);
  const sum = (k: 'ht' | 'tva' | 'ttc') => r.taxes.reduce((a, x) => a + x[k], 0);
  const difference = r.countedCash === null ? null : (r.difference ?? r.countedCash - r.expectedCash);

  return (
    <Paper format={format} testId="printed-report">
      <Business name={p.business.name} address={p.business.address} />
      <Rule />
      <Title>
        <span data-testid="printed-report-kind" data-kind={r.kind}>
          {r.kind === 'Z' ? t('printed.reportZ') : t('printed.reportX')}
        </span>
      </Title>
      <Row label={t('printed.register')} value={s.register} strong />
      <Row label={t('printed.openedAt')} value={when(p.openedAtLocal, s.openedBy?.name)} />
      {p.closedAtLocal && <Row label={t('printed.closedAt')} value={when(p.closedAtLocal, s.closedBy?.name)} />}
      <Row label={t('printed.printedAt')} value={p.printedAtLocal} small />
      <Rule />
      <p className="printed-heading">{t('printed.sales')}</p>
      <Row label={t('printed.salesCount')} value={String(r.salesCount)} testId="printed-sales-count" amount={r.salesCount} />
      <p>{t('printed.byMethod')}</p>
      {methods.map(([m, amount]) => (
        <Row key={m} label={t(`printed.methods.${m}`, { defaultValue: m })} value={money(amount)} indent testId="printed-method" amount={amount} />
      ))}
      <Row label={t('printed.salesTotal')} value={money(methods.reduce((a, [, n]) => a + n, 0))} strong />
      <Row label={t('printed.refunds', { count: r.refunds.count })} value={minus(r.refunds.amount)} testId="printed-refunds" amount={r.refunds.amount} />
      <Row label={t('printed.discounts', { count: r.discounts.count })} value={money(r.discounts.amount)} testId="printed-discounts" amount={r.discounts.amount} />
      <Row label={t('printed.tips')} value={money(r.tips.total)} testId="printed-tips" amount={r.tips.total} />
      {r.tips.byServer.map((x) => (
        <Row key={x.userId ?? ''} label={x.name ?? t('printed.nobody')} value={money(x.amount)} indent />
      ))}
      {r.taxes.length > 0 && (
        <>
          <Rule />
          <p className="printed-heading">{t('printed.taxes')}</p>
          <TaxTable
            head={[t('printed.taxRate'), t('printed.ht'), t('printed.tva'), t('printed.ttc')]}
            rows={r.taxes.map((x) => [formatPercent(x.rate, i18n.language), plain(x.ht), plain(x.tva), plain(x.ttc)])}
            foot={[t('printed.taxTotal'), plain(sum('ht')), plain(sum('tva')), plain(sum('ttc'))]}
            note={t('printed.amountsIn', { currency: symbol })}
          />
        </>
      )}
      <Rule />
      <p className="printed-heading">{t('printed.drawer')}</p>
      <Row label={t('printed.openingFloat')} value={money(r.openingFloat)} />
      <Row label={t('printed.cashIn')} value={money(s.cashIn)} />
      <Row label={t('printed.changeGiven')} value={money(s.changeGiven)} />
      <Row label={t('printed.cashRefunds')} value={money(s.cashRefunds)} />
      <Row label={t('printed.expected')} value={money(r.expectedCash)} strong testId="printed-expected" amount={r.expectedCash} />
      {r.countedCash === null || difference === null ? (
        <Row label={t('printed.counted')} value={t('printed.notCounted')} small />
      ) : (
        <>
          <Row label={t('printed.counted')} value={money(r.countedCash)} strong testId="printed-counted" amount={r.countedCash} />
          <Row label={t('printed.difference')} value={`${difference > 0 ? '+' : ''}${money(difference)}`} strong testId="printed-difference" amount={difference} />
        </>
      )}
    </Paper>
  );
}
