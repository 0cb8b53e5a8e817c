import { LayoutGrid, Map as MapIcon, RefreshCw } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { PageHeader } from '../../components/ui/Card.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import type { Area, FloorTable } from '../../lib/floor.ts';
import { FLOOR_EVENTS, useFloor, useFloorChanged } from '../../lib/floorQueries.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { hasRole } from '../../lib/session.ts';
import { useStreamEvents } from '../../live/LiveStreamProvider.tsx';
import { FLOOR_MANAGERS } from '../../nav.ts';
import { FloorSetupPanel, TableStatusSelect } from './FloorSetupPanel.tsx';
import { FloorPlanArea } from './FloorPlan.tsx';
import { FloorTableCard } from './FloorTableCard.tsx';
import { useNow } from './useNow.ts';

const FLASH_MS = 2_000;
const chip = 'rounded-full border px-3 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-teal-600';

type View = 'plan' | 'grid';
const VIEW_KEY = 'comptoir.floorView';

/** The saved choice, else the plan on wide screens and the grid on phones. */
function initialView(): View {
  try {
    const saved = localStorage.getItem(VIEW_KEY);
    if (saved === 'plan' || saved === 'grid') return saved;
  } catch {
    // storage unavailable
  }
  return typeof window !== 'undefined' && window.matchMedia?.('(min-width: 1024px)').matches ? 'plan' : 'grid';
}

type Section = { id: string; name: string; tables: FloorTable[] };

/** Tables grouped by area (in the areas' order), tables of unknown or inactive areas last. */
function groupByArea(areas: Area[], tables: FloorTable[], otherName: string): Section[] {
  const sorted = [...areas].sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name));
  const sections: Section[] = sorted.map((a) => ({ id: a.id, name: a.name, tables: [] }));
  const byId = new Map(sections.map((s) => [s.id, s]));
  const other: Section = { id: '', name: otherName, tables: [] };
  for (const table of tables) (byId.get(table.areaId) ?? other).tables.push(table);
  for (const s of [...sections, other]) s.tables.sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
  const active = new Set(sorted.filter((a) => a.active).map((a) => a.id));
  const shown = sections.filter((s) => s.tables.length > 0 || active.has(s.id));
  return other.tables.length > 0 ? [...shown, other] : shown;
}

