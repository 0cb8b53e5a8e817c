import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Printer, Send } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { toast } from 'sonner';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader } from '../../components/ui/Card.tsx';
import { ConfirmDialog } from '../../components/ui/ConfirmDialog.tsx';
import { Field, Select, TextInput } from '../../components/ui/Field.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatDateTime, formatTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { formatMoney } from '../../lib/money.ts';
import { usePaymentSession, usePaymentSessionChanged, useReceipt } from '../../lib/paymentQueries.ts';
import {
  ACTIVE_SESSION_STATUSES,
  CANCELLABLE_SESSION_STATUSES,
  cancelPaymentSession,
  type PaymentSession,
  type ProviderPayment,
  resendReceipt,
} from '../../lib/payments.ts';
import { qk } from '../../lib/queryKeys.ts';
import { rolesFor } from '../../nav.ts';
import {
  AuditTrailLink,
  BackTo,
  ConfirmCashButton,
  DeliveryStatusBadge,
  formatDuration,
  MethodLabel,
  PaymentStatusBadge,
  Row,
  ServerQr,
  SessionStatusBadge,
  usePrintQr,
} from './paymentUi.tsx';

/** /c/:companyId/payment-sessions/:sessionId — one QR payment session, its steps, payment, sale and receipt. */
export function PaymentSessionDetailPage() {
  usePageTitle('payments.session.title');
  return (
    <RequireRole roles={rolesFor('payment-sessions')}>
      <SessionDetail />
    </RequireRole>
  );
}

function SessionDetail() {
  const { t, i18n } = useTranslation();
  const { sessionId = '' } = useParams();
  const { companyId } = useCompanyContext();
  const query = usePaymentSession(companyId, sessionId);

  if (query.isPending) return <PageLoader />;
  if (query.isError) {
    return (
      <div className="space-y-4">
        <BackTo to={`/c/${companyId}/payment-sessions`} label={t('payments.session.back')} />
        <Alert>{isApiError(query.error, 'not_found') ? t('payments.session.notFound') : errorMessage(query.error, t)}</Alert>
      </div>
    );
  }
  const s = query.data;
  return (
    <div className="space-y-6" data-testid="payment-session-detail" data-session-id={s.id}>
      <header className="space-y-1">
        <BackTo to={`/c/${companyId}/payment-sessions`} label={t('payments.session.back')} />
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{t('payments.session.title')}</h1>
          <SessionStatusBadge status={s.status} testId="payment-session-status" />
        </div>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
          <p className="text-sm text-slate-500">
            {t('payments.session.createdAt', { date: formatDateTime(s.createdAt, i18n.language) })}
            {ACTIVE_SESSION_STATUSES.includes(s.status) &&
              ` · ${t('payments.session.expiresAt', { time: formatTime(s.expiresAt, i18n.language) })}`}
          </p>
          <AuditTrailLink to={`/c/${companyId}/payment-sessions/${s.id}/trail`} />
        </div>
      </header>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(18rem,22rem)]">
        <div className="min-w-0 space-y-6">
          <SummaryCard session={s} />
          {s.payment && <PaymentCard payment={s.payment} />}
          <SaleAndReceipt session={s} />
          <StepsCard session={s} />
        </div>
        <QrCard session={s} />
      </div>
    </div>
  );
}

function SummaryCard({ session: s }: { session: PaymentSession }) {
  const { t, i18n } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const money = (n: number) => formatMoney(n, s.currency || membership.currency, i18n.language);
  return (
    <Card>
      <CardHeader title={t('payments.session.summary')} />
      <CardBody>
        <dl className="divide-y divide-slate-100">
          <Row label={t('payments.session.amount')} testId="payment-session-amount">
            {s.amount === null ? t('payments.sessions.amountOpen') : <span className="font-semibold tabular-nums">{money(s.amount)}</span>}
          </Row>
          <Row label={t('payments.session.service')}>{s.service?.name ?? '—'}</Row>
          <Row label={t('payments.session.client')} testId="payment-session-client">
            {s.client ? (
              <Link to={`/c/${companyId}/clients/${s.client.id}`} className={linkClass}>{s.client.name}</Link>
            ) : (
              (s.clientName ?? '—')
            )}
          </Row>
          {s.counter && <Row label={t('payments.session.counter')}>{s.counter.name}</Row>}
          <Row label={t('payments.session.updatedAt')}>{formatDateTime(s.updatedAt, i18n.language)}</Row>
        </dl>
      </CardBody>
    </Card>
  );
}

