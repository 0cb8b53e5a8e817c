import { useQuery } from '@tanstack/react-query';
import { ChartColumn, Printer } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { type CashSession, type CashSessionReport, getCashSessionReport } from '../../lib/cashSessions.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatMoney } from '../../lib/money.ts';
import { formatPercent } from '../../lib/percent.ts';
import { qk } from '../../lib/queryKeys.ts';
import { PAYMENT_METHODS } from '../../lib/sales.ts';

/** Under the cash-sessions prefix: the stream's cash events refresh it with the sessions. */
const reportKey = (companyId: string, sessionId: string) => [...qk.cashSessions(companyId), 'report', sessionId] as const;

function useReport(sessionId: string, enabled: boolean, initial?: CashSessionReport) {
  const { companyId } = useCompanyContext();
  return useQuery({
    queryKey: reportKey(companyId, sessionId),
    queryFn: () => getCashSessionReport(companyId, sessionId),
    enabled,
    initialData: initial,
  });
}

/** The figures of an X or Z report, on screen (the printable one is the print page's). */
export function CashReportFigures({ report }: { report: CashSessionReport }) {
  const { t, i18n } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const money = (n: number) => formatMoney(n, membership.currency, i18n.language);
  const row = (label: string, value: number, testId: string, extra = '') => (
    <div className="flex justify-between gap-3">
      <dt className="text-slate-600">{label}</dt>
      <dd className={`tabular-nums ${extra}`} data-testid={testId} data-amount={value}>{money(value)}</dd>
    </div>
  );
  const heading = 'text-xs font-semibold tracking-wide text-slate-500 uppercase';
  const cell = 'px-2 py-1 text-right tabular-nums';
  return (
    <section className="space-y-4 rounded-lg border border-slate-200 p-3" data-testid="cash-report" data-kind={report.kind}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h4 className="text-sm font-semibold text-slate-900">
          {report.kind === 'Z' ? t('cashSessions.report.titleZ', { register: report.session.register }) : t('cashSessions.report.titleX', { register: report.session.register })}
        </h4>
        <Link to={`/c/${companyId}/cash-sessions/${report.session.id}/report`} className={`${linkClass} inline-flex items-center gap-1 text-sm`} data-testid="cash-report-printable">
          <Printer className="size-4" aria-hidden="true" />
          {t('cashSessions.report.printable')}
        </Link>
      </div>
      <dl className="space-y-1 text-sm">
        <div className="flex justify-between gap-3">
          <dt className="text-slate-600">{t('cashSessions.report.salesCount')}</dt>
          <dd className="font-semibold tabular-nums" data-testid="report-sales-count">{report.salesCount}</dd>
        </div>
      </dl>
      <div className="space-y-1">
        <h5 className={heading}>{t('cashSessions.report.byMethod')}</h5>
        <dl className="space-y-1 text-sm">
          {PAYMENT_METHODS.map((m) => (
            <div key={m} className="flex justify-between gap-3" data-testid="report-method" data-method={m}>
              <dt className="text-slate-600">{t(`sales.methods.${m}`)}</dt>
              <dd className="tabular-nums" data-amount={report.salesByMethod[m] ?? 0}>{money(report.salesByMethod[m] ?? 0)}</dd>
            </div>
          ))}
        </dl>
      </div>
      <dl className="space-y-1 text-sm">
        {row(t('cashSessions.report.refunds', { count: report.refunds.count }), report.refunds.amount, 'report-refunds')}
        {row(t('cashSessions.report.discounts', { count: report.discounts.count }), report.discounts.amount, 'report-discounts')}
      </dl>
      <div className="space-y-1">
        <h5 className={heading}>{t('cashSessions.report.tips')}</h5>
        {report.tips.byServer.length === 0 ? (
          <p className="text-sm text-slate-500">{t('cashSessions.report.noTips')}</p>
        ) : (
          <dl className="space-y-1 text-sm">
            {report.tips.byServer.map((s) => (
              <div key={s.userId ?? 'none'} className="flex justify-between gap-3" data-testid="report-tip" data-user-id={s.userId ?? ''}>
                <dt className="text-slate-600">{s.name ?? t('cashSessions.report.nobody')}</dt>
                <dd className="tabular-nums" data-amount={s.amount}>{money(s.amount)}</dd>
              </div>
            ))}
            <div className="flex justify-between gap-3 border-t border-slate-100 pt-1 font-semibold">
              <dt>{t('cashSessions.report.tips')}</dt>
              <dd className="tabular-nums" data-testid="report-tips-total" data-amount={report.tips.total}>{money(report.tips.total)}</dd>
            </div>
          </dl>
        )}
      </div>
      <div className="space-y-1">
        <h5 className={heading}>{t('cashSessions.report.taxes')}</h5>
        {report.taxes.length === 0 ? (
          <p className="text-sm text-slate-500">{t('cashSessions.report.noTaxes')}</p>
        ) : (
          <table className="w-full text-xs text-slate-700" data-testid="report-taxes">
            <thead>
              <tr className="text-slate-500">
                <th scope="col" className="px-2 py-1 text-left font-medium">{t('sales.totals.rate')}</th>
                <th scope="col" className={`${cell} font-medium`}>{t('sales.totals.ht')}</th>
                <th scope="col" className={`${cell} font-medium`}>{t('sales.totals.tva')}</th>
                <th scope="col" className={`${cell} font-medium`}>{t('sales.totals.ttc')}</th>
              </tr>
            </thead>
            <tbody>
              {report.taxes.map((r) => (
                <tr key={r.rate} data-testid="report-tax-rate" data-rate={r.rate} data-ttc={r.ttc}>
                  <td className="px-2 py-1">{formatPercent(r.rate, i18n.language)}</td>
                  <td className={cell}>{money(r.ht)}</td>
                  <td className={cell}>{money(r.tva)}</td>
                  <td className={cell}>{money(r.ttc)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="space-y-1">
        <h5 className={heading}>{t('cashSessions.report.cash')}</h5>
        <dl className="space-y-1 text-sm">
          {row(t('cashSessions.report.openingFloat'), report.openingFloat, 'report-opening-float')}
          {row(t('cashSessions.report.expectedCash'), report.expectedCash, 'report-expected-cash', 'font-semibold')}
          {report.countedCash !== null && row(t('cashSessions.report.countedCash'), report.countedCash, 'report-counted-cash')}
          {report.difference !== null && row(t('cashSessions.report.difference'), report.difference, 'report-difference', 'font-semibold')}
        </dl>
      </div>
    </section>
  );
}

/** "Afficher le rapport X": the open session's figures so far, on demand. */
export function XReportToggle({ session }: { session: CashSession }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const report = useReport(session.id, shown);
  return (
    <div className="space-y-3">
      <Button
        variant="secondary"
        size="sm"
        icon={<ChartColumn className="size-4" aria-hidden="true" />}
        onClick={() => setShown((v) => !v)}
        aria-expanded={shown}
        data-testid="x-report-toggle"
      >
        {shown ? t('cashSessions.report.hide') : t('cashSessions.report.showX')}
      </Button>
      {shown && <ReportBody query={report} />}
    </div>
  );
}

/** The Z report of a session just closed (the close answers it; fetched otherwise). */
export function ZReport({ session }: { session: CashSession & { report?: CashSessionReport } }) {
  const report = useReport(session.id, true, session.report);
  return <ReportBody query={report} />;
}

function ReportBody({ query }: { query: ReturnType<typeof useReport> }) {
  const { t } = useTranslation();
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <Alert>{errorMessage(query.error, t)}</Alert>;
  return <CashReportFigures report={query.data} />;
}