/** /c/:companyId/floor — the tables, live: who sits where, since when, for how much. */
export function FloorPage() {
  const { t } = useTranslation();
  const { companyId, role, membership } = useCompanyContext();
  const floor = useFloor(companyId);
  const changed = useFloorChanged(companyId);
  const now = useNow();
  const [areaFilter, setAreaFilter] = useState('');
  const [view, setViewState] = useState<View>(initialView);
  const setView = (next: View) => {
    setViewState(next);
    try {
      localStorage.setItem(VIEW_KEY, next);
    } catch {
      // storage unavailable
    }
  };
  const [flashing, setFlashing] = useState<Record<string, number>>({});
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const previous = useRef(new Map<string, string>());
  const manager = hasRole(role, FLOOR_MANAGERS);
  usePageTitle('floor.title');

  const flash = useCallback((tableId: string) => {
    const key = Date.now();
    setFlashing((f) => ({ ...f, [tableId]: key }));
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setFlashing((f) => {
        if (f[tableId] !== key) return f;
        const { [tableId]: _, ...rest } = f;
        return rest;
      });
    }, FLASH_MS);
    timers.current.add(timer);
  }, []);

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
    };
  }, []);

  useStreamEvents(FLOOR_EVENTS, (frame) => {
    changed();
    if (frame.type === 'table_freed') {
      const data = (frame.data ?? {}) as { tableId?: string };
      const tableId = data.tableId ?? frame.subjects.tableId;
      if (tableId) flash(tableId);
    }
  });

  // A table seen occupied and now free (refetch, polling) flashes too.
  useEffect(() => {
    if (!floor.data) return;
    const seen = previous.current;
    for (const table of floor.data.tables) {
      if (seen.get(table.id) === 'occupied' && table.status === 'available') flash(table.id);
      seen.set(table.id, table.status);
    }
  }, [floor.data, flash]);

  const sections = useMemo(
    () => (floor.data ? groupByArea(floor.data.areas, floor.data.tables, t('floor.otherArea')) : []),
    [floor.data, t],
  );

  if (floor.isPending) return <PageLoader />;
  if (floor.isError) return <Alert>{errorMessage(floor.error, t)}</Alert>;
  const { tables, areas } = floor.data;
  const currency = floor.data.currency || membership.currency;
  const visible = areaFilter ? sections.filter((s) => s.id === areaFilter) : sections;
  const free = tables.filter((x) => x.status === 'available').length;
  const occupied = tables.filter((x) => x.status === 'occupied').length;

  return (
    <div data-testid="floor">
      <PageHeader
        title={t('floor.title')}
        description={t('floor.counts', { free, occupied, total: tables.length })}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <fieldset className="inline-flex rounded-lg border border-slate-300 bg-white p-0.5" data-testid="floor-view-toggle" data-view={view}>
              <legend className="sr-only">{t('floor.view')}</legend>
              {(
                [
                  ['plan', t('floor.viewPlan'), MapIcon],
                  ['grid', t('floor.viewGrid'), LayoutGrid],
                ] as const
              ).map(([value, label, Icon]) => (
                <button
                  key={value}
                  type="button"
                  aria-pressed={view === value}
                  onClick={() => setView(value)}
                  data-view={value}
                  className={`inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-teal-600 ${view === value ? 'bg-teal-600 text-white' : 'text-slate-700 hover:bg-slate-50'}`}
                >
                  <Icon className="size-4" aria-hidden="true" />
                  {label}
                </button>
              ))}
            </fieldset>
          <Button
            variant="secondary"
            onClick={() => void floor.refetch()}
            icon={<RefreshCw className={`size-4 ${floor.isFetching ? 'animate-spin' : ''}`} aria-hidden="true" />}
            data-testid="floor-refresh"
          >
            {t('floor.refresh')}
          </Button>
          </div>
        }
      />
      <div className="space-y-6">
        {manager && <FloorSetupPanel companyId={companyId} areas={areas.filter((a) => a.active)} defaultOpen={tables.length === 0} />}

        {sections.length > 1 && (
          <nav aria-label={t('floor.areas')} className="flex flex-wrap gap-2" data-testid="floor-areas">
            {[{ id: '', name: t('floor.allAreas') }, ...sections].map((s) => (
              <button
                key={s.id || 'all'}
                type="button"
                aria-pressed={areaFilter === s.id}
                onClick={() => setAreaFilter(s.id)}
                className={`${chip} ${areaFilter === s.id ? 'border-teal-600 bg-teal-600 text-white' : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50'}`}
              >
                {s.name}
              </button>
            ))}
          </nav>
        )}

        {tables.length === 0 && (
          <div className="flex flex-col items-center gap-2 rounded-xl border border-dashed border-slate-300 px-5 py-10 text-center text-sm text-slate-500">
            <LayoutGrid className="size-6 text-slate-300" aria-hidden="true" />
            <p>{t('floor.empty')}</p>
            {manager && <p>{t('floor.emptyManager')}</p>}
          </div>
        )}

        {visible.map((section) => (
          <section key={section.id || 'other'} aria-labelledby={`area-${section.id || 'other'}`} data-testid="floor-area">
            <h2 id={`area-${section.id || 'other'}`} className="mb-3 text-sm font-semibold tracking-wide text-slate-500 uppercase">
              {section.name}
            </h2>
            {view === 'plan' ? (
              <FloorPlanArea tables={section.tables} companyId={companyId} currency={currency} now={now} flashing={flashing} />
            ) : (
            <ul className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-3">
              {section.tables.map((table) => (
                <FloorTableCard
                  key={`${table.id}-${flashing[table.id] ?? 0}`}
                  table={table}
                  companyId={companyId}
                  currency={currency}
                  now={now}
                  flashKey={flashing[table.id]}
                  statusControl={manager ? <TableStatusSelect companyId={companyId} table={table} /> : undefined}
                />
              ))}
            </ul>
            )}
          </section>
        ))}
      </div>
    </div>
  );
}
