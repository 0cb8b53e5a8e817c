import { useQueryClient } from '@tanstack/react-query';
import { Undo2 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Card, PageHeader } from '../../components/ui/Card.tsx';
import { PageLoader, Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { REFUND_EVENTS, usePendingRefunds } from '../../lib/cashQueries.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { formatMoney } from '../../lib/money.ts';
import { qk } from '../../lib/queryKeys.ts';
import { useSale } from '../../lib/salesQueries.ts';
import { useStreamEvents } from '../../live/LiveStreamProvider.tsx';
import { rolesFor } from '../../nav.ts';
import { RefundDecisionButtons, useRefundDecision } from '../sales/RefundPanel.tsx';

const th = 'px-4 py-2 font-medium';

/** /c/:companyId/refunds — refunds waiting for an owner's or a manager's decision. */
export function RefundsPage() {
  usePageTitle('refunds.title');
  return (
    <RequireRole roles={rolesFor('refunds')}>
      <PendingRefunds />
    </RequireRole>
  );
}

/** The sale's reference (fetched once per sale, shared with the till's cache). */
function SaleRef({ companyId, saleId }: { companyId: string; saleId: string }) {
  const sale = useSale(companyId, saleId);
  return (
    <Link
      to={`/c/${companyId}/sales/${saleId}`}
      className="font-mono font-medium text-slate-900 hover:text-teal-700 hover:underline"
      data-testid="refund-sale-link"
    >
      {sale.data?.reference ?? `${saleId.slice(0, 8)}…`}
    </Link>
  );
}

function PendingRefunds() {
  const { t, i18n } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const queryClient = useQueryClient();
  const refunds = usePendingRefunds(companyId);
  const decision = useRefundDecision(companyId, membership.currency);
  useStreamEvents(REFUND_EVENTS, () => void queryClient.invalidateQueries({ queryKey: qk.pendingRefunds(companyId) }));
  const money = (n: number) => formatMoney(n, membership.currency, i18n.language);

  return (
    <div>
      <PageHeader title={t('refunds.title')} description={t('refunds.subtitle')} />
      {refunds.isPending ? (
        <PageLoader />
      ) : refunds.isError ? (
        <Alert>{errorMessage(refunds.error, t)}</Alert>
      ) : (
        <Card data-testid="refunds-card">
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="refunds-table">
              <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
                <tr>
                  <th scope="col" className={th}>
                    <span className="inline-flex items-center gap-2">
                      {t('refunds.columns.sale')}
                      {refunds.isFetching && <Spinner className="size-3.5" />}
                    </span>
                  </th>
                  <th scope="col" className={`${th} text-right`}>{t('refunds.columns.amount')}</th>
                  <th scope="col" className={th}>{t('refunds.columns.reason')}</th>
                  <th scope="col" className={`${th} hidden sm:table-cell`}>{t('refunds.columns.restock')}</th>
                  <th scope="col" className={`${th} hidden md:table-cell`}>{t('refunds.columns.requestedAt')}</th>
                  <th scope="col" className={th}><span className="sr-only">{t('refunds.columns.actions')}</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {refunds.data.map((r) => (
                  <tr key={r.id} data-testid="pending-refund" data-refund-id={r.id} data-sale-id={r.saleId}>
                    <td className="px-4 py-3"><SaleRef companyId={companyId} saleId={r.saleId} /></td>
                    <td className="px-4 py-3 text-right font-semibold whitespace-nowrap tabular-nums" data-testid="refund-row-amount">{money(r.amount)}</td>
                    <td className="max-w-xs px-4 py-3 text-slate-700">
                      <span className="line-clamp-2" title={r.reason}>{r.reason}</span>
                    </td>
                    <td className="hidden px-4 py-3 text-slate-700 sm:table-cell" data-testid="refund-restock-cell">
                      {r.restock ? t('refunds.yes') : t('refunds.no')}
                    </td>
                    <td className="hidden px-4 py-3 whitespace-nowrap text-slate-600 md:table-cell">{formatDateTime(r.createdAt, i18n.language)}</td>
                    <td className="px-4 py-3"><RefundDecisionButtons refund={r} decision={decision} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
            {refunds.data.length === 0 && (
              <div className="flex flex-col items-center gap-2 px-5 py-10 text-center text-sm text-slate-500" data-testid="refunds-empty">
                <Undo2 className="size-6 text-slate-300" aria-hidden="true" />
                <p>{t('refunds.empty')}</p>
              </div>
            )}
          </div>
        </Card>
      )}
    </div>
  );
}
