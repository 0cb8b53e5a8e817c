import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { linkClass } from '../../components/ui/Button.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { isApiError } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { FLOOR_EVENTS } from '../../lib/floorQueries.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { qk } from '../../lib/queryKeys.ts';
import { removeSaleItem, type Sale, type SaleItem, updateSale } from '../../lib/sales.ts';
import { addItem as addItemOrQueue, lineOf, openSale as openSaleOrQueue } from '../../lib/offline/tillActions.ts';
import { PendingSyncMark } from '../../components/offline/PendingSyncMark.tsx';
import { REFUND_EVENTS } from '../../lib/cashQueries.ts';
import { useSale, useSaleChanged } from '../../lib/salesQueries.ts';
import { useStreamEvents } from '../../live/LiveStreamProvider.tsx';
import { CancelSale } from './CancelSale.tsx';
import { PaymentPanel } from './PaymentPanel.tsx';
import { RefundPanel } from './RefundPanel.tsx';
import { SaleHistory } from './SaleHistory.tsx';
import { ProductGrid, type ProductPick } from './ProductGrid.tsx';
import { SaleFields } from './SaleFields.tsx';
import { ReceiptButton } from '../printing/PrintLinks.tsx';
import { SendToStations } from './SendToStations.tsx';
import { SaleMoves } from './SaleMoves.tsx';
import { SaleItems, SaleTotals } from './SaleLines.tsx';
import { LineDiscountButton, SaleDiscountButton } from './DiscountDialog.tsx';
import { SaleErrorAlert, SaleStatusBadge } from './saleUi.tsx';

/** /c/:companyId/sales/new?tableId= (the till) and /c/:companyId/sales/:saleId (a sale). */
export function TillPage() {
  const { saleId } = useParams();
  const [params] = useSearchParams();
  if (saleId) return <ExistingSale key={saleId} saleId={saleId} />;
  return <NewSale key={params.get('tableId') ?? ''} initialTableId={params.get('tableId') ?? ''} />;
}

/** Two columns from a landscape tablet (lg): products on the left, the sale on the right. */
function TillLayout({ header, grid, panel }: { header: ReactNode; grid?: ReactNode; panel: ReactNode }) {
  return (
    <div data-testid="till" className="space-y-4">
      {header}
      <div className={grid ? 'grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(20rem,24rem)] xl:grid-cols-[minmax(0,1fr)_26rem]' : 'mx-auto max-w-2xl'}>
        {grid && <div className="min-w-0">{grid}</div>}
        <aside className="space-y-4 self-start rounded-xl border border-slate-200 bg-white p-4 shadow-sm lg:sticky lg:top-4">{panel}</aside>
      </div>
    </div>
  );
}

function BackLink({ toFloor }: { toFloor: boolean }) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  return (
    <Link to={`/c/${companyId}/${toFloor ? 'floor' : 'sales'}`} className={`${linkClass} inline-flex items-center gap-1 text-sm`}>
      <ArrowLeft className="size-4" aria-hidden="true" />
      {toFloor ? t('sales.till.backToFloor') : t('sales.till.backToSales')}
    </Link>
  );
}

function NewSale({ initialTableId }: { initialTableId: string }) {
  const { t } = useTranslation();
  const { companyId, user, membership } = useCompanyContext();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const changed = useSaleChanged(companyId);
  const [customerName, setCustomerName] = useState('');
  const [serverId, setServerId] = useState(user.id);
  const [tableId, setTableId] = useState(initialTableId);
  const [error, setError] = useState<unknown>(null);
  usePageTitle('sales.till.newTitle');

  const create = useMutation({
    // Offline (or the network failing), the sale is queued and opens on this device (lib/offline).
    mutationFn: ({ product, quantity, note }: ProductPick) =>
      openSaleOrQueue({ companyId, userId: user.id, userName: user.name, queryClient }, {
        tableId: tableId || undefined,
        customerName: customerName.trim() || undefined,
        serverId,
        channel: tableId ? 'table' : 'counter',
        items: [{ productId: product.id, quantity, note }],
      }, [lineOf(product, quantity, note)]),
    onSuccess: (sale) => {
      changed(sale);
      toast.success(t('sales.till.created', { reference: sale.reference }));
      navigate(`/c/${companyId}/sales/${sale.id}`, { replace: true });
    },
    onError: setError,
  });
  const pick = (p: ProductPick) => {
    setError(null);
    create.mutate(p);
  };

  return (
    <TillLayout
      header={
        <header className="space-y-1">
          <BackLink toFloor={Boolean(initialTableId)} />
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{t('sales.till.newTitle')}</h1>
        </header>
      }
      grid={<ProductGrid companyId={companyId} currency={membership.currency} disabled={create.isPending} onPick={pick} />}
      panel={
        <>
          <SaleFields
            customerName={customerName}
            onCustomerChange={setCustomerName}
            serverId={serverId}
            onServerChange={setServerId}
            table={{ editable: true, tableId, onTableChange: setTableId }}
            disabled={create.isPending}
          />
          <SaleErrorAlert error={error} companyId={companyId} currency={membership.currency} />
          <h2 className="text-sm font-semibold text-slate-900">{t('sales.till.items')}</h2>
          <SaleItems items={[]} currency={membership.currency} emptyText={t('sales.till.empty')} />
        </>
      }
    />
  );
}

