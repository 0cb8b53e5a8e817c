import { Contact, Search } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card, PageHeader } from '../../components/ui/Card.tsx';
import { inputClass } from '../../components/ui/Field.tsx';
import { PageLoader, Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { formatMoney } from '../../lib/money.ts';
import { useClients } from '../../lib/paymentQueries.ts';
import { rolesFor } from '../../nav.ts';

const th = 'px-4 py-2 font-medium';
const SEARCH_DELAY_MS = 300;

/** /c/:companyId/clients — the clients who identified while paying (search by name, phone or e-mail). */
export function ClientsPage() {
  usePageTitle('clients.title');
  return (
    <RequireRole roles={rolesFor('clients')}>
      <Clients />
    </RequireRole>
  );
}

function Clients() {
  const { t, i18n } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const search = params.get('search') ?? '';
  const [text, setText] = useState(search);
  const clients = useClients(companyId, search);
  const items = clients.data?.pages.flatMap((p) => p.items) ?? [];

  // Typing updates the URL (replace) after a pause; a link to the bare list clears the box.
  useEffect(() => {
    const value = text.trim();
    if (value === search) return;
    const timer = setTimeout(() => setParams(value ? { search: value } : {}, { replace: true }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, search, setParams]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only an outside URL change resets the box
  useEffect(() => {
    if (search !== text.trim()) setText(search);
  }, [search]);

  return (
    <div>
      <PageHeader title={t('clients.title')} description={t('clients.subtitle')} />
      <div className="space-y-4">
        <div className="relative max-w-md">
          <Search className="pointer-events-none absolute top-2.5 left-3 size-4 text-slate-400" aria-hidden="true" />
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('clients.searchPlaceholder')}
            aria-label={t('clients.search')}
            className={`${inputClass} pl-9`}
            data-testid="client-search"
          />
        </div>
        {clients.isPending ? (
          <PageLoader />
        ) : clients.isError ? (
          <Alert>{errorMessage(clients.error, t)}</Alert>
        ) : (
          <Card data-testid="clients-card">
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="clients-table" aria-busy={clients.isPlaceholderData}>
                <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
                  <tr>
                    <th scope="col" className={th}>
                      <span className="inline-flex items-center gap-2">
                        {t('clients.columns.name')}
                        {clients.isFetching && !clients.isFetchingNextPage && <Spinner className="size-3.5" />}
                      </span>
                    </th>
                    <th scope="col" className={`${th} hidden sm:table-cell`}>{t('clients.columns.contact')}</th>
                    <th scope="col" className={`${th} text-right`}>{t('clients.columns.visits')}</th>
                    <th scope="col" className={`${th} text-right`}>{t('clients.columns.totalSpent')}</th>
                    <th scope="col" className={`${th} hidden md:table-cell`}>{t('clients.columns.lastVisit')}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {items.map((c) => (
                    <tr
                      key={c.id}
                      className="cursor-pointer hover:bg-slate-50"
                      onClick={() => navigate(`/c/${companyId}/clients/${c.id}`)}
                      data-testid={`client-row-${c.id}`}
                    >
                      <td className="px-4 py-3">
                        <Link
                          to={`/c/${companyId}/clients/${c.id}`}
                          onClick={(e) => e.stopPropagation()}
                          className="font-medium text-slate-900 hover:text-teal-700 hover:underline"
                        >
                          {c.name}
                        </Link>
                      </td>
                      <td className="hidden px-4 py-3 text-slate-600 sm:table-cell">
                        {c.phone && <span className="block">{c.phone}</span>}
                        {c.email && <span className="block text-xs">{c.email}</span>}
                      </td>
                      <td className="px-4 py-3 text-right tabular-nums" data-testid="client-visits">{c.visitCount}</td>
                      <td className="px-4 py-3 text-right font-semibold whitespace-nowrap tabular-nums">
                        {formatMoney(c.totalSpent, membership.currency, i18n.language)}
                      </td>
                      <td className="hidden px-4 py-3 whitespace-nowrap text-slate-600 md:table-cell">
                        {c.lastVisitAt ? formatDateTime(c.lastVisitAt, i18n.language) : t('common.never')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {items.length === 0 && (
                <div className="flex flex-col items-center gap-2 px-5 py-10 text-center text-sm text-slate-500" data-testid="clients-empty">
                  <Contact className="size-6 text-slate-300" aria-hidden="true" />
                  <p>{search ? t('clients.emptySearch') : t('clients.empty')}</p>
                </div>
              )}
            </div>
            {clients.hasNextPage && (
              <div className="border-t border-slate-100 px-5 py-3 text-center">
                <Button variant="secondary" size="sm" loading={clients.isFetchingNextPage} onClick={() => void clients.fetchNextPage()}>
                  {t('common.loadMore')}
                </Button>
              </div>
            )}
          </Card>
        )}
      </div>
    </div>
  );
}
