import { ExternalLink } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { linkClass } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader } from '../../components/ui/Card.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatDateTime, formatTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { formatMoney } from '../../lib/money.ts';
import { usePayment } from '../../lib/paymentQueries.ts';
import type { PaymentEvent } from '../../lib/payments.ts';
import { rolesFor } from '../../nav.ts';
import { AuditTrailLink, BackTo, ConfirmCashButton, MethodLabel, PaymentStatusBadge, Row } from './paymentUi.tsx';

/** /c/:companyId/payments/:paymentId — one provider payment and its events (notifications link here). */
export function PaymentDetailPage() {
  usePageTitle('payments.payment.pageTitle');
  return (
    <RequireRole roles={rolesFor('payment-sessions')}>
      <PaymentDetail />
    </RequireRole>
  );
}

const LEVEL_STYLES: Record<string, string> = {
  error: 'text-red-700',
  critical: 'text-red-700',
  warning: 'text-amber-700',
  warn: 'text-amber-700',
};

/** A few readable values of an event's data (amount, status, reason…). */
function eventSummary(e: PaymentEvent): string {
  const parts: string[] = [];
  for (const key of ['status', 'reason', 'issue', 'failureReason', 'code', 'providerReference']) {
    const v = e.data?.[key];
    if (typeof v === 'string' && v) parts.push(v);
  }
  return parts.join(' · ');
}

function PaymentDetail() {
  const { t, i18n } = useTranslation();
  const { paymentId = '' } = useParams();
  const { companyId } = useCompanyContext();
  const query = usePayment(companyId, paymentId);

  if (query.isPending) return <PageLoader />;
  if (query.isError) {
    return (
      <div className="space-y-4">
        <BackTo to={`/c/${companyId}/payment-sessions`} label={t('payments.session.back')} />
        <Alert>{isApiError(query.error, 'not_found') ? t('payments.payment.notFound') : errorMessage(query.error, t)}</Alert>
      </div>
    );
  }
  const p = query.data;
  const money = (n: number) => formatMoney(n, p.currency, i18n.language);
  const events = p.events ?? [];
  const back = p.paymentSessionId
    ? { to: `/c/${companyId}/payment-sessions/${p.paymentSessionId}`, label: t('payments.payment.backToSession') }
    : p.saleId
      ? { to: `/c/${companyId}/sales/${p.saleId}`, label: t('payments.payment.backToSale') }
      : { to: `/c/${companyId}/payment-sessions`, label: t('payments.session.back') };

  return (
    <div className="space-y-6" data-testid="payment-detail" data-payment-id={p.id}>
      <header className="space-y-1">
        <BackTo {...back} />
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
            {t('payments.payment.pageTitle')} <span className="tabular-nums">{money(p.amount)}</span>
          </h1>
          <PaymentStatusBadge status={p.status} testId="payment-status" />
        </div>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
          <p className="text-sm text-slate-500">{t('payments.payment.createdAt', { date: formatDateTime(p.createdAt, i18n.language) })}</p>
          <AuditTrailLink to={`/c/${companyId}/payments/${p.id}/trail`} />
        </div>
      </header>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title={t('payments.payment.title')} />
          <CardBody className="space-y-3">
            <dl className="divide-y divide-slate-100">
              <Row label={t('payments.payment.method')}><MethodLabel method={p.method} /></Row>
              <Row label={t('payments.payment.provider')}>{t(`payments.providerNames.${p.provider}`, { defaultValue: p.provider })}</Row>
              <Row label={t('payments.payment.amount')}><span className="font-semibold tabular-nums">{money(p.amount)}</span></Row>
              {p.received !== null && <Row label={t('payments.payment.received')}><span className="tabular-nums">{money(p.received)}</span></Row>}
              {p.providerReference && (
                <Row label={t('payments.payment.providerReference')}><span className="font-mono text-xs">{p.providerReference}</span></Row>
              )}
              <Row label={t('payments.payment.purpose')}>{t(`payments.purposes.${p.purpose}`, { defaultValue: p.purpose })}</Row>
              {p.paymentSessionId && (
                <Row label={t('payments.payment.session')}>
                  <Link to={`/c/${companyId}/payment-sessions/${p.paymentSessionId}`} className={linkClass} data-testid="payment-session-link">
                    {t('payments.payment.viewSession')}
                  </Link>
                </Row>
              )}
              {p.saleId && (
                <Row label={t('payments.payment.sale')}>
                  <Link to={`/c/${companyId}/sales/${p.saleId}`} className={linkClass} data-testid="payment-sale-link">
                    {t('payments.payment.viewSale')}
                  </Link>
                </Row>
              )}
              {p.orderId && <Row label={t('payments.payment.order')}><span className="font-mono text-xs">{p.orderId.slice(0, 8)}</span></Row>}
              {p.checkoutUrl && p.status === 'pending' && (
                <Row label={t('payments.payment.checkout')}>
                  <a href={p.checkoutUrl} target="_blank" rel="noreferrer noopener" className={`${linkClass} inline-flex items-center gap-1`}>
                    {t('payments.payment.openCheckout')}
                    <ExternalLink className="size-3.5" aria-hidden="true" />
                  </a>
                </Row>
              )}
              {p.completedAt && <Row label={t('payments.payment.completedAt')}>{formatDateTime(p.completedAt, i18n.language)}</Row>}
              {p.failureReason && <Row label={t('payments.payment.failureReason')}>{p.failureReason}</Row>}
              {p.issue && (
                <Row label={t('payments.payment.issue')} testId="payment-issue">
                  <span className="font-medium text-red-700">{t(`payments.issues.${p.issue}`, { defaultValue: p.issue })}</span>
                </Row>
              )}
            </dl>
            <ConfirmCashButton payment={p} currencyAmount={money(p.amount)} />
          </CardBody>
        </Card>
        <Card data-testid="payment-events">
          <CardHeader title={t('payments.payment.events')} />
          <CardBody>
            {events.length === 0 ? (
              <p className="text-sm text-slate-500">{t('payments.payment.noEvents')}</p>
            ) : (
              <ol className="space-y-2 text-sm">
                {events.map((e, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: events are an ordered log; the index is their identity
                  <li key={i} className="flex items-baseline justify-between gap-3" data-testid="payment-event" data-event-type={e.type}>
                    <span className={LEVEL_STYLES[e.level] ?? 'text-slate-700'}>
                      {t(`events.${e.type}`, { defaultValue: e.type })}
                      {eventSummary(e) && <span className="ml-2 text-xs text-slate-500">{eventSummary(e)}</span>}
                    </span>
                    <time className="shrink-0 text-xs text-slate-500 tabular-nums" dateTime={e.at}>{formatTime(e.at, i18n.language)}</time>
                  </li>
                ))}
              </ol>
            )}
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
