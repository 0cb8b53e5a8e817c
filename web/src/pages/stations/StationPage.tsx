import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Check, ChefHat, Martini } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { toast } from 'sonner';
import { StreamStatusBadge } from '../../components/StreamStatusBadge.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { markTicketReady, stationKeys, TICKET_EVENTS, type Ticket, useStationQueue, useTicketsChanged } from '../../lib/stations.ts';
import { type Station, STATIONS } from '../../lib/types.ts';
import { useStreamEvents } from '../../live/LiveStreamProvider.tsx';
import { formatSince, useNow } from '../floor/useNow.ts';

const ICONS = { kitchen: ChefHat, bar: Martini } as const;
const isStation = (s: string | undefined): s is Station => (STATIONS as readonly string[]).includes(s ?? '');

/**
 * /c/:companyId/stations/:station — the kitchen's (or the bar's) screen, for a tablet on
 * the wall: pending tickets as big cards, oldest first, live on the company stream; one
 * big "Prêt" per ticket. Cancellations stand out in red.
 */
export function StationPage() {
  const { station } = useParams();
  const { t } = useTranslation();
  if (!isStation(station)) return <Alert>{t('errors.not_found')}</Alert>;
  return <StationScreen key={station} station={station} />;
}

function StationScreen({ station }: { station: Station }) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const queue = useStationQueue(companyId, station);
  const changed = useTicketsChanged(companyId);
  const now = useNow(10_000);
  usePageTitle(`stations.names.${station}`);
  useStreamEvents(TICKET_EVENTS, changed);
  const Icon = ICONS[station];
  const other = STATIONS.find((s) => s !== station)!;
  const tickets = queue.data ?? [];

  return (
    <div data-testid="station-screen" data-station={station} className="space-y-5">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 items-center gap-3">
          <Icon className="size-9 shrink-0 text-teal-700" aria-hidden="true" />
          <div className="min-w-0">
            <h1 className="text-3xl font-bold tracking-tight text-slate-900">
              {t('stations.screen.title', { station: t(`stations.names.${station}`) })}
            </h1>
            <p className="text-sm text-slate-500">{t('stations.screen.subtitle')}</p>
          </div>
        </div>
        <div className="flex items-center gap-3">
          <span className="rounded-full bg-slate-900 px-3 py-1 text-sm font-semibold text-white tabular-nums" data-testid="station-count">
            {t('stations.screen.count', { count: tickets.length })}
          </span>
          <StreamStatusBadge />
          <Link
            to={`/c/${companyId}/stations/${other}`}
            className="rounded-lg border border-slate-300 bg-white px-4 py-3 text-base font-medium text-slate-800 shadow-sm hover:bg-slate-50"
          >
            {t('stations.screen.switchTo', { station: t(`stations.names.${other}`) })}
          </Link>
        </div>
      </header>
      {queue.isPending ? (
        <PageLoader />
      ) : queue.isError ? (
        <Alert>{errorMessage(queue.error, t)}</Alert>
      ) : tickets.length === 0 ? (
        <p className="rounded-xl border-2 border-dashed border-slate-300 p-12 text-center text-xl text-slate-500" data-testid="station-empty">
          {t('stations.screen.empty')}
        </p>
      ) : (
        <ol className="grid gap-4 md:grid-cols-2 2xl:grid-cols-3">
          {tickets.map((ticket, i) => (
            <TicketCard key={ticket.id} ticket={ticket} position={i + 1} now={now} />
          ))}
        </ol>
      )}
    </div>
  );
}

function TicketCard({ ticket, position, now }: { ticket: Ticket; position: number; now: number }) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const queryClient = useQueryClient();
  const changed = useTicketsChanged(companyId);
  const cancel = ticket.kind === 'cancel';
  const ready = useMutation({
    mutationFn: () => markTicketReady(companyId, ticket.station, ticket.id),
    onSuccess: () => {
      // Off the screen at once; the refetch confirms.
      queryClient.setQueryData<{ items: Ticket[] }>(stationKeys.queue(companyId, ticket.station), (page) =>
        page ? { ...page, items: page.items.filter((x) => x.id !== ticket.id) } : page,
      );
      toast.success(t('stations.screen.markedReady', { reference: ticket.reference }));
      changed();
    },
    onError: (err) => toast.error(errorMessage(err, t)),
  });
  const minutes = Math.floor((now - new Date(ticket.sentAt).getTime()) / 60_000);
  const late = minutes >= 15;

  return (
    <li
      data-testid="station-ticket"
      data-ticket-id={ticket.id}
      data-kind={ticket.kind}
      className={`flex flex-col overflow-hidden rounded-2xl border-2 bg-white shadow-sm ${cancel ? 'border-red-500' : late ? 'border-amber-400' : 'border-slate-200'}`}
    >
      {cancel && (
        <div className="bg-red-600 px-4 py-2 text-center text-lg font-extrabold tracking-widest text-white" data-testid="ticket-cancel-banner">
          {t('stations.screen.cancel')}
        </div>
      )}
      <div className="space-y-1 border-b border-slate-100 px-4 py-3">
        <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
          <p className="whitespace-nowrap text-2xl font-bold text-slate-900" data-testid="ticket-where">
            <span className="mr-2 text-slate-400 tabular-nums">#{position}</span>
            {ticket.tableLabel ? t('stations.screen.table', { label: ticket.tableLabel }) : ticket.reference}
          </p>
          <span
            className={`rounded-full px-3 py-1 text-base font-semibold whitespace-nowrap tabular-nums ${late ? 'bg-amber-100 text-amber-800' : 'bg-slate-100 text-slate-700'}`}
            data-testid="ticket-since"
          >
            {minutes < 1 ? t('stations.screen.justNow') : t('stations.screen.since', { since: formatSince(ticket.sentAt, now, t) })}
          </span>
        </div>
        <p className="text-sm text-slate-600">
          {ticket.tableLabel && <span className="font-mono">{ticket.reference} · </span>}
          {ticket.serverName ? t('stations.screen.server', { name: ticket.serverName }) : t('stations.screen.noServer')}
        </p>
      </div>
      <ul className="flex-1 space-y-2 px-4 py-3">
        {ticket.lines.map((line) => (
          <li key={`${line.saleItemId}-${line.kind}`} data-testid="ticket-line" data-kind={line.kind}>
            <p className="text-xl font-semibold">
              <span className={line.kind === 'cancel' ? 'text-red-700 line-through decoration-2' : 'text-slate-900'}>
                <span className="tabular-nums">{line.quantity} ×</span> {line.name}
              </span>
              {line.kind === 'cancel' && (
                <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 align-middle text-sm font-bold text-red-700">{t('stations.screen.cancelled')}</span>
              )}
            </p>
            {line.note && (
              <p className="mt-0.5 rounded-md bg-amber-50 px-2 py-1 text-base font-medium text-amber-900" data-testid="ticket-note">
                {t('stations.screen.note', { note: line.note })}
              </p>
            )}
          </li>
        ))}
      </ul>
      <button
        type="button"
        onClick={() => ready.mutate()}
        disabled={ready.isPending}
        data-testid="ticket-ready"
        className={`flex h-20 w-full items-center justify-center gap-3 text-2xl font-bold text-white transition-colors focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-teal-700 disabled:opacity-60 ${cancel ? 'bg-red-600 hover:bg-red-700' : 'bg-emerald-600 hover:bg-emerald-700'}`}
      >
        <Check className="size-8" aria-hidden="true" />
        {ready.isPending ? t('stations.screen.marking') : t('stations.screen.ready')}
      </button>
    </li>
  );
}
