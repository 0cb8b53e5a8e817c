import { useQueryClient } from '@tanstack/react-query';
import { Plus, Receipt } from 'lucide-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, buttonClass } from '../../components/ui/Button.tsx';
import { Card, PageHeader } from '../../components/ui/Card.tsx';
import { Field, Select, TextInput } from '../../components/ui/Field.tsx';
import { PageLoader, Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { FLOOR_EVENTS } from '../../lib/floorQueries.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { formatMoney } from '../../lib/money.ts';
import { qk } from '../../lib/queryKeys.ts';
import { SALE_CHANNELS, SALE_STATUSES, type SaleChannel, type SaleFilters, type SaleStatus } from '../../lib/sales.ts';
import { useSales } from '../../lib/salesQueries.ts';
import { useStreamEvents } from '../../live/LiveStreamProvider.tsx';
import { SaleStatusBadge } from './saleUi.tsx';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const th = 'px-4 py-2 font-medium';

function readFilters(params: URLSearchParams): SaleFilters {
  const status = params.get('status') ?? '';
  const channel = params.get('channel') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    status: (SALE_STATUSES as readonly string[]).includes(status) ? (status as SaleStatus) : undefined,
    channel: (SALE_CHANNELS as readonly string[]).includes(channel) ? (channel as SaleChannel) : undefined,
    from: DATE.test(from) ? from : undefined,
    to: DATE.test(to) ? to : undefined,
  };
}

/** /c/:companyId/sales — the sales history (filters in the URL), newest first. */
export function SalesPage() {
  const { t, i18n } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const search = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `search` stands for `params`
  const filters = useMemo(() => readFilters(params), [search]);
  const sales = useSales(companyId, filters);
  const filtered = Object.values(filters).some(Boolean);
  usePageTitle('sales.title');
  useStreamEvents(FLOOR_EVENTS, () => void queryClient.invalidateQueries({ queryKey: qk.saleLists(companyId) }));

  const set = (key: keyof SaleFilters, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const money = (n: number) => formatMoney(n, membership.currency, i18n.language);
  const items = sales.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div>
      <PageHeader
        title={t('sales.title')}
        description={t('sales.subtitle')}
        actions={
          <Link to={`/c/${companyId}/sales/new`} className={buttonClass('primary')} data-testid="new-sale-button">
            <Plus className="size-4" aria-hidden="true" />
            {t('sales.newSale')}
          </Link>
        }
      />
      <div className="space-y-4">
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="sale-filters">
          <Field label={t('sales.filters.status')}>
            {(c) => (
              <Select {...c} value={filters.status ?? ''} onChange={(e) => set('status', e.target.value)} data-testid="sale-filter-status">
                <option value="">{t('sales.filters.allStatuses')}</option>
                {SALE_STATUSES.map((s) => (
                  <option key={s} value={s}>{t(`sales.statuses.${s}`)}</option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t('sales.filters.channel')}>
            {(c) => (
              <Select {...c} value={filters.channel ?? ''} onChange={(e) => set('channel', e.target.value)} data-testid="sale-filter-channel">
                <option value="">{t('sales.filters.allChannels')}</option>
                {SALE_CHANNELS.map((s) => (
                  <option key={s} value={s}>{t(`sales.channels.${s}`)}</option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t('sales.filters.from')}>
            {(c) => <TextInput {...c} type="date" value={filters.from ?? ''} max={filters.to} onChange={(e) => set('from', e.target.value)} data-testid="sale-filter-from" />}
          </Field>
          <Field label={t('sales.filters.to')}>
            {(c) => <TextInput {...c} type="date" value={filters.to ?? ''} min={filters.from} onChange={(e) => set('to', e.target.value)} data-testid="sale-filter-to" />}
          </Field>
        </div>
        {filtered && (
          <Button variant="ghost" size="sm" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            {t('sales.filters.clear')}
          </Button>
        )}

        {sales.isPending ? (
          <PageLoader />
        ) : sales.isError ? (
          <Alert>{errorMessage(sales.error, t)}</Alert>
        ) : (
          <Card data-testid="sales-card">
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="sales-table" aria-busy={sales.isPlaceholderData}>
                <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
                  <tr>
                    <th scope="col" className={th}>
                      <span className="inline-flex items-center gap-2">
                        {t('sales.columns.reference')}
                        {sales.isFetching && !sales.isFetchingNextPage && <Spinner className="size-3.5" />}
                      </span>
                    </th>
                    <th scope="col" className={`${th} hidden md:table-cell`}>{t('sales.columns.date')}</th>
                    <th scope="col" className={th}>{t('sales.columns.table')}</th>
                    <th scope="col" className={`${th} hidden sm:table-cell`}>{t('sales.columns.customer')}</th>
                    <th scope="col" className={`${th} hidden lg:table-cell`}>{t('sales.columns.server')}</th>
                    <th scope="col" className={`${th} text-right`}>{t('sales.columns.total')}</th>
                    <th scope="col" className={th}>{t('sales.columns.status')}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {items.map((s) => (
                    <tr
                      key={s.id}
                      className="cursor-pointer hover:bg-slate-50"
                      onClick={() => navigate(`/c/${companyId}/sales/${s.id}`)}
                      data-testid="sale-row"
                      data-status={s.status}
                      data-reference={s.reference}
                    >
                      <td className="px-4 py-3 font-mono">
                        <Link to={`/c/${companyId}/sales/${s.id}`} className="font-medium text-slate-900 hover:text-teal-700 hover:underline" data-testid="sale-link">
                          {s.reference}
                        </Link>
                      </td>
                      <td className="hidden px-4 py-3 whitespace-nowrap text-slate-600 md:table-cell">{formatDateTime(s.openedAt, i18n.language)}</td>
                      <td className="px-4 py-3 text-slate-700">{s.tableLabel ?? t(`sales.channels.${s.channel}`)}</td>
                      <td className="hidden px-4 py-3 text-slate-700 sm:table-cell">{s.customerName ?? ''}</td>
                      <td className="hidden px-4 py-3 text-slate-700 lg:table-cell">{s.serverName ?? ''}</td>
                      <td className="px-4 py-3 text-right font-semibold whitespace-nowrap tabular-nums">{money(s.totals.ttc)}</td>
                      <td className="px-4 py-3"><SaleStatusBadge status={s.status} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {items.length === 0 && (
                <div className="flex flex-col items-center gap-2 px-5 py-10 text-center text-sm text-slate-500" data-testid="sales-empty">
                  <Receipt className="size-6 text-slate-300" aria-hidden="true" />
                  <p>{filtered ? t('sales.emptyFiltered') : t('sales.empty')}</p>
                </div>
              )}
            </div>
            {sales.hasNextPage && (
              <div className="border-t border-slate-100 px-5 py-3 text-center">
                <Button variant="secondary" size="sm" loading={sales.isFetchingNextPage} onClick={() => void sales.fetchNextPage()} data-testid="sales-load-more">
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
