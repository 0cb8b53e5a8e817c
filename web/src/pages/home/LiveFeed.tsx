import { Activity } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { StreamStatusBadge } from '../../components/StreamStatusBadge.tsx';
import { Card, CardHeader } from '../../components/ui/Card.tsx';
import { formatTime } from '../../lib/format.ts';
import { useRecentFrames } from '../../live/LiveStreamProvider.tsx';

const PER_USER_FRAMES = new Set(['notification', 'notification_count']);

/** "Activité en direct": the latest frames received on the company stream, newest first. */
export function LiveFeed({ timeZone }: { timeZone?: string }) {
  const { t, i18n } = useTranslation();
  // Per-user frames (notification, notification_count) belong to the bell, not the activity feed.
  const frames = useRecentFrames().filter((f) => !PER_USER_FRAMES.has(f.type));
  return (
    <Card data-testid="live-feed">
      <CardHeader title={t('live.title')} actions={<StreamStatusBadge />} />
      {frames.length === 0 ? (
        <div className="flex flex-col items-center gap-2 px-5 py-10 text-center text-sm text-slate-500">
          <Activity className="size-6 text-slate-300" aria-hidden="true" />
          <p data-testid="live-feed-empty">{t('live.empty')}</p>
        </div>
      ) : (
        <ol className="divide-y divide-slate-100" aria-live="polite">
          {frames.map((frame) => (
            <li
              key={`${frame.position ?? 'x'}-${frame.type}-${frame.receivedAt}`}
              className="flex items-center gap-3 px-5 py-3"
              data-testid="live-event"
              data-event-type={frame.type}
            >
              <span className="size-2 shrink-0 rounded-full bg-teal-500" aria-hidden="true" />
              <span className="min-w-0 flex-1 truncate text-sm font-medium text-slate-800">
                {t(`events.${frame.type}`, { defaultValue: frame.type })}
              </span>
              {frame.position !== null && (
                <span className="font-mono text-xs text-slate-400">{t('live.position', { position: frame.position })}</span>
              )}
              <time dateTime={frame.at} className="text-xs tabular-nums text-slate-500">
                {formatTime(frame.at, i18n.language, timeZone)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