function ExistingSale({ saleId }: { saleId: string }) {
  const { t } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const query = useSale(companyId, saleId);
  const queryClient = useQueryClient();
  useStreamEvents(FLOOR_EVENTS, () => void queryClient.invalidateQueries({ queryKey: qk.sale(companyId, saleId) }));
  useStreamEvents(REFUND_EVENTS, () => void queryClient.invalidateQueries({ queryKey: qk.sale(companyId, saleId) }));
  usePageTitle(query.data ? 'sales.till.title' : 'sales.till.newTitle', { reference: query.data?.reference ?? '' });

  if (query.isPending) return <PageLoader />;
  if (query.isError) return <Alert>{isApiError(query.error, 'not_found') ? t('errors.sale.not_found') : t('errors.generic')}</Alert>;
  return <SaleView sale={query.data} currency={membership.currency} />;
}

function SaleView({ sale, currency }: { sale: Sale; currency: string }) {
  const { t, i18n } = useTranslation();
  const { companyId, user } = useCompanyContext();
  const changed = useSaleChanged(companyId);
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [customer, setCustomer] = useState<string | null>(null);
  const open = sale.status === 'open';
  const scope = { id: `sale-${sale.id}` };
  const onError = (err: unknown) => {
    setError(err);
    if (isApiError(err, 'sale.illegal_transition')) void queryClient.invalidateQueries({ queryKey: qk.sale(companyId, sale.id) });
  };
  const onSuccess = (updated: Sale) => {
    setError(null);
    changed(updated);
  };

  const add = useMutation({
    scope,
    mutationFn: ({ product, quantity, note }: ProductPick) =>
      addItemOrQueue({ companyId, userId: user.id, userName: user.name, queryClient }, sale, { productId: product.id, quantity, note }, lineOf(product, quantity, note)),
    onSuccess,
    onError,
  });
  const remove = useMutation({
    scope,
    mutationFn: (item: SaleItem) => removeSaleItem(companyId, sale.id, item.id),
    onSuccess: (updated, item) => {
      onSuccess(updated);
      toast.success(t('sales.till.removed', { name: item.name }));
    },
    onError,
  });
  const patch = useMutation({
    scope,
    mutationFn: (body: { customerName?: string; serverId?: string }) => updateSale(companyId, sale.id, body),
    onSuccess: (updated) => {
      onSuccess(updated);
      setCustomer(null);
    },
    onError,
  });
  const commitCustomer = () => {
    if (customer !== null && customer.trim() !== (sale.customerName ?? '')) patch.mutate({ customerName: customer.trim() });
  };

  const date = (iso: string | null) => formatDateTime(iso, i18n.language);
  return (
    <TillLayout
      header={
        <header className="space-y-1">
          <BackLink toFloor={Boolean(sale.tableId) && open} />
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
              {t('sales.till.title', { reference: '' })}
              <span data-testid="sale-reference">{sale.reference}</span>
            </h1>
            <SaleStatusBadge status={sale.status} testId="sale-status" />
            {!sale.pendingSync && <ReceiptButton companyId={companyId} saleId={sale.id} />}
            {sale.pendingSync && <PendingSyncMark failed={sale.syncFailed} />}
            <span className="text-sm text-slate-500" data-testid="sale-channel">
              {sale.tableLabel
                ? `${t('sales.till.table')} ${sale.tableLabel}`
                : t(`sales.channels.${sale.channel}`)}
            </span>
          </div>
          <p className="text-sm text-slate-500">
            {t('sales.till.openedAt', { date: date(sale.openedAt) })}
            {sale.paidAt && ` · ${t('sales.till.paidAt', { date: date(sale.paidAt) })}`}
            {sale.cancelledAt && ` · ${t('sales.till.cancelledAt', { date: date(sale.cancelledAt) })}`}
          </p>
        </header>
      }
      grid={open ? <ProductGrid companyId={companyId} currency={currency} disabled={false} onPick={(p) => add.mutate(p)} /> : undefined}
      panel={
        <>
          {!open && <Alert tone="info">{t('sales.till.readOnly')}</Alert>}
          {sale.cancelReason && <p className="text-sm text-slate-700">{t('sales.till.cancelReason', { reason: sale.cancelReason })}</p>}
          <SaleFields
            customerName={customer ?? sale.customerName ?? ''}
            onCustomerChange={setCustomer}
            onCustomerCommit={commitCustomer}
            serverId={sale.serverId ?? ''}
            serverName={sale.serverName}
            onServerChange={(serverId) => patch.mutate({ serverId })}
            table={{ editable: false, label: sale.tableLabel }}
            disabled={!open || sale.pendingSync}
          />
          <SaleErrorAlert error={error} companyId={companyId} currency={currency} />
          <h2 className="text-sm font-semibold text-slate-900">{t('sales.till.items')}</h2>
          <SaleItems
            items={sale.items}
            currency={currency}
            onRemove={open && !sale.pendingSync ? (item) => remove.mutate(item) : undefined}
            lineAction={open && !sale.pendingSync ? (item) => !item.pendingSync && <LineDiscountButton companyId={companyId} sale={sale} item={item} currency={currency} /> : undefined}
            emptyText={t('sales.till.emptyOpen')}
          />
          <SaleTotals sale={sale} currency={currency} />
          {open && !sale.pendingSync && <SaleDiscountButton companyId={companyId} sale={sale} currency={currency} />}
          <SendToStations companyId={companyId} sale={sale} />
          <PaymentPanel key={sale.id} companyId={companyId} sale={sale} currency={currency} />
          {!sale.pendingSync && <RefundPanel companyId={companyId} sale={sale} currency={currency} />}
          {open && <SaleMoves companyId={companyId} sale={sale} currency={currency} />}
          {open && <CancelSale companyId={companyId} sale={sale} currency={currency} />}
          <SaleHistory sale={sale} />
        </>
      }
    />
  );
}