function PaymentCard({ payment: p }: { payment: ProviderPayment }) {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const money = (n: number) => formatMoney(n, p.currency, i18n.language);
  return (
    <Card data-testid="payment-session-payment">
      <CardHeader
        title={t('payments.payment.title')}
        actions={
          <Link to={`/c/${companyId}/payments/${p.id}`} className={`${linkClass} text-sm`} data-testid="payment-link">
            {t('payments.payment.details')}
          </Link>
        }
      />
      <CardBody className="space-y-3">
        <dl className="divide-y divide-slate-100">
          <Row label={t('payments.payment.method')}><MethodLabel method={p.method} /></Row>
          <Row label={t('payments.payment.status')}><PaymentStatusBadge status={p.status} testId="payment-status" /></Row>
          <Row label={t('payments.payment.amount')}><span className="font-semibold tabular-nums">{money(p.amount)}</span></Row>
          {p.received !== null && p.received !== p.amount && (
            <Row label={t('payments.payment.received')}><span className="tabular-nums">{money(p.received)}</span></Row>
          )}
          {p.failureReason && <Row label={t('payments.payment.failureReason')}>{p.failureReason}</Row>}
          {p.issue && (
            <Row label={t('payments.payment.issue')}>
              <span className="font-medium text-red-700">{t(`payments.issues.${p.issue}`, { defaultValue: p.issue })}</span>
            </Row>
          )}
        </dl>
        <ConfirmCashButton payment={p} currencyAmount={money(p.amount)} />
      </CardBody>
    </Card>
  );
}

function SaleAndReceipt({ session: s }: { session: PaymentSession }) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  if (!s.saleId && !s.receiptId) return null;
  return (
    <Card data-testid="payment-session-sale">
      <CardHeader title={t('payments.session.saleAndReceipt')} />
      <CardBody className="space-y-4">
        {s.saleId && (
          <p className="text-sm">
            {t('payments.session.sale')}{' '}
            <Link to={`/c/${companyId}/sales/${s.saleId}`} className={`${linkClass} font-mono`} data-testid="payment-session-sale-link">
              {s.saleReference ?? s.saleId.slice(0, 8)}
            </Link>
          </p>
        )}
        {s.receiptId && <ReceiptPanel receiptId={s.receiptId} />}
      </CardBody>
    </Card>
  );
}

