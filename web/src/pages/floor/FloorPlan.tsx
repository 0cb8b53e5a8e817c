import { Plus, Receipt } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FloorTable, TableShape } from '../../lib/floor.ts';
import { formatTime } from '../../lib/format.ts';
import { formatMoney } from '../../lib/money.ts';
import { STATUS_STYLES } from './FloorTableCard.tsx';
import { formatSince } from './useNow.ts';
import { PendingSyncMark } from '../../components/offline/PendingSyncMark.tsx';

/** Pixel size of a table on the plan, by shape. */
const SIZES: Record<TableShape, { w: number; h: number }> = {
  square: { w: 124, h: 112 },
  round: { w: 120, h: 120 },
  rect: { w: 176, h: 112 },
};
const GAP = 12;
const PAD = 16;

type Placed = { table: FloorTable; x: number; y: number; w: number; h: number };

const overlaps = (a: Omit<Placed, 'table'>, b: Omit<Placed, 'table'>) =>
  a.x < b.x + b.w + GAP / 2 && b.x < a.x + a.w + GAP / 2 && a.y < b.y + b.h + GAP / 2 && b.y < a.y + a.h + GAP / 2;

/** Tables at their x/y; a table that would cover another (e.g. never placed: 0,0) takes the next free slot. */
export function placeTables(tables: FloorTable[]): { placed: Placed[]; width: number; height: number } {
  const placed: Placed[] = [];
  for (const table of tables) {
    const size = SIZES[table.shape] ?? SIZES.square;
    let spot = { x: Math.max(0, table.x || 0), y: Math.max(0, table.y || 0), ...size };
    if (placed.some((p) => overlaps(p, spot))) {
      const stepX = SIZES.rect.w + GAP;
      const stepY = SIZES.round.h + GAP;
      for (let i = 0; i < 10_000; i++) {
        const candidate = { x: (i % 6) * stepX, y: Math.floor(i / 6) * stepY, ...size };
        if (!placed.some((p) => overlaps(p, candidate))) {
          spot = candidate;
          break;
        }
      }
    }
    placed.push({ table, ...spot });
  }
  const width = Math.max(0, ...placed.map((p) => p.x + p.w));
  const height = Math.max(0, ...placed.map((p) => p.y + p.h));
  return { placed, width, height };
}

type Props = {
  tables: FloorTable[];
  companyId: string;
  currency: string;
  now: number;
  flashing: Record<string, number>;
  statusControl?: (table: FloorTable) => ReactNode;
};

/** One area drawn as a plan: each table where it stands in the room. */
export function FloorPlanArea({ tables, companyId, currency, now, flashing, statusControl }: Props) {
  const { placed, width, height } = placeTables(tables);
  return (
    <div className="overflow-auto rounded-xl border border-slate-200 bg-[radial-gradient(circle,#e2e8f0_1px,transparent_1px)] bg-size-[20px_20px] bg-white shadow-inner">
      <ul className="relative" style={{ width: width + 2 * PAD, height: height + 2 * PAD }} data-testid="floor-plan">
        {placed.map((p) => (
          <PlanTable
            key={`${p.table.id}-${flashing[p.table.id] ?? 0}`}
            placed={p}
            companyId={companyId}
            currency={currency}
            now={now}
            flashKey={flashing[p.table.id]}
            statusControl={statusControl?.(p.table)}
          />
        ))}
      </ul>
    </div>
  );
}

const SHAPE_CLASS: Record<TableShape, string> = {
  square: 'rounded-lg',
  round: 'rounded-full',
  rect: 'rounded-lg',
};

