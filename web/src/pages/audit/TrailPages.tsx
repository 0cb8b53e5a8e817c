import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { linkClass } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader } from '../../components/ui/Card.tsx';
import { PageLoader, Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useCompany } from '../../lib/companyQueries.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import type { AuditEvent } from '../../lib/insights.ts';
import { usePaymentTrail, useSessionTrail } from '../../lib/insightsQueries.ts';
import { formatMoney } from '../../lib/money.ts';
import { AUDIT_READERS } from '../../nav.ts';
import { BackTo, MethodLabel, PaymentStatusBadge, SessionStatusBadge } from '../payments/paymentUi.tsx';
import { TrailTimeline } from './TrailTimeline.tsx';

/** /c/:companyId/payments/:paymentId/trail — everything that happened to a payment, its session and its sale. */
export function PaymentTrailPage() {
  usePageTitle('trail.paymentTitle');
  return (
    <RequireRole roles={AUDIT_READERS}>
      <PaymentTrail />
    </RequireRole>
  );
}

/** /c/:companyId/payment-sessions/:sessionId/trail — a QR payment session's trail. */
export function PaymentSessionTrailPage() {
  usePageTitle('trail.sessionTitle');
  return (
    <RequireRole roles={AUDIT_READERS}>
      <SessionTrail />
    </RequireRole>
  );
}

type Layout = {
  back: { to: string; label: string };
  title: ReactNode;
  badge: ReactNode;
  facts: ReactNode;
  events: AuditEvent[];
  fetching: boolean;
  testId: string;
};

function TrailLayout({ back, title, badge, facts, events, fetching, testId }: Layout) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const timeZone = useCompany(companyId).data?.timezone;
  return (
    <div className="space-y-6" data-testid={testId}>
      <header className="space-y-1">
        <BackTo {...back} />
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
          {badge}
        </div>
        <p className="text-sm text-slate-500">{facts}</p>
      </header>
      <Card>
        <CardHeader
          title={
            <span className="inline-flex items-center gap-2">
              {t('trail.events', { count: events.length })}
              {fetching && <Spinner className="size-3.5" />}
            </span>
          }
          description={t('trail.description')}
        />
        <CardBody>
          <TrailTimeline events={events} timeZone={timeZone} />
        </CardBody>
      </Card>
    </div>
  );
}

function TrailError({ error, back, notFound }: { error: unknown; back: { to: string; label: string }; notFound: string }) {
  const { t } = useTranslation();
  return (
    <div className="space-y-4">
      <BackTo {...back} />
      <Alert>{isApiError(error, 'not_found') ? notFound : errorMessage(error, t)}</Alert>
    </div>
  );
}

function PaymentTrail() {
  const { t, i18n } = useTranslation();
  const { paymentId = '' } = useParams();
  const { companyId } = useCompanyContext();
  const query = usePaymentTrail(companyId, paymentId);
  const back = { to: `/c/${companyId}/payments/${paymentId}`, label: t('trail.backToPayment') };
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <TrailError error={query.error} back={back} notFound={t('payments.payment.notFound')} />;
  const { payment: p, events } = query.data;
  return (
    <TrailLayout
      testId="payment-trail"
      back={back}
      title={
        <>
          {t('trail.paymentTitle')} <span className="tabular-nums">{formatMoney(p.amount, p.currency, i18n.language)}</span>
        </>
      }
      badge={<PaymentStatusBadge status={p.status} testId="trail-payment-status" />}
      facts={
        <span className="inline-flex flex-wrap items-center gap-x-2">
          <MethodLabel method={p.method} />
          <span aria-hidden="true">·</span>
          {t('payments.payment.createdAt', { date: formatDateTime(p.createdAt, i18n.language) })}
          {p.paymentSessionId && (
            <>
              <span aria-hidden="true">·</span>
              <Link to={`/c/${companyId}/payment-sessions/${p.paymentSessionId}/trail`} className={linkClass}>
                {t('trail.sessionTrail')}
              </Link>
            </>
          )}
        </span>
      }
      events={events}
      fetching={query.isFetching}
    />
  );
}

function SessionTrail() {
  const { t, i18n } = useTranslation();
  const { sessionId = '' } = useParams();
  const { companyId } = useCompanyContext();
  const query = useSessionTrail(companyId, sessionId);
  const back = { to: `/c/${companyId}/payment-sessions/${sessionId}`, label: t('trail.backToSession') };
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <TrailError error={query.error} back={back} notFound={t('payments.session.notFound')} />;
  const { session: s, events } = query.data;
  return (
    <TrailLayout
      testId="payment-session-trail"
      back={back}
      title={
        <>
          {t('trail.sessionTitle')}
          {s.amount !== null && <span className="tabular-nums"> {formatMoney(s.amount, s.currency, i18n.language)}</span>}
        </>
      }
      badge={<SessionStatusBadge status={s.status} testId="trail-session-status" />}
      facts={
        <span className="inline-flex flex-wrap items-center gap-x-2">
          {t('payments.session.createdAt', { date: formatDateTime(s.createdAt, i18n.language) })}
          {(s.client?.name ?? s.clientName) && (
            <>
              <span aria-hidden="true">·</span>
              {s.client?.name ?? s.clientName}
            </>
          )}
          {s.payment && (
            <>
              <span aria-hidden="true">·</span>
              <Link to={`/c/${companyId}/payments/${s.payment.id}/trail`} className={linkClass}>
                {t('trail.paymentTrail')}
              </Link>
            </>
          )}
        </span>
      }
      events={events}
      fetching={query.isFetching}
    />
  );
}
