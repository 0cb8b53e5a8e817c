import { Activity } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { StreamStatusBadge } from '../../components/StreamStatusBadge.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Card, CardHeader } from '../../components/ui/Card.tsx';
import { Spinner } from '../../components/ui/Spinner.tsx';
import { ACTIVITY_TYPES, activityFromFrame, activityText, mergeActivity } from '../../lib/activity.ts';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatTime } from '../../lib/format.ts';
import type { ActivityItem } from '../../lib/insights.ts';
import { useActivity } from '../../lib/insightsQueries.ts';
import { useStreamEvents } from '../../live/LiveStreamProvider.tsx';

const LIMIT = 20;
/** Items kept on screen: the fetched ones plus what arrived live since. */
const MAX_SHOWN = 50;

const DOTS: Record<string, string> = {
  sale_paid: 'bg-emerald-500',
  payment_confirmed: 'bg-emerald-500',
  payment_issue: 'bg-amber-500',
  live_started: 'bg-violet-500',
  live_ended: 'bg-violet-500',
};

function itemPath(companyId: string, item: ActivityItem): string | null {
  if (!item.subject) return null;
  if (item.subject.type === 'sale') return `/c/${companyId}/sales/${item.subject.id}`;
  if (item.subject.type === 'payment') return `/c/${companyId}/payments/${item.subject.id}`;
  if (item.subject.type === 'payment_session') return `/c/${companyId}/payment-sessions/${item.subject.id}`;
  return null;
}

/**
 * "Activité" of the dashboard: the latest business events (GET /activity), with the
 * ones arriving on the company stream prepended as they happen (same wording). The
 * stream is the app's one connection (LiveStreamProvider); a `reset` refetches the list.
 */
export function ActivityFeed({ timeZone }: { timeZone?: string }) {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const query = useActivity(companyId, LIMIT);
  const [live, setLive] = useState<ActivityItem[]>([]);

  useStreamEvents(ACTIVITY_TYPES, (frame) => {
    const item = activityFromFrame(frame);
    if (item) setLive((list) => mergeActivity([item], list, MAX_SHOWN));
  });

  const items = useMemo(() => mergeActivity(live, query.data ?? [], MAX_SHOWN), [live, query.data]);

  return (
    <Card data-testid="activity-feed" className="flex flex-col">
      <CardHeader
        title={
          <span className="inline-flex items-center gap-2">
            {t('dashboard.activity.title')}
            {query.isFetching && <Spinner className="size-3.5" />}
          </span>
        }
        actions={<StreamStatusBadge />}
      />
      {query.isError && (
        <div className="px-5 pt-3">
          <Alert>{errorMessage(query.error, t)}</Alert>
        </div>
      )}
      {items.length === 0 ? (
        <div className="flex flex-col items-center gap-2 px-5 py-10 text-center text-sm text-slate-500">
          <Activity className="size-6 text-slate-300" aria-hidden="true" />
          <p data-testid="activity-empty">{query.isPending ? t('common.loading') : t('dashboard.activity.empty')}</p>
        </div>
      ) : (
        <ol className="max-h-[28rem] divide-y divide-slate-100 overflow-y-auto" aria-live="polite">
          {items.map((item) => {
            const text = activityText(item, t, i18n.language);
            const path = itemPath(companyId, item);
            return (
              <li
                key={item.position}
                className="flex items-center gap-3 px-5 py-2.5"
                data-testid="activity-item"
                data-type={item.type}
                data-position={item.position}
              >
                <span className={`size-2 shrink-0 rounded-full ${DOTS[item.type] ?? 'bg-teal-500'}`} aria-hidden="true" />
                <span className="min-w-0 flex-1 truncate text-sm text-slate-800" title={text}>
                  {path ? (
                    <Link to={path} className="hover:underline">
                      {text}
                    </Link>
                  ) : (
                    text
                  )}
                </span>
                <time dateTime={item.at} className="shrink-0 text-xs text-slate-500 tabular-nums">
                  {formatTime(item.at, i18n.language, timeZone)}
                </time>
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
