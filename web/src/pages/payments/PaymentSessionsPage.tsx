import { Plus, QrCode } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card, PageHeader } from '../../components/ui/Card.tsx';
import { Field, Select } from '../../components/ui/Field.tsx';
import { PageLoader, Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatRelative, formatTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { useOffline } from '../../lib/offline/hooks.ts';
import { formatMoney } from '../../lib/money.ts';
import { usePaymentSessions } from '../../lib/paymentQueries.ts';
import { SESSION_STATUSES, type SessionFilters, type SessionStatus } from '../../lib/payments.ts';
import { rolesFor } from '../../nav.ts';
import { useNow } from '../floor/useNow.ts';
import { NewSessionDialog } from './NewSessionDialog.tsx';
import { MethodLabel, SessionStatusBadge } from './paymentUi.tsx';

const th = 'px-4 py-2 font-medium';

function readFilters(params: URLSearchParams): SessionFilters {
  const status = params.get('status') ?? '';
  return { status: (SESSION_STATUSES as readonly string[]).includes(status) ? (status as SessionStatus) : undefined };
}

/** /c/:companyId/payment-sessions — recent QR payment sessions (live) and "Nouvelle session". */
export function PaymentSessionsPage() {
  usePageTitle('payments.sessions.title');
  return (
    <RequireRole roles={rolesFor('payment-sessions')}>
      <PaymentSessions />
    </RequireRole>
  );
}

function PaymentSessions() {
  const { t, i18n } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const offline = useOffline();
  const search = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `search` stands for `params`
  const filters = useMemo(() => readFilters(params), [search]);
  const sessions = usePaymentSessions(companyId, filters);
  const items = sessions.data?.pages.flatMap((p) => p.items) ?? [];
  const now = useNow(30_000);

  const setStatus = (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('status', value);
    else next.delete('status');
    setParams(next, { replace: true });
  };

  return (
    <div>
      <PageHeader
        title={t('payments.sessions.title')}
        description={t('payments.sessions.subtitle')}
        actions={
          // A QR page is paid on the customer's phone, through the server: not offline.
          <Button onClick={() => setCreating(true)} disabled={offline} title={offline ? t('offline.unavailableShort') : undefined} data-testid="payment-session-new">
            <Plus className="size-4" aria-hidden="true" />
            {t('payments.sessions.new')}
          </Button>
        }
      />
      <div className="space-y-4">
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Field label={t('payments.sessions.filterStatus')}>
            {(c) => (
              <Select {...c} value={filters.status ?? ''} onChange={(e) => setStatus(e.target.value)} data-testid="payment-session-filter-status">
                <option value="">{t('payments.sessions.allStatuses')}</option>
                {SESSION_STATUSES.map((s) => (
                  <option key={s} value={s}>{t(`payments.sessionStatuses.${s}`)}</option>
                ))}
              </Select>
            )}
          </Field>
        </div>

        {sessions.isPending ? (
          <PageLoader />
        ) : sessions.isError ? (
          <Alert>{errorMessage(sessions.error, t)}</Alert>
        ) : (
          <Card data-testid="payment-sessions-card">
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="payment-sessions-table" aria-busy={sessions.isPlaceholderData}>
                <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
                  <tr>
                    <th scope="col" className={th}>
                      <span className="inline-flex items-center gap-2">
                        {t('payments.sessions.columns.status')}
                        {sessions.isFetching && !sessions.isFetchingNextPage && <Spinner className="size-3.5" />}
                      </span>
                    </th>
                    <th scope="col" className={`${th} text-right`}>{t('payments.sessions.columns.amount')}</th>
                    <th scope="col" className={th}>{t('payments.sessions.columns.client')}</th>
                    <th scope="col" className={`${th} hidden sm:table-cell`}>{t('payments.sessions.columns.service')}</th>
                    <th scope="col" className={`${th} hidden md:table-cell`}>{t('payments.sessions.columns.method')}</th>
                    <th scope="col" className={th}>{t('payments.sessions.columns.time')}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {items.map((s) => (
                    <tr
                      key={s.id}
                      className="cursor-pointer hover:bg-slate-50"
                      onClick={() => navigate(`/c/${companyId}/payment-sessions/${s.id}`)}
                      data-testid={`payment-session-row-${s.id}`}
                      data-status={s.status}
                    >
                      <td className="px-4 py-3">
                        <Link
                          to={`/c/${companyId}/payment-sessions/${s.id}`}
                          onClick={(e) => e.stopPropagation()}
                          aria-label={t('payments.sessions.open')}
                          className="inline-flex"
                        >
                          <SessionStatusBadge status={s.status} testId="payment-session-status" />
                        </Link>
                      </td>
                      <td className="px-4 py-3 text-right font-semibold whitespace-nowrap tabular-nums">
                        {s.amount === null ? (
                          <span className="font-normal text-slate-400">{t('payments.sessions.amountOpen')}</span>
                        ) : (
                          formatMoney(s.amount, s.currency || membership.currency, i18n.language)
                        )}
                      </td>
                      <td className="px-4 py-3 text-slate-700">{s.client?.name ?? s.clientName ?? <span className="text-slate-400">—</span>}</td>
                      <td className="hidden px-4 py-3 text-slate-700 sm:table-cell">
                        {s.service?.name ?? (s.counter ? t('payments.sessions.atCounter', { name: s.counter.name }) : '')}
                      </td>
                      <td className="hidden px-4 py-3 text-slate-700 md:table-cell">{s.payment && <MethodLabel method={s.payment.method} />}</td>
                      <td className="px-4 py-3 whitespace-nowrap text-slate-600">
                        <time dateTime={s.createdAt} title={formatTime(s.createdAt, i18n.language)}>
                          {formatRelative(s.createdAt, i18n.language, undefined, now)}
                        </time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {items.length === 0 && (
                <div className="flex flex-col items-center gap-2 px-5 py-10 text-center text-sm text-slate-500" data-testid="payment-sessions-empty">
                  <QrCode className="size-6 text-slate-300" aria-hidden="true" />
                  <p>{filters.status ? t('payments.sessions.emptyFiltered') : t('payments.sessions.empty')}</p>
                </div>
              )}
            </div>
            {sessions.hasNextPage && (
              <div className="border-t border-slate-100 px-5 py-3 text-center">
                <Button variant="secondary" size="sm" loading={sessions.isFetchingNextPage} onClick={() => void sessions.fetchNextPage()}>
                  {t('common.loadMore')}
                </Button>
              </div>
            )}
          </Card>
        )}
      </div>
      <NewSessionDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