function PlanTable({
  placed,
  companyId,
  currency,
  now,
  flashKey,
  statusControl,
}: {
  placed: Placed;
  companyId: string;
  currency: string;
  now: number;
  flashKey?: number;
  statusControl?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const { table, x, y, w, h } = placed;
  const style = STATUS_STYLES[table.status] ?? STATUS_STYLES.out_of_service;
  const sale = table.status === 'occupied' ? table.sale : null;
  const round = table.shape === 'round';
  const status = t(`floor.statuses.${table.status}`);
  return (
    <li
      className={`absolute flex flex-col items-stretch justify-between gap-0.5 overflow-hidden border-2 text-[11px] leading-tight shadow-sm ${SHAPE_CLASS[table.shape] ?? 'rounded-lg'} ${round ? 'px-4 py-3 text-center' : 'p-1.5'} ${style.card} ${flashKey ? 'table-flash' : ''}`}
      style={{ left: x + PAD, top: y + PAD, width: w, height: h }}
      title={`${t('sales.till.table')} ${table.label} · ${t('floor.seats', { count: table.seats })} · ${status}`}
      data-testid="floor-table"
      data-table-id={table.id}
      data-label={table.label}
      data-status={table.status}
      data-shape={table.shape}
      data-pending-sync={sale?.pendingSync ? 'true' : undefined}
    >
      <div className={`flex items-center gap-1 ${round ? 'justify-center' : 'justify-between'}`}>
        <h3 className="truncate text-sm font-semibold text-slate-900">{table.label}</h3>
        <span className="inline-flex min-w-0 items-center gap-1 text-slate-600">
          {sale?.pendingSync && <PendingSyncMark compact />}
          <span className={`size-2 shrink-0 rounded-full ${style.dot}`} aria-hidden="true" />
          <span className={round ? 'sr-only' : 'truncate'}>{status}</span>
        </span>
      </div>

      {sale && (
        <div className="min-w-0 space-y-px text-slate-700">
          <p className="truncate font-medium" data-testid="floor-customer">
            {sale.customerName || t('floor.noCustomer')}
          </p>
          {sale.serverName && (
            <p className="truncate text-slate-500">
              <span className="sr-only">{t('floor.server')} : </span>
              <span data-testid="floor-server">{sale.serverName}</span>
            </p>
          )}
          <p className={`flex items-center gap-1 ${round ? 'justify-center' : 'justify-between'}`}>
            <span className="inline-flex items-center gap-0.5 whitespace-nowrap" data-testid="floor-since" title={formatTime(sale.occupiedSince, i18n.language)}>
              {formatSince(sale.occupiedSince, now, t)}
            </span>
            {!round && (
              <span className="truncate font-semibold tabular-nums text-slate-900" data-testid="floor-total">
                {formatMoney(sale.total, currency, i18n.language)}
              </span>
            )}
          </p>
          {round && (
            <p className="font-semibold tabular-nums text-slate-900" data-testid="floor-total">
              {formatMoney(sale.total, currency, i18n.language)}
            </p>
          )}
        </div>
      )}
      {table.status === 'reserved' && table.reservedName && (
        <p className="truncate text-amber-900">
          {table.reservedName}
          {table.reservedAt && ` · ${formatTime(table.reservedAt, i18n.language)}`}
        </p>
      )}
      {!sale && table.status !== 'reserved' && (
        <p className="text-slate-500">{t('floor.seats', { count: table.seats })}</p>
      )}

      <div className="flex items-center justify-center gap-1">
        {sale && (
          <Link
            to={`/c/${companyId}/sales/${sale.id}`}
            className="inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-2 py-0.5 font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-teal-600"
            aria-label={`${t('floor.viewSale')} — ${table.label}`}
            data-testid="view-sale"
          >
            <Receipt className="size-3.5" aria-hidden="true" />
            <span className={round ? 'sr-only' : 'whitespace-nowrap'}>{t('floor.viewSale')}</span>
          </Link>
        )}
        {table.status === 'available' && (
          <Link
            to={`/c/${companyId}/sales/new?tableId=${encodeURIComponent(table.id)}`}
            className="inline-flex items-center gap-1 rounded-md bg-teal-600 px-2 py-0.5 font-medium text-white hover:bg-teal-700 focus-visible:outline-2 focus-visible:outline-teal-600"
            aria-label={`${t('floor.createSale')} — ${table.label}`}
            data-testid="create-sale"
          >
            <Plus className="size-3.5" aria-hidden="true" />
            <span className={round ? 'sr-only' : 'whitespace-nowrap'}>{t('floor.createSale')}</span>
          </Link>
        )}
        {statusControl}
      </div>
    </li>
  );
}
