import { History } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { linkClass } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader } from '../../components/ui/Card.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { formatMoney } from '../../lib/money.ts';
import { useClient } from '../../lib/paymentQueries.ts';
import { rolesFor } from '../../nav.ts';
import { BackTo } from '../payments/paymentUi.tsx';

const th = 'px-4 py-2 font-medium';

/** /c/:companyId/clients/:clientId — a client, their figures and their visits (sales). */
export function ClientDetailPage() {
  const { clientId = '' } = useParams();
  const { companyId } = useCompanyContext();
  const query = useClient(companyId, clientId);
  usePageTitle(query.data ? 'clients.detail.pageTitle' : 'clients.title', { name: query.data?.name ?? '' });
  return (
    <RequireRole roles={rolesFor('clients')}>
      <ClientDetail query={query} />
    </RequireRole>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm" data-testid={testId}>
      <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</p>
      <p className="mt-1 text-lg font-semibold text-slate-900 tabular-nums">{value}</p>
    </div>
  );
}

function ClientDetail({ query }: { query: ReturnType<typeof useClient> }) {
  const { t, i18n } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const back = <BackTo to={`/c/${companyId}/clients`} label={t('clients.detail.back')} />;

  if (query.isPending) return <PageLoader />;
  if (query.isError) {
    return (
      <div className="space-y-4">
        {back}
        <Alert>{isApiError(query.error, 'not_found') ? t('clients.detail.notFound') : errorMessage(query.error, t)}</Alert>
      </div>
    );
  }
  const c = query.data;
  const money = (n: number, currency = membership.currency) => formatMoney(n, currency, i18n.language);
  const history = c.history ?? [];
  return (
    <div className="space-y-6" data-testid="client-detail" data-client-id={c.id}>
      <header className="space-y-1">
        {back}
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900" data-testid="client-name">{c.name}</h1>
        <p className="text-sm text-slate-500">
          {[c.phone, c.email].filter(Boolean).join(' · ') || t('clients.detail.noContact')}
        </p>
      </header>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label={t('clients.columns.visits')} value={String(c.visitCount)} testId="client-visit-count" />
        <Stat label={t('clients.columns.totalSpent')} value={money(c.totalSpent)} testId="client-total-spent" />
        <Stat label={t('clients.columns.lastVisit')} value={c.lastVisitAt ? formatDateTime(c.lastVisitAt, i18n.language) : t('common.never')} />
        <Stat label={t('clients.detail.since')} value={formatDateTime(c.createdAt, i18n.language)} />
      </div>
      <Card data-testid="client-history">
        <CardHeader title={t('clients.detail.history')} />
        {history.length === 0 ? (
          <CardBody>
            <div className="flex flex-col items-center gap-2 py-6 text-center text-sm text-slate-500">
              <History className="size-6 text-slate-300" aria-hidden="true" />
              <p>{t('clients.detail.noHistory')}</p>
            </div>
          </CardBody>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
                <tr>
                  <th scope="col" className={th}>{t('clients.detail.columns.sale')}</th>
                  <th scope="col" className={th}>{t('clients.detail.columns.date')}</th>
                  <th scope="col" className={`${th} hidden sm:table-cell`}>{t('clients.detail.columns.service')}</th>
                  <th scope="col" className={`${th} hidden md:table-cell`}>{t('clients.detail.columns.channel')}</th>
                  <th scope="col" className={`${th} text-right`}>{t('clients.detail.columns.total')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {history.map((h) => (
                  <tr key={h.saleId} data-testid="client-visit" data-sale-id={h.saleId}>
                    <td className="px-4 py-3">
                      <Link to={`/c/${companyId}/sales/${h.saleId}`} className={`${linkClass} font-mono`} data-testid="client-visit-sale-link">
                        {h.reference}
                      </Link>
                      {h.paymentSessionId && (
                        <Link
                          to={`/c/${companyId}/payment-sessions/${h.paymentSessionId}`}
                          className="ml-2 text-xs text-slate-500 hover:text-teal-700 hover:underline"
                        >
                          {t('clients.detail.session')}
                        </Link>
                      )}
                    </td>
                    <td className="px-4 py-3 whitespace-nowrap text-slate-600">{h.paidAt ? formatDateTime(h.paidAt, i18n.language) : '—'}</td>
                    <td className="hidden px-4 py-3 text-slate-700 sm:table-cell">{h.service ?? ''}</td>
                    <td className="hidden px-4 py-3 text-slate-700 md:table-cell">{t(`sales.channels.${h.channel}`, { defaultValue: h.channel })}</td>
                    <td className="px-4 py-3 text-right font-semibold whitespace-nowrap tabular-nums">{money(h.total, h.currency || membership.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
