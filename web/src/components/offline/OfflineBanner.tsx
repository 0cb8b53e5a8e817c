import { useQueryClient } from '@tanstack/react-query';
import { ChevronDown, CloudOff, RefreshCw, WifiOff } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { toast } from 'sonner';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useQueueState } from '../../lib/offline/hooks.ts';
import { browserOnline, useBrowserOnline } from '../../lib/offline/online.ts';
import { resolveSaleId } from '../../lib/offline/project.ts';
import { chainOf, loadQueue, onSync, queueState, syncQueue } from '../../lib/offline/queue.ts';
import { registerServiceWorker } from '../../lib/offline/register.ts';
import { isLocalId, type QueuedOp } from '../../lib/offline/types.ts';
import { qk } from '../../lib/queryKeys.ts';
import { Button } from '../ui/Button.tsx';
import { OfflineFixes, useOpLabel } from './OfflineFixes.tsx';
import { PendingSyncMark } from './PendingSyncMark.tsx';

const RETRY_MS = 15_000;

/**
 * Runs the offline queue for the signed-in user: registers the service worker, reads
 * the stored queue, replays it when the network comes back (and every 15 s while
 * something waits), then refreshes what the replay changed and moves a page showing a
 * sale opened offline to the sale's real id.
 */
function useOfflineSync(userId: string) {
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const path = useRef(location.pathname);
  path.current = location.pathname;
  const { ids } = useQueueState();

  useEffect(() => {
    registerServiceWorker();
    void loadQueue().then(() => syncQueue(userId));
    const sync = () => {
      if (browserOnline()) void syncQueue(userId);
    };
    // Something to send, or the server not answering since a request failed.
    const waiting = () => !queueState().reachable || queueState().ops.some((op) => op.userId === userId && op.state === 'pending');
    const timer = setInterval(() => {
      if (waiting()) sync();
    }, RETRY_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible' && waiting()) sync();
    };
    window.addEventListener('online', sync);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', sync);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [userId]);

  useEffect(
    () =>
      onSync((e) => {
        if (e.type === 'applied') {
          queryClient.setQueryData(qk.sale(e.op.companyId, e.sale.id), e.sale);
          if (e.op.kind === 'open_sale') {
            toast.success(t('offline.saleSynced', { local: e.op.reference, reference: e.sale.reference }));
          }
        } else if (e.type === 'refused') {
          toast.error(t('offline.refused'));
        } else if (e.applied > 0) {
          toast.success(t('offline.synced', { count: e.applied }));
          void queryClient.invalidateQueries({ queryKey: ['company'] });
        }
      }),
    [queryClient, t],
  );

  // A page still showing a sale by its temporary id moves to the server's id.
  useEffect(() => {
    const m = /^\/c\/([^/]+)\/sales\/(local-[^/]+)$/.exec(location.pathname);
    const realId = m?.[2] ? resolveSaleId(m[2], ids) : null;
    if (m && realId && !isLocalId(realId)) navigate(`/c/${m[1]}/sales/${realId}${location.search}`, { replace: true });
  }, [location.pathname, location.search, ids, navigate]);
}

/**
 * Above every staff page: offline (or server unreachable), what still works and what
 * does not, the operations waiting to be synchronised, and those the server refused
 * ("À corriger") with their fixes. Nothing shows when online with an empty queue.
 */
export function OfflineBanner() {
  const { t } = useTranslation();
  const { user } = useCompanyContext();
  useOfflineSync(user.id);
  const online = useBrowserOnline();
  const state = useQueueState();
  const label = useOpLabel(state);
  const [open, setOpen] = useState(true);

  const mine = state.ops.filter((op) => op.userId === user.id);
  const others = state.ops.length - mine.length;
  const failed = mine.filter((op) => op.state === 'failed');
  const pending = mine.filter((op) => op.state === 'pending');
  const blockedChains = new Set(failed.map((op) => chainOf(op, state.ids)));
  const offline = !online || !state.reachable;
  if (!offline && mine.length === 0 && others === 0) return null;

  const saleLink = (op: QueuedOp) => `/c/${op.companyId}/sales/${resolveSaleId(op.saleId, state.ids)}`;

  return (
    <div
      className={`mb-4 space-y-3 rounded-xl border p-4 text-sm shadow-sm ${offline ? 'border-amber-300 bg-amber-50' : 'border-slate-200 bg-white'}`}
      data-testid="offline-banner"
      data-offline={offline ? 'true' : 'false'}
      data-pending={pending.length}
      data-failed={failed.length}
    >
      {offline && (
        <div className="space-y-1">
          <p className="flex items-center gap-2 font-semibold text-amber-900" role="status" data-testid="offline-notice">
            <WifiOff className="size-4 shrink-0" aria-hidden="true" />
            {online ? t('offline.unreachable') : t('offline.offline')}
          </p>
          <p className="text-amber-900" data-testid="offline-unavailable">
            {t('offline.unavailableTitle')}{' '}
            {[t('offline.unavailable.stripe'), t('offline.unavailable.mobileMoney'), t('offline.unavailable.qr'), t('offline.unavailable.shop')].join(', ')}.
          </p>
        </div>
      )}
      {state.volatile && <p className="text-red-800">{t('offline.volatile')}</p>}
      {state.authNeeded && <p className="text-red-800" data-testid="offline-auth-needed">{t('offline.authNeeded')}</p>}

      {pending.length > 0 && (
        <div className="space-y-2">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="flex items-center gap-2 font-medium text-slate-900" data-testid="offline-pending-count" data-count={pending.length}>
              <CloudOff className="size-4 shrink-0 text-amber-700" aria-hidden="true" />
              {state.syncing && !offline ? t('offline.syncing') : t('offline.pendingCount', { count: pending.length })}
            </p>
            <div className="flex items-center gap-2">
              {!offline && (
                <Button size="sm" variant="secondary" loading={state.syncing} icon={<RefreshCw className="size-4" aria-hidden="true" />} onClick={() => void syncQueue(user.id)} data-testid="offline-sync-now">
                  {t('offline.syncNow')}
                </Button>
              )}
              <Button size="sm" variant="ghost" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
                <ChevronDown className={`size-4 transition-transform ${open ? 'rotate-180' : ''}`} aria-hidden="true" />
                {open ? t('offline.hidePending') : t('offline.showPending')}
              </Button>
            </div>
          </div>
          {open && (
            <ul className="divide-y divide-slate-200/70 rounded-lg border border-slate-200 bg-white" data-testid="offline-pending-list">
              {pending.map((op) => (
                <li key={op.seq} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2" data-testid="offline-op" data-kind={op.kind} data-sale-id={op.saleId}>
                  <Link to={saleLink(op)} className="min-w-0 truncate text-slate-800 hover:underline">
                    {label(op)}
                  </Link>
                  {blockedChains.has(chainOf(op, state.ids)) ? (
                    <span className="text-xs text-red-700">{t('offline.blocked')}</span>
                  ) : (
                    <PendingSyncMark />
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      {failed.length > 0 && <OfflineFixes state={state} failed={failed} userId={user.id} />}
      {others > 0 && <p className="text-xs text-slate-600">{t('offline.otherUsers', { count: others })}</p>}
    </div>
  );
}
