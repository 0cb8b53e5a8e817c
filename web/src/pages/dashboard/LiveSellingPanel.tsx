import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Check, Circle, Radio } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader } from '../../components/ui/Card.tsx';
import { ConfirmDialog } from '../../components/ui/ConfirmDialog.tsx';
import { Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatDateTime, formatTime } from '../../lib/format.ts';
import { LIVE_EVENTS, useLiveOrders, useLiveState } from '../../lib/insightsQueries.ts';
import { cancelLiveOrder, LIVE_STEPS, type LiveOrder, type LiveState, setLive } from '../../lib/liveSelling.ts';
import { formatMoney } from '../../lib/money.ts';
import { iqk } from '../../lib/insightsKeys.ts';
import { useStreamEvents } from '../../live/LiveStreamProvider.tsx';

/** A burst of holds (a customer adding items) refetches once. */
const COALESCE_MS = 250;

/** Keeps the live-selling queries fresh while the panel is on screen. */
function useLiveSync(companyId: string) {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useStreamEvents(LIVE_EVENTS, () => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      void queryClient.invalidateQueries({ queryKey: iqk.live(companyId) });
    }, COALESCE_MS);
  });
}

/** On/off switch of live mode (POST /live). */
function LiveToggle({ state }: { state: LiveState | undefined }) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const queryClient = useQueryClient();
  const enabled = state?.enabled === true;
  const mutation = useMutation({
    mutationFn: (next: boolean) => setLive(companyId, next),
    onSuccess: (next) => {
      queryClient.setQueryData(iqk.liveState(companyId), next);
      void queryClient.invalidateQueries({ queryKey: iqk.live(companyId) });
      toast.success(next.enabled ? t('liveSelling.started') : t('liveSelling.ended'));
    },
    onError: (err) => {
      toast.error(errorMessage(err, t));
      void queryClient.invalidateQueries({ queryKey: iqk.liveState(companyId) });
    },
  });
  return (
    <button
      type="button"
      role="switch"
      aria-checked={enabled}
      disabled={!state || mutation.isPending}
      onClick={() => mutation.mutate(!enabled)}
      className="inline-flex items-center gap-2 rounded-full text-sm font-medium text-slate-700 disabled:opacity-60"
      data-testid="live-toggle"
      data-enabled={enabled}
    >
      <span
        className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors ${enabled ? 'bg-red-500' : 'bg-slate-300'}`}
        aria-hidden="true"
      >
        <span className={`inline-block size-5 rounded-full bg-white shadow transition-transform ${enabled ? 'translate-x-5.5' : 'translate-x-0.5'}`} />
      </span>
      {mutation.isPending ? <Spinner className="size-4" /> : null}
      {enabled ? t('liveSelling.on') : t('liveSelling.off')}
    </button>
  );
}

/** One step of the checklist: done (check) or to do (empty circle), with what was given. */
function Step({ done, label, detail }: { done: boolean; label: string; detail?: string | null }) {
  return (
    <li className="flex min-w-0 items-start gap-1.5" data-done={done}>
      {done ? (
        <Check className="mt-px size-4 shrink-0 rounded-full bg-emerald-100 p-0.5 text-emerald-700" aria-hidden="true" />
      ) : (
        <Circle className="mt-px size-4 shrink-0 text-slate-300" aria-hidden="true" />
      )}
      <span className="min-w-0">
        <span className={`block ${done ? 'font-medium text-slate-800' : 'text-slate-500'}`}>
          {label}
          <span className="sr-only">{done ? ' ✓' : ' —'}</span>
        </span>
        {detail && (
          <span className="block truncate text-[11px] text-slate-500" title={detail}>
            {detail}
          </span>
        )}
      </span>
    </li>
  );
}

function LiveOrderRow({ order, onCancel }: { order: LiveOrder; onCancel: (order: LiveOrder) => void }) {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const money = (n: number) => formatMoney(n, order.currency, i18n.language);
  const itemCount = order.items.reduce((sum, i) => sum + i.quantity, 0);
  const details: Record<(typeof LIVE_STEPS)[number], string | null> = {
    products: order.items.length ? t('liveSelling.itemCount', { count: itemCount }) : null,
    payment: order.payment ? money(order.payment.received) : null,
    delivery: order.deliveryZone,
    phone: order.customerPhone,
  };
  const rate = Math.max(0, Math.min(100, order.completionRate));
  return (
    <li className="space-y-2 px-5 py-3" data-testid="live-order" data-id={order.id} data-completion={order.completionRate}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <span className="min-w-0 truncate text-sm font-medium text-slate-900" title={order.externalCustomerId}>
          {order.externalCustomerId}
        </span>
        <span className="flex items-baseline gap-3 text-sm">
          <span className="font-semibold tabular-nums">{money(order.total)}</span>
          <time dateTime={order.createdAt} className="text-xs text-slate-500 tabular-nums">
            {formatTime(order.createdAt, i18n.language)}
          </time>
        </span>
      </div>
      {order.items.length > 0 && (
        <p className="truncate text-xs text-slate-500">{order.items.map((i) => `${i.quantity} × ${i.name}`).join(', ')}</p>
      )}
      <ul className="grid grid-cols-2 gap-x-3 gap-y-1 text-xs sm:grid-cols-4" aria-label={t('liveSelling.checklist')} data-testid="live-order-checklist">
        {LIVE_STEPS.map((step) => (
          <Step key={step} done={order.checklist[step] === true} label={t(`liveSelling.steps.${step}`)} detail={details[step]} />
        ))}
      </ul>
      <div className="flex items-center gap-3">
        <div
          className="h-2 flex-1 overflow-hidden rounded-full bg-slate-100"
          role="progressbar"
          aria-label={t('liveSelling.completion')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={rate}
          data-testid="live-order-progress"
        >
          <div
            className={`h-full rounded-full transition-[width] ${rate >= 100 ? 'bg-emerald-500' : rate >= 50 ? 'bg-teal-500' : 'bg-amber-500'}`}
            style={{ width: `${rate}%` }}
          />
        </div>
        <span className="w-10 text-right text-xs font-medium text-slate-600 tabular-nums">{rate} %</span>
        <Button variant="danger-ghost" size="sm" onClick={() => onCancel(order)} data-testid="live-order-cancel">
          {t('liveSelling.cancel')}
        </Button>
      </div>
      {order.saleId && (
        <Link to={`/c/${companyId}/sales/${order.saleId}`} className={`${linkClass} text-xs`}>
          {order.saleReference ?? t('liveSelling.viewSale')}
        </Link>
      )}
    </li>
  );
}

/**
 * "Vente en direct": the live-mode toggle, the current live session's figures and
 * the active live orders with their four-step checklist and completion bar, kept
 * fresh by order, payment-issue, live and hold events.
 */
export function LiveSellingPanel() {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const queryClient = useQueryClient();
  const state = useLiveState(companyId);
  const orders = useLiveOrders(companyId, 'active');
  const [cancelling, setCancelling] = useState<LiveOrder | null>(null);
  useLiveSync(companyId);

  const cancel = useMutation({
    mutationFn: (order: LiveOrder) => cancelLiveOrder(companyId, order.id),
    onSuccess: () => {
      setCancelling(null);
      toast.success(t('liveSelling.cancelled'));
    },
    onError: (err) => {
      setCancelling(null);
      toast.error(errorMessage(err, t));
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: iqk.live(companyId) }),
  });

  const session = state.data?.session ?? null;
  const items = orders.data ?? [];
  return (
    <Card data-testid="live-panel">
      <CardHeader
        title={
          <span className="inline-flex items-center gap-2">
            <Radio className={`size-4 ${state.data?.enabled ? 'text-red-500' : 'text-slate-400'}`} aria-hidden="true" />
            {t('liveSelling.title')}
            {(state.isFetching || orders.isFetching) && <Spinner className="size-3.5" />}
          </span>
        }
        description={
          session && state.data?.enabled
            ? t('liveSelling.sessionSummary', {
                time: formatTime(session.startedAt, i18n.language),
                count: session.orderCount,
                revenue: formatMoney(session.revenue, session.currency, i18n.language),
              })
            : session?.endedAt
              ? t('liveSelling.lastSession', {
                  date: formatDateTime(session.endedAt, i18n.language),
                  count: session.orderCount,
                  revenue: formatMoney(session.revenue, session.currency, i18n.language),
                })
              : t('liveSelling.hint')
        }
        actions={<LiveToggle state={state.data} />}
      />
      {state.isError && (
        <CardBody>
          <Alert>{errorMessage(state.error, t)}</Alert>
        </CardBody>
      )}
      {orders.isError ? (
        <CardBody>
          <Alert>{errorMessage(orders.error, t)}</Alert>
        </CardBody>
      ) : items.length === 0 ? (
        <CardBody>
          <p className="text-sm text-slate-500" data-testid="live-orders-empty">
            {orders.isPending ? t('common.loading') : t('liveSelling.noOrders')}
          </p>
        </CardBody>
      ) : (
        <ul className="max-h-[32rem] divide-y divide-slate-100 overflow-y-auto" data-testid="live-orders">
          {items.map((order) => (
            <LiveOrderRow key={order.id} order={order} onCancel={setCancelling} />
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={cancelling !== null}
        title={t('liveSelling.cancelTitle')}
        body={t('liveSelling.cancelBody', { customer: cancelling?.externalCustomerId ?? '' })}
        confirmLabel={t('liveSelling.cancel')}
        busy={cancel.isPending}
        onConfirm={() => cancelling && cancel.mutate(cancelling)}
        onClose={() => setCancelling(null)}
      />
    </Card>
  );
}