/** The receipt, its deliveries (e-mail, SMS) and "Renvoyer le reçu". */
function ReceiptPanel({ receiptId }: { receiptId: string }) {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const queryClient = useQueryClient();
  const receipt = useReceipt(companyId, receiptId);
  /** null: the last channel used, or e-mail when the receipt was never sent. */
  const [chosen, setChosen] = useState<'' | 'email' | 'sms' | null>(null);
  const [to, setTo] = useState('');
  const neverSent = receipt.data?.deliveries.length === 0;
  const channel = chosen ?? (neverSent ? 'email' : '');
  const resend = useMutation({
    mutationFn: () => resendReceipt(companyId, receiptId, channel ? { channel, to: to.trim() || undefined } : {}),
    onSuccess: () => {
      toast.success(t('payments.receipt.resent'));
      setTo('');
      void queryClient.invalidateQueries({ queryKey: qk.receipt(companyId, receiptId) });
    },
    onError: (err) => toast.error(errorMessage(err, t)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    resend.mutate();
  };

  if (receipt.isPending) return <PageLoader />;
  if (receipt.isError) return <Alert>{errorMessage(receipt.error, t)}</Alert>;
  const r = receipt.data;
  return (
    <section className="space-y-3" data-testid="receipt">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-sm font-semibold text-slate-900">{t('payments.receipt.title', { reference: r.reference })}</h3>
        <span className="text-sm text-slate-600">
          {formatMoney(r.total, r.currency, i18n.language)} · {r.paidAtLocal}
        </span>
      </div>
      {r.lines.length > 0 && (
        <ul className="space-y-1 text-sm text-slate-700">
          {r.lines.map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: receipt lines have no id and never move
            <li key={i} className="flex justify-between gap-3">
              <span>{l.quantity} × {l.name}</span>
              <span className="tabular-nums">{formatMoney(l.total, r.currency, i18n.language)}</span>
            </li>
          ))}
        </ul>
      )}
      <div>
        <h4 className="mb-1 text-xs font-medium tracking-wide text-slate-500 uppercase">{t('payments.receipt.deliveries')}</h4>
        {r.deliveries.length === 0 ? (
          <p className="text-sm text-slate-500">{t('payments.receipt.noDelivery')}</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {r.deliveries.map((d, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: deliveries have no id; the list only grows
              <li key={i} className="flex flex-wrap items-center justify-between gap-2 py-1.5" data-testid="receipt-delivery" data-status={d.status}>
                <span>
                  <span className="font-medium">{t(`payments.receipt.channels.${d.channel}`)}</span>{' '}
                  <span className="font-mono text-xs text-slate-600">{d.to}</span>
                  {d.lastError && <span className="block text-xs text-red-700">{d.lastError}</span>}
                </span>
                <span className="flex items-center gap-2 text-xs text-slate-500">
                  {d.sentAt && formatTime(d.sentAt, i18n.language)}
                  {d.attempts > 1 && t('payments.receipt.attempts', { count: d.attempts })}
                  <DeliveryStatusBadge status={d.status} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <form onSubmit={submit} className="space-y-2 rounded-lg border border-slate-200 bg-slate-50 p-3">
        <div className="grid gap-2 sm:grid-cols-[14rem_minmax(0,1fr)]">
          <Field label={t('payments.receipt.channel')}>
            {(c) => (
              <Select {...c} value={channel} onChange={(e) => setChosen(e.target.value as typeof channel)} data-testid="receipt-resend-channel">
                {!neverSent && <option value="">{t('payments.receipt.sameChannel')}</option>}
                <option value="email">{t('payments.receipt.channels.email')}</option>
                <option value="sms">{t('payments.receipt.channels.sms')}</option>
              </Select>
            )}
          </Field>
          {channel && (
            <Field label={t(channel === 'email' ? 'payments.receipt.toEmail' : 'payments.receipt.toPhone')} optional>
              {(c) => (
                <TextInput
                  {...c}
                  type={channel === 'email' ? 'email' : 'tel'}
                  value={to}
                  onChange={(e) => setTo(e.target.value)}
                  data-testid="receipt-resend-to"
                />
              )}
            </Field>
          )}
        </div>
        <Button type="submit" variant="secondary" loading={resend.isPending} data-testid="receipt-resend">
          <Send className="size-4" aria-hidden="true" />
          {t('payments.receipt.resend')}
        </Button>
      </form>
    </section>
  );
}

function StepsCard({ session: s }: { session: PaymentSession }) {
  const { t, i18n } = useTranslation();
  const steps = s.steps ?? [];
  return (
    <Card data-testid="payment-session-steps">
      <CardHeader title={t('payments.session.steps')} />
      <CardBody>
        {steps.length === 0 ? (
          <p className="text-sm text-slate-500">{t('payments.session.noSteps')}</p>
        ) : (
          <ol className="relative space-y-3 border-l border-slate-200 pl-5">
            {steps.map((step, i) => {
              const tone =
                step.level === 'error' || step.level === 'critical'
                  ? 'bg-red-500'
                  : step.level === 'warning' || step.level === 'warn'
                    ? 'bg-amber-500'
                    : 'bg-teal-500';
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: steps are an ordered log; the index is their identity
                <li key={i} className="relative" data-testid="payment-session-step" data-step-type={step.type}>
                  <span className={`absolute top-1.5 -left-[1.6rem] size-2.5 rounded-full ring-4 ring-white ${tone}`} aria-hidden="true" />
                  <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                    <span className="text-sm font-medium text-slate-800">{t(`events.${step.type}`, { defaultValue: step.type })}</span>
                    <span className="text-xs text-slate-500 tabular-nums">
                      <time dateTime={step.at}>{formatTime(step.at, i18n.language)}</time>
                      {step.durationMs !== null && ` · ${t('payments.session.after', { duration: formatDuration(step.durationMs) })}`}
                    </span>
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </CardBody>
    </Card>
  );
}

/** The QR while the session can still be scanned, with print and cancel. */
function QrCard({ session: s }: { session: PaymentSession }) {
  const { t, i18n } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const changed = usePaymentSessionChanged(companyId);
  const { print, portal } = usePrintQr();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation({
    mutationFn: () => cancelPaymentSession(companyId, s.id),
    onSuccess: (updated) => {
      changed(updated);
      setConfirming(false);
      toast.success(t('payments.session.cancelled'));
    },
    onError: (err) => {
      setConfirming(false);
      toast.error(errorMessage(err, t));
      changed();
    },
  });
  const active = ACTIVE_SESSION_STATUSES.includes(s.status);
  const cancellable = CANCELLABLE_SESSION_STATUSES.includes(s.status);
  const what =
    s.service?.name ?? (s.amount !== null ? formatMoney(s.amount, s.currency || membership.currency, i18n.language) : t('payments.create.modes.open'));
  if (!active) return null;
  return (
    <Card className="self-start" data-testid="payment-session-qr-card">
      <CardHeader title={t('payments.session.qr')} />
      <CardBody className="space-y-3">
        <div className="flex justify-center" data-testid="payment-session-qr">
          <ServerQr src={s.qrSvgUrl} alt={t('payments.create.qrAlt')} className="size-56" />
        </div>
        <p className="font-mono text-xs break-all text-slate-500" data-testid="payment-session-url">{s.publicUrl}</p>
        <div className="flex flex-wrap gap-2">
          <Button
            variant="secondary"
            onClick={() => print({ business: membership.companyName, title: what, url: s.publicUrl, qrSrc: s.qrSvgUrl })}
            data-testid="payment-session-print"
          >
            <Printer className="size-4" aria-hidden="true" />
            {t('payments.print.button')}
          </Button>
          {cancellable && (
            <Button variant="danger-ghost" onClick={() => setConfirming(true)} data-testid="payment-session-cancel">
              {t('payments.session.cancel')}
            </Button>
          )}
        </div>
      </CardBody>
      <ConfirmDialog
        open={confirming}
        title={t('payments.session.cancelTitle')}
        body={t('payments.session.cancelBody')}
        confirmLabel={t('payments.session.cancel')}
        busy={cancel.isPending}
        onConfirm={() => cancel.mutate()}
        onClose={() => setConfirming(false)}
      />
      {portal}
    </Card>
  );
}
