import { Globe, Hash, Timer, User } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../lib/insights.ts';
import { formatDuration } from '../payments/paymentUi.tsx';
import { actorText, DataJson, DeviceIcon, deviceText, eventLabel, formatMs, KeyData, LevelBadge, levelStyle } from './eventUi.tsx';

function formatStamp(iso: string, locale: string, timeZone?: string): { date: string; time: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { date: '', time: iso };
  try {
    return {
      date: new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeZone }).format(d),
      time: new Intl.DateTimeFormat(locale, { timeStyle: 'medium', timeZone }).format(d),
    };
  } catch {
    return { date: d.toLocaleDateString(locale), time: d.toLocaleTimeString(locale) };
  }
}

/**
 * A trail as a vertical timeline, oldest first: time, the type's label, the level's
 * colour, who did it and from what device, the time since the previous step (and
 * the request's own duration), the key data and, unfolded, the whole data.
 */
export function TrailTimeline({ events, timeZone }: { events: AuditEvent[]; timeZone?: string }) {
  const { t, i18n } = useTranslation();
  if (events.length === 0) return <p className="text-sm text-slate-500" data-testid="trail-empty">{t('trail.empty')}</p>;
  return (
    <ol className="relative space-y-5 border-l border-slate-200 pl-6" data-testid="trail-timeline">
      {events.map((e, i) => {
        const style = levelStyle(e.level);
        const stamp = formatStamp(e.at, i18n.language, timeZone);
        const previous = i > 0 ? events[i - 1] : undefined;
        const sincePrevious = previous ? new Date(e.at).getTime() - new Date(previous.at).getTime() : null;
        const device = deviceText(e, t);
        const sameDay = previous && formatStamp(previous.at, i18n.language, timeZone).date === stamp.date;
        return (
          <li key={e.id} className="relative" data-testid="trail-event" data-type={e.type} data-level={e.level}>
            <span
              className={`absolute top-1.5 -left-[1.85rem] size-3 rounded-full ring-4 ring-white ${style.dot}`}
              aria-hidden="true"
            />
            <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
              <time dateTime={e.at} className="text-xs text-slate-500 tabular-nums">
                {sameDay ? stamp.time : `${stamp.date} ${stamp.time}`}
              </time>
              <span className={`text-sm font-semibold ${style.text}`} data-testid="trail-event-label">
                {eventLabel(e.type, t)}
              </span>
              {e.level !== 'info' && <LevelBadge level={e.level} />}
              {sincePrevious !== null && sincePrevious >= 0 && (
                <span className="text-xs text-slate-500 tabular-nums" data-testid="trail-event-step" title={t('trail.sincePrevious')}>
                  {t('trail.after', { duration: formatDuration(sincePrevious) })}
                </span>
              )}
            </div>
            <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
              <span className="inline-flex items-center gap-1" data-testid="trail-event-actor">
                <User className="size-3.5 text-slate-400" aria-hidden="true" />
                {actorText(e.actor, t)}
              </span>
              {device && (
                <span className="inline-flex items-center gap-1" data-testid="trail-event-device">
                  <DeviceIcon type={e.device?.type} className="size-3.5 text-slate-400" />
                  {device}
                </span>
              )}
              {e.ip && (
                <span className="inline-flex items-center gap-1 font-mono">
                  <Globe className="size-3.5 text-slate-400" aria-hidden="true" />
                  {e.ip}
                </span>
              )}
              {e.durationMs !== null && (
                <span className="inline-flex items-center gap-1" data-testid="trail-event-duration">
                  <Timer className="size-3.5 text-slate-400" aria-hidden="true" />
                  {t('trail.duration', { duration: formatMs(e.durationMs) })}
                </span>
              )}
              {e.requestId && (
                <span className="inline-flex items-center gap-1 font-mono" title={t('audit.detail.requestId')}>
                  <Hash className="size-3.5 text-slate-400" aria-hidden="true" />
                  {e.requestId}
                </span>
              )}
            </div>
            <div className="mt-1">
              <KeyData data={e.data} />
            </div>
            {e.data && Object.keys(e.data).length > 0 && (
              <details className="mt-1">
                <summary className="cursor-pointer text-xs text-teal-700 hover:underline">{t('trail.showData')}</summary>
                <div className="mt-1">
                  <DataJson data={e.data} />
                </div>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}
