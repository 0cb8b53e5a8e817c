import { ChevronRight, Download, ScrollText } from 'lucide-react';
import { Fragment, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, buttonClass, linkClass } from '../../components/ui/Button.tsx';
import { Card, CardBody, PageHeader } from '../../components/ui/Card.tsx';
import { PageLoader, Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useCompany } from '../../lib/companyQueries.ts';
import { formatTimestamp } from '../../lib/localDates.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { type AuditEvent, eventsCsvUrl, type SubjectKey } from '../../lib/insights.ts';
import { useAuditEvents } from '../../lib/insightsQueries.ts';
import { AUDIT_READERS } from '../../nav.ts';
import { AuditFilters } from './AuditFilters.tsx';
import { actorText, DataJson, DeviceIcon, deviceText, eventLabel, formatMs, KeyData, LevelBadge, levelStyle, trailPath } from './eventUi.tsx';
import { useAuditFilters } from './useAuditFilters.ts';

const th = 'px-4 py-2 font-medium';

/** /c/:companyId/audit — the audit trail: search (filters in the URL), details, CSV export. */
export function AuditPage() {
  usePageTitle('audit.title');
  return (
    <RequireRole roles={AUDIT_READERS}>
      <Audit />
    </RequireRole>
  );
}

function Audit() {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const timeZone = useCompany(companyId).data?.timezone;
  const { values, query, set, clear, active } = useAuditFilters();
  const events = useAuditEvents(companyId, query);
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div>
      <PageHeader
        title={t('audit.title')}
        description={t('audit.subtitle')}
        actions={
          <a href={eventsCsvUrl(companyId, query)} download className={buttonClass('secondary')} data-testid="audit-export">
            <Download className="size-4" aria-hidden="true" />
            {t('audit.export')}
          </a>
        }
      />
      <div className="space-y-4">
        <Card>
          <CardBody>
            <AuditFilters values={values} set={set} clear={clear} active={active} />
          </CardBody>
        </Card>
        {events.isPending ? (
          <PageLoader />
        ) : events.isError ? (
          <Alert>{errorMessage(events.error, t)}</Alert>
        ) : (
          <Card data-testid="audit-results">
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="audit-table" aria-busy={events.isPlaceholderData}>
                <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
                  <tr>
                    <th scope="col" className="w-8 px-2 py-2">
                      <span className="sr-only">{t('audit.columns.details')}</span>
                    </th>
                    <th scope="col" className={th}>
                      <span className="inline-flex items-center gap-2">
                        {t('audit.columns.at')}
                        {events.isFetching && !events.isFetchingNextPage && <Spinner className="size-3.5" />}
                      </span>
                    </th>
                    <th scope="col" className={th}>{t('audit.columns.type')}</th>
                    <th scope="col" className={`${th} hidden sm:table-cell`}>{t('audit.columns.level')}</th>
                    <th scope="col" className={`${th} hidden md:table-cell`}>{t('audit.columns.actor')}</th>
                    <th scope="col" className={`${th} hidden lg:table-cell`}>{t('audit.columns.data')}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {items.map((e) => {
                    const expanded = open.has(e.id);
                    return (
                      <Fragment key={e.id}>
                        <tr
                          className={`cursor-pointer hover:bg-slate-50 ${expanded ? 'bg-slate-50' : ''}`}
                          onClick={() => toggle(e.id)}
                          data-testid="audit-row"
                          data-type={e.type}
                          data-level={e.level}
                          data-id={e.id}
                        >
                          <td className="px-2 py-3 align-top">
                            <button
                              type="button"
                              className="rounded p-0.5 text-slate-500 hover:bg-slate-200"
                              aria-expanded={expanded}
                              aria-label={t(expanded ? 'audit.collapse' : 'audit.expand')}
                              onClick={(ev) => {
                                ev.stopPropagation();
                                toggle(e.id);
                              }}
                              data-testid="audit-row-toggle"
                            >
                              <ChevronRight className={`size-4 transition-transform ${expanded ? 'rotate-90' : ''}`} aria-hidden="true" />
                            </button>
                          </td>
                          <td className="px-4 py-3 align-top whitespace-nowrap text-slate-600 tabular-nums">
                            <time dateTime={e.at}>{formatTimestamp(e.at, i18n.language, timeZone)}</time>
                          </td>
                          <td className="px-4 py-3 align-top font-medium text-slate-900">
                            <span className="inline-flex items-center gap-2">
                              <span className={`size-2 shrink-0 rounded-full sm:hidden ${levelStyle(e.level).dot}`} aria-hidden="true" />
                              {eventLabel(e.type, t)}
                            </span>
                          </td>
                          <td className="hidden px-4 py-3 align-top sm:table-cell">
                            <LevelBadge level={e.level} />
                          </td>
                          <td className="hidden px-4 py-3 align-top text-slate-700 md:table-cell">{actorText(e.actor, t)}</td>
                          <td className="hidden max-w-md px-4 py-3 align-top lg:table-cell">
                            <KeyData data={e.data} />
                          </td>
                        </tr>
                        {expanded && (
                          <tr data-testid="audit-row-detail" data-id={e.id}>
                            <td colSpan={6} className="bg-slate-50 px-4 pt-1 pb-4">
                              <EventDetail event={e} />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
              {items.length === 0 && (
                <div className="flex flex-col items-center gap-2 px-5 py-10 text-center text-sm text-slate-500" data-testid="audit-empty">
                  <ScrollText className="size-6 text-slate-300" aria-hidden="true" />
                  <p>{active ? t('audit.emptyFiltered') : t('audit.empty')}</p>
                </div>
              )}
            </div>
            {events.hasNextPage && (
              <div className="border-t border-slate-100 px-5 py-3 text-center">
                <Button
                  variant="secondary"
                  size="sm"
                  loading={events.isFetchingNextPage}
                  onClick={() => void events.fetchNextPage()}
                  data-testid="audit-load-more"
                >
                  {t('common.loadMore')}
                </Button>
              </div>
            )}
          </Card>
        )}
      </div>
    </div>
  );
}

/** The staff page of a subject, when there is one. */
function subjectPath(companyId: string, key: SubjectKey, id: string): string | null {
  const c = `/c/${companyId}`;
  switch (key) {
    case 'saleId':
      return `${c}/sales/${id}`;
    case 'productId':
      return `${c}/products/${id}`;
    case 'paymentId':
      return `${c}/payments/${id}`;
    case 'paymentSessionId':
      return `${c}/payment-sessions/${id}`;
    case 'clientId':
      return `${c}/clients/${id}`;
    default:
      return null;
  }
}

function DetailRow({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0" data-testid={testId}>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-sm break-words text-slate-900">{children}</dd>
    </div>
  );
}

/** Actor, ip, device/browser/OS, duration, request id, subjects and the whole data of one event. */
function EventDetail({ event: e }: { event: AuditEvent }) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const none = <span className="text-slate-400">—</span>;
  const subjects = Object.entries(e.subjects ?? {}).filter((entry): entry is [SubjectKey, string] => typeof entry[1] === 'string');
  const trail = trailPath(companyId, e.subjects ?? {});
  const device = deviceText(e, t);
  return (
    <div className="space-y-3" data-testid="audit-event-detail">
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <DetailRow label={t('audit.detail.actor')} testId="audit-detail-actor">
          {actorText(e.actor, t)}
          {e.actor.id && <span className="block font-mono text-xs text-slate-500">{e.actor.id}</span>}
        </DetailRow>
        <DetailRow label={t('audit.detail.ip')} testId="audit-detail-ip">
          {e.ip ? <span className="font-mono">{e.ip}</span> : none}
        </DetailRow>
        <DetailRow label={t('audit.detail.device')} testId="audit-detail-device">
          {device ? (
            <span className="inline-flex items-center gap-1">
              <DeviceIcon type={e.device?.type} className="size-3.5 text-slate-400" />
              {device}
            </span>
          ) : (
            none
          )}
        </DetailRow>
        <DetailRow label={t('audit.detail.duration')} testId="audit-detail-duration">
          {e.durationMs !== null ? formatMs(e.durationMs) : none}
        </DetailRow>
        <DetailRow label={t('audit.detail.requestId')} testId="audit-detail-request">
          {e.requestId ? <span className="font-mono text-xs">{e.requestId}</span> : none}
        </DetailRow>
        <DetailRow label={t('audit.detail.position')}>
          <span className="font-mono text-xs">{e.position}</span>
        </DetailRow>
        <DetailRow label={t('audit.detail.subjects')} testId="audit-detail-subjects">
          {subjects.length === 0
            ? none
            : subjects.map(([key, id]) => {
                const path = subjectPath(companyId, key, id);
                const text = `${t(`audit.subjects.${key}`, { defaultValue: key })} ${id.slice(0, 8)}`;
                return (
                  <span key={key} className="mr-2 inline-block">
                    {path ? (
                      <Link to={path} className={linkClass} title={id}>
                        {text}
                      </Link>
                    ) : (
                      <span title={id}>{text}</span>
                    )}
                  </span>
                );
              })}
        </DetailRow>
        {trail && (
          <DetailRow label={t('audit.detail.trail')}>
            <Link to={trail} className={linkClass} data-testid="audit-detail-trail">
              {t('trail.view')}
            </Link>
          </DetailRow>
        )}
      </dl>
      {e.userAgent && (
        <DetailRow label={t('audit.detail.userAgent')}>
          <span className="font-mono text-xs text-slate-600">{e.userAgent}</span>
        </DetailRow>
      )}
      <div>
        <p className="mb-1 text-xs text-slate-500">{t('audit.detail.data')}</p>
        <DataJson data={e.data} />
      </div>
    </div>
  );
}
