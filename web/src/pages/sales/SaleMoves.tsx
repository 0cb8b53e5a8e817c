import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowRightLeft, GitMerge } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Select } from '../../components/ui/Field.tsx';
import { isApiError } from '../../lib/api.ts';
import { useFloor } from '../../lib/floorQueries.ts';
import { qk } from '../../lib/queryKeys.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { transferSale } from '../../lib/offline/tillActions.ts';
import { listSales, mergeSale, type Sale } from '../../lib/sales.ts';
import { useSaleChanged } from '../../lib/salesQueries.ts';
import { SaleErrorAlert } from './saleUi.tsx';

/**
 * "Changer de table" and "Fusionner avec…" for an open sale. The move works offline
 * (queued, lib/offline); the merge needs the server's copy of both sales.
 */
export function SaleMoves({ companyId, sale, currency }: { companyId: string; sale: Sale; currency: string }) {
  return (
    <div className="space-y-4 border-t border-slate-100 pt-4" data-testid="sale-moves">
      <TransferSale companyId={companyId} sale={sale} currency={currency} />
      {!sale.pendingSync && <MergeSale companyId={companyId} sale={sale} currency={currency} />}
    </div>
  );
}

function TransferSale({ companyId, sale, currency }: { companyId: string; sale: Sale; currency: string }) {
  const { t } = useTranslation();
  const id = useId();
  const changed = useSaleChanged(companyId);
  const { user } = useCompanyContext();
  const queryClient = useQueryClient();
  const floor = useFloor(companyId);
  const [tableId, setTableId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const free = (floor.data?.tables ?? [])
    .filter((x) => x.status === 'available' && x.id !== sale.tableId)
    .sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
  const areaName = new Map((floor.data?.areas ?? []).map((a) => [a.id, a.name]));
  const selected = free.some((x) => x.id === tableId) ? tableId : '';
  const mutation = useMutation({
    mutationFn: (target: string) => transferSale({ companyId, userId: user.id, userName: user.name, queryClient }, sale, target),
    onSuccess: (updated) => {
      setError(null);
      setTableId('');
      changed(updated);
      toast.success(t('sales.moves.transferred', { table: updated.tableLabel ?? '' }));
    },
    onError: (err) => {
      setError(err);
      changed();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (selected) mutation.mutate(selected);
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-2" data-testid="transfer-form">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {t('sales.moves.transfer')}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Select
          id={id}
          value={selected}
          onChange={(e) => setTableId(e.target.value)}
          disabled={mutation.isPending || free.length === 0}
          data-testid="transfer-table"
        >
          <option value="">{floor.isPending ? t('sales.moves.loading') : free.length === 0 ? t('sales.moves.noFreeTable') : t('sales.moves.pickTable')}</option>
          {free.map((x) => (
            <option key={x.id} value={x.id}>
              {`${t('sales.till.table')} ${x.label}`}
              {areaName.get(x.areaId) ? ` — ${areaName.get(x.areaId)}` : ''}
            </option>
          ))}
        </Select>
        <Button
          type="submit"
          variant="secondary"
          loading={mutation.isPending}
          disabled={!selected}
          icon={<ArrowRightLeft className="size-4" aria-hidden="true" />}
          className="shrink-0"
          data-testid="transfer-submit"
        >
          {t('sales.moves.transferButton')}
        </Button>
      </div>
      <SaleErrorAlert error={error} companyId={companyId} currency={currency} />
    </form>
  );
}

function MergeSale({ companyId, sale, currency }: { companyId: string; sale: Sale; currency: string }) {
  const { t } = useTranslation();
  const id = useId();
  const navigate = useNavigate();
  const changed = useSaleChanged(companyId);
  const [targetId, setTargetId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const open = useQuery({
    queryKey: [...qk.saleLists(companyId), 'merge-targets'],
    queryFn: () => listSales(companyId, { status: 'open', limit: 100 }),
  });
  const others = (open.data?.items ?? []).filter((s) => s.id !== sale.id && s.status === 'open');
  const selected = others.some((s) => s.id === targetId) ? targetId : '';
  const mutation = useMutation({
    mutationFn: (target: string) => mergeSale(companyId, sale.id, target),
    onSuccess: (target) => {
      setError(null);
      changed(target);
      toast.success(t('sales.moves.merged'));
      navigate(`/c/${companyId}/sales/${target.id}`);
    },
    onError: (err) => {
      setError(err);
      changed();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (selected) mutation.mutate(selected);
  };
  const label = (s: Sale) =>
    [s.reference, s.tableLabel ? `${t('sales.till.table')} ${s.tableLabel}` : t(`sales.channels.${s.channel}`), s.customerName]
      .filter(Boolean)
      .join(' · ');
  return (
    <form onSubmit={submit} noValidate className="space-y-2" data-testid="merge-form">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {t('sales.moves.merge')}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Select
          id={id}
          value={selected}
          onChange={(e) => setTargetId(e.target.value)}
          disabled={mutation.isPending || others.length === 0}
          data-testid="merge-target"
        >
          <option value="">{open.isPending ? t('sales.moves.loading') : others.length === 0 ? t('sales.moves.noOtherSale') : t('sales.moves.pickSale')}</option>
          {others.map((s) => (
            <option key={s.id} value={s.id}>
              {label(s)}
            </option>
          ))}
        </Select>
        <Button
          type="submit"
          variant="secondary"
          loading={mutation.isPending}
          disabled={!selected}
          icon={<GitMerge className="size-4" aria-hidden="true" />}
          className="shrink-0"
          data-testid="merge-submit"
        >
          {t('sales.moves.mergeButton')}
        </Button>
      </div>
      {!error && <p className="text-xs text-slate-500">{t('sales.moves.mergeHint')}</p>}
      {isApiError(error, 'sale.has_payments') ? (
        <Alert testId="sale-error">{t('sales.moves.hasPayments')}</Alert>
      ) : (
        <SaleErrorAlert error={error} companyId={companyId} currency={currency} />
      )}
    </form>
  );
}
