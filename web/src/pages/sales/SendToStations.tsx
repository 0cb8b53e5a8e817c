import { useMutation } from '@tanstack/react-query';
import { ChefHat, Send } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Button } from '../../components/ui/Button.tsx';
import { errorMessage } from '../../lib/api.ts';
import { formatTime } from '../../lib/format.ts';
import { useOffline } from '../../lib/offline/hooks.ts';
import { isLocalId } from '../../lib/offline/types.ts';
import type { Sale } from '../../lib/sales.ts';
import { sendToStations, TICKET_EVENTS, type Ticket, useSaleTickets, useTicketsChanged } from '../../lib/stations.ts';
import { useStreamEvents } from '../../live/LiveStreamProvider.tsx';

/**
 * The till's "Envoyer en cuisine": sends the sale's new kitchen and bar lines (with
 * their notes) as one ticket per station, says how many lines are still to send, and
 * lists what was sent with each ticket's status (live: "Prêt" when the station says so).
 */
export function SendToStations({ companyId, sale }: { companyId: string; sale: Sale }) {
  const { t } = useTranslation();
  const local = isLocalId(sale.id);
  const offline = useOffline();
  const query = useSaleTickets(companyId, sale.id, sale.version, !local);
  const changed = useTicketsChanged(companyId);
  useStreamEvents(TICKET_EVENTS, (frame) => {
    if (frame.subjects.saleId === sale.id) changed();
  });
  const send = useMutation({
    mutationFn: () => sendToStations(companyId, sale.id),
    onSuccess: ({ tickets }) => {
      if (tickets.length) toast.success(t('stations.till.sent', { count: tickets.length }));
      else toast.info(t('stations.till.nothingNew'));
      changed();
    },
    onError: (err) => toast.error(errorMessage(err, t)),
  });

  const lines = query.data?.lines ?? [];
  const tickets = query.data?.tickets ?? [];
  if (!local && lines.length === 0 && tickets.length === 0) return null;
  const toSend = lines.filter((l) => l.quantity > l.sent).length;
  const sendable = sale.status === 'open' || sale.status === 'paid';

  return (
    <section className="space-y-3 rounded-lg border border-slate-200 p-3" data-testid="stations-panel">
      <div className="flex items-center justify-between gap-2">
        <h2 className="flex items-center gap-1.5 text-sm font-semibold text-slate-900">
          <ChefHat className="size-4 text-teal-700" aria-hidden="true" />
          {t('stations.till.title')}
        </h2>
        <span className="text-xs text-slate-500" data-testid="stations-to-send" data-count={toSend}>
          {local ? t('stations.till.unavailable') : toSend ? t('stations.till.toSend', { count: toSend }) : t('stations.till.allSent')}
        </span>
      </div>
      {sendable && (
        <Button
          className="h-12 w-full text-base"
          icon={<Send className="size-5" aria-hidden="true" />}
          loading={send.isPending}
          disabled={local || offline || toSend === 0}
          title={offline ? t('stations.till.offline') : undefined}
          onClick={() => send.mutate()}
          data-testid="send-to-stations"
        >
          {send.isPending ? t('stations.till.sending') : t('stations.till.send')}
        </Button>
      )}
      {tickets.length > 0 && (
        <ul className="space-y-2" data-testid="sale-tickets">
          {tickets.map((ticket) => (
            <SentTicket key={ticket.id} ticket={ticket} />
          ))}
        </ul>
      )}
    </section>
  );
}

function SentTicket({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const ready = ticket.status === 'ready';
  const cancel = ticket.kind === 'cancel';
  return (
    <li
      className={`rounded-md border px-2.5 py-2 text-sm ${cancel ? 'border-red-200 bg-red-50' : 'border-slate-200 bg-slate-50'}`}
      data-testid="sale-ticket"
      data-station={ticket.station}
      data-status={ticket.status}
      data-kind={ticket.kind}
    >
      <div className="flex items-center justify-between gap-2">
        <span className="font-medium text-slate-800">
          {t('stations.till.ticket', { station: t(`stations.names.${ticket.station}`), time: formatTime(ticket.sentAt, i18n.language) })}
          {cancel && <span className="ml-1.5 font-semibold text-red-700">· {t('stations.till.cancel')}</span>}
        </span>
        <span
          className={`rounded-full px-2 py-0.5 text-xs font-semibold ${ready ? 'bg-emerald-100 text-emerald-800' : 'bg-amber-100 text-amber-800'}`}
          data-testid="sale-ticket-status"
        >
          {ready ? t('stations.till.ready') : t('stations.till.pending')}
        </span>
      </div>
      <ul className="mt-1 space-y-0.5 text-slate-700">
        {ticket.lines.map((line) => (
          <li key={`${line.saleItemId}-${line.kind}`} className={line.kind === 'cancel' ? 'text-red-700 line-through' : undefined}>
            {line.quantity} × {line.name}
            {line.note && <span className="ml-1 italic text-slate-500">({line.note})</span>}
          </li>
        ))}
      </ul>
    </li>
  );
}
