import { useTranslation } from 'react-i18next';
import { useStreamStatus } from '../live/LiveStreamProvider.tsx';

const styles = {
  connecting: { dot: 'bg-slate-400', box: 'border-slate-200 bg-slate-50 text-slate-600' },
  live: { dot: 'bg-emerald-500 animate-pulse', box: 'border-emerald-200 bg-emerald-50 text-emerald-800' },
  reconnecting: { dot: 'bg-amber-500 animate-pulse', box: 'border-amber-200 bg-amber-50 text-amber-800' },
  polling: { dot: 'bg-orange-500', box: 'border-orange-200 bg-orange-50 text-orange-800' },
} as const;

/** Connection indicator: En direct / Reconnexion… / Mode dégradé (polling). */
export function StreamStatusBadge() {
  const { t } = useTranslation();
  const status = useStreamStatus();
  const s = styles[status];
  return (
    <span
      role="status"
      data-testid="stream-status"
      data-status={status}
      className={`inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs font-medium ${s.box}`}
    >
      <span className={`size-2 rounded-full ${s.dot}`} aria-hidden="true" />
      {t(`live.status.${status}`)}
    </span>
  );
}
