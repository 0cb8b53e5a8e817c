import { Clock, Plus, Receipt, User, Users } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { buttonClass } from '../../components/ui/Button.tsx';
import type { FloorTable, TableStatus } from '../../lib/floor.ts';
import { formatTime } from '../../lib/format.ts';
import { formatMoney } from '../../lib/money.ts';
import { formatSince } from './useNow.ts';
import { PendingSyncMark } from '../../components/offline/PendingSyncMark.tsx';

export const STATUS_STYLES: Record<TableStatus, { card: string; badge: string; dot: string }> = {
  available: { card: 'border-emerald-300 bg-emerald-50/60', badge: 'bg-emerald-100 text-emerald-800', dot: 'bg-emerald-500' },
  occupied: { card: 'border-red-300 bg-red-50/60', badge: 'bg-red-100 text-red-800', dot: 'bg-red-500' },
  reserved: { card: 'border-amber-300 bg-amber-50/60', badge: 'bg-amber-100 text-amber-900', dot: 'bg-amber-500' },
  out_of_service: { card: 'border-slate-300 bg-slate-100', badge: 'bg-slate-200 text-slate-700', dot: 'bg-slate-400' },
};

export function TableStatusBadge({ status }: { status: TableStatus }) {
  const { t } = useTranslation();
  const style = STATUS_STYLES[status] ?? STATUS_STYLES.out_of_service;
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ${style.badge}`}>
      <span className={`size-2 rounded-full ${style.dot}`} aria-hidden="true" />
      {t(`floor.statuses.${status}`)}
    </span>
  );
}

type Props = {
  table: FloorTable;
  companyId: string;
  currency: string;
  now: number;
  flashKey?: number;
  /** Managers may switch a table that is not occupied between free, reserved and out of service. */
  statusControl?: ReactNode;
};

/** One table of the floor: label, seats, status colour and what is going on there. */
export function FloorTableCard({ table, companyId, currency, now, flashKey, statusControl }: Props) {
  const { t, i18n } = useTranslation();
  const style = STATUS_STYLES[table.status] ?? STATUS_STYLES.out_of_service;
  const sale = table.status === 'occupied' ? table.sale : null;
  return (
    <li
      className={`flex flex-col gap-3 rounded-xl border-2 p-4 shadow-sm ${style.card} ${flashKey ? 'table-flash' : ''}`}
      data-testid="floor-table"
      data-table-id={table.id}
      data-label={table.label}
      data-status={table.status}
      data-pending-sync={sale?.pendingSync ? 'true' : undefined}
    >
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="truncate text-lg font-semibold text-slate-900">{table.label}</h3>
          <p className="flex items-center gap-1 text-xs whitespace-nowrap text-slate-600">
            <Users className="size-3.5" aria-hidden="true" />
            {t('floor.seats', { count: table.seats })}
          </p>
        </div>
        <TableStatusBadge status={table.status} />
      </div>

      {sale && (
        <div className="space-y-1 text-sm text-slate-700">
          {sale.pendingSync && <PendingSyncMark />}
          <div className="flex items-center gap-1.5">
            <User className="size-3.5 shrink-0 text-slate-500" aria-label={t('floor.customer')} />
            <span className="truncate font-medium" data-testid="floor-customer">
              {sale.customerName || t('floor.noCustomer')}
            </span>
          </div>
          {sale.serverName && (
            <div className="flex items-center gap-1.5 text-xs">
              <span className="text-slate-500">{t('floor.server')} :</span>
              <span className="truncate" data-testid="floor-server">
                {sale.serverName}
              </span>
            </div>
          )}
          <div className="flex items-center gap-1.5 text-xs">
            <Clock className="size-3.5 shrink-0 text-slate-500" aria-hidden="true" />
            <span data-testid="floor-since" title={formatTime(sale.occupiedSince, i18n.language)}>
              {t('floor.since', { duration: formatSince(sale.occupiedSince, now, t) })}
            </span>
          </div>
          <div className="flex items-center justify-between gap-2 text-xs">
            <span>{t('floor.items', { count: sale.itemCount })}</span>
            <span className="text-sm font-semibold tabular-nums text-slate-900" data-testid="floor-total">
              {formatMoney(sale.total, currency, i18n.language)}
            </span>
          </div>
        </div>
      )}
      {table.status === 'reserved' && table.reservedName && (
        <p className="text-sm text-amber-900">
          {t('floor.reservedFor', { name: table.reservedName })}
          {table.reservedAt && ` ${t('floor.reservedAt', { time: formatTime(table.reservedAt, i18n.language) })}`}
        </p>
      )}

      <div className="mt-auto flex flex-wrap items-center gap-2">
        {sale && (
          <Link
            to={`/c/${companyId}/sales/${sale.id}`}
            className={buttonClass('secondary', 'sm', 'w-full whitespace-nowrap')}
            data-testid="view-sale"
          >
            <Receipt className="size-4" aria-hidden="true" />
            {t('floor.viewSale')}
          </Link>
        )}
        {table.status === 'available' && (
          <Link
            to={`/c/${companyId}/sales/new?tableId=${encodeURIComponent(table.id)}`}
            className={buttonClass('primary', 'sm', 'w-full whitespace-nowrap')}
            data-testid="create-sale"
          >
            <Plus className="size-4" aria-hidden="true" />
            {t('floor.createSale')}
          </Link>
        )}
        {statusControl}
      </div>
    </li>
  );
}
