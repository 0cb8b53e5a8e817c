import type { TFunction } from 'i18next';
import { CircleCheck } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../components/ui/Alert.tsx';
import { linkClass } from '../../components/ui/Button.tsx';
import { Card, CardHeader } from '../../components/ui/Card.tsx';
import { Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatTimestamp } from '../../lib/localDates.ts';
import type { DashboardError } from '../../lib/insights.ts';
import { useDashboardErrors } from '../../lib/insightsQueries.ts';
import { eventLabel, LevelBadge } from '../audit/eventUi.tsx';

const HOURS = 24;

function trailLink(companyId: string, e: DashboardError): string | null {
  if (!e.trail) return null;
  return e.trail.kind === 'payment'
    ? `/c/${companyId}/payments/${e.trail.id}/trail`
    : `/c/${companyId}/payment-sessions/${e.trail.id}/trail`;
}

/**
 * A system error's own message; for other events (a payment issue, a failed
 * receipt…) their label and, translated when it is an issue code, the reason.
 */
function errorTitle(e: DashboardError, t: TFunction): string {
  if (e.type === 'system_error') return e.message || eventLabel(e.type, t);
  const label = eventLabel(e.type, t);
  if (!e.message) return label;
  return t('audit.dataPair', { replace: { key: label, value: t(`payments.issues.${e.message}`, { defaultValue: e.message }) } });
}

/** Errors and critical errors of the last 24 hours, each linking to its payment or session trail. */
export function RecentErrors({ timeZone }: { timeZone?: string }) {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const errors = useDashboardErrors(companyId, HOURS);
  const items = errors.data ?? [];
  const auditLink = `/c/${companyId}/audit?level=error,critical`;
  return (
    <Card data-testid="dashboard-errors">
      <CardHeader
        title={
          <span className="inline-flex items-center gap-2">
            {t('dashboard.errors.title', { hours: HOURS })}
            {errors.isFetching && <Spinner className="size-3.5" />}
          </span>
        }
        actions={
          <Link to={auditLink} className={`${linkClass} text-sm`}>
            {t('dashboard.errors.seeAll')}
          </Link>
        }
      />
      {errors.isError ? (
        <div className="px-5 py-3">
          <Alert>{errorMessage(errors.error, t)}</Alert>
        </div>
      ) : items.length === 0 ? (
        <p className="flex items-center gap-2 px-5 py-4 text-sm text-slate-500" data-testid="dashboard-errors-empty">
          {errors.isPending ? (
            t('common.loading')
          ) : (
            <>
              <CircleCheck className="size-4 text-emerald-600" aria-hidden="true" />
              {t('dashboard.errors.none')}
            </>
          )}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {items.map((e) => {
            const trail = trailLink(companyId, e);
            return (
              <li
                key={e.id}
                className="flex flex-wrap items-start gap-x-3 gap-y-1 px-5 py-3"
                data-testid="dashboard-error-row"
                data-level={e.level}
                data-trail={e.trail?.kind ?? ''}
              >
                <LevelBadge level={e.level} />
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium text-slate-900" title={e.message ?? undefined}>
                    {errorTitle(e, t)}
                  </p>
                  <p className="text-xs break-all text-slate-500">
                    <time dateTime={e.at} className="tabular-nums">
                      {formatTimestamp(e.at, i18n.language, timeZone)}
                    </time>
                    {e.route && <span className="font-mono"> · {e.route}</span>}
                    {e.requestId && <span className="font-mono"> · {e.requestId}</span>}
                  </p>
                </div>
                {trail ? (
                  <Link to={trail} className={`${linkClass} shrink-0 text-sm`} data-testid="dashboard-error-trail">
                    {t(e.trail?.kind === 'payment' ? 'dashboard.errors.paymentTrail' : 'dashboard.errors.sessionTrail')}
                  </Link>
                ) : (
                  e.requestId && (
                    <Link
                      to={`/c/${companyId}/audit?type=${encodeURIComponent(e.type)}`}
                      className={`${linkClass} shrink-0 text-sm`}
                    >
                      {t('dashboard.errors.inAudit')}
                    </Link>
                  )
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
