import { useMutation } from '@tanstack/react-query';
import { CreditCard, ExternalLink, Smartphone } from 'lucide-react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import { Spinner } from '../../components/ui/Spinner.tsx';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useOffline } from '../../lib/offline/hooks.ts';
import { formatMoney } from '../../lib/money.ts';
import { usePayment, useRefreshPayments } from '../../lib/paymentQueries.ts';
import { type PaymentRequest, type ProviderPayment, requestSalePayment } from '../../lib/payments.ts';
import type { Sale } from '../../lib/sales.ts';
import { useSaleChanged } from '../../lib/salesQueries.ts';
import { hasRole } from '../../lib/session.ts';
import { PAYMENT_RUNNERS } from '../../nav.ts';
import { PaymentStatusBadge, ServerQr } from '../payments/paymentUi.tsx';
import { saleErrorText } from './saleUi.tsx';

type Props = { companyId: string; sale: Sale; currency: string; amount: number };

/**
 * Next to the till's payment methods: "Carte (lien Stripe)" (a Stripe Checkout
 * link shown as a QR for the customer's phone) and "Mobile money" (a request sent
 * to the customer's phone). The payment then follows the stream.
 */
export function PaymentRequestPanel({ companyId, sale, currency, amount }: Props) {
  const { t, i18n } = useTranslation();
  const { role } = useCompanyContext();
  const money = (n: number) => formatMoney(n, currency, i18n.language);
  const changed = useSaleChanged(companyId);
  const refresh = useRefreshPayments(companyId);
  const [request, setRequest] = useState<ProviderPayment | null>(null);
  const [askPhone, setAskPhone] = useState(false);
  const [phone, setPhone] = useState('');
  const [phoneError, setPhoneError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const live = usePayment(companyId, request?.id);
  const current: ProviderPayment | null = live.data ?? request;
  const canPay = sale.status === 'open' && sale.due > 0;
  // Stripe and mobile money need the network, and a sale the server knows as it is.
  const offline = useOffline();
  const unavailable = offline || Boolean(sale.pendingSync);
  // Back from a Stripe Checkout opened on this device (?checkout=success|cancel).
  const [params] = useSearchParams();
  const checkout = params.get('checkout');

  const mutation = useMutation({
    mutationFn: (body: PaymentRequest) => requestSalePayment(companyId, sale.id, body),
    onSuccess: (payment) => {
      setRequest(payment);
      setAskPhone(false);
      setError(null);
      refresh();
    },
    onError: setError,
  });

  // The sale follows its payment: refetch it once the payment is settled, and say so.
  const settled = useRef<string | null>(null);
  useEffect(() => {
    if (!current || current.status === 'pending' || settled.current === `${current.id}:${current.status}`) return;
    settled.current = `${current.id}:${current.status}`;
    changed();
    if (current.status === 'succeeded') toast.success(t('sales.payment.done', { amount: money(current.amount) }));
  });

  if (!hasRole(role, PAYMENT_RUNNERS) || (!canPay && !current)) return null;

  const send = (method: PaymentRequest['method']) => {
    setError(null);
    const body: PaymentRequest = { method, amount: amount > 0 ? amount : sale.due };
    if (method === 'mobile_money') {
      if (!phone.trim()) return setPhoneError(t('payments.request.phoneRequired'));
      body.phone = phone.trim();
    }
    setPhoneError(undefined);
    mutation.mutate(body);
  };
  const submitPhone = (e: FormEvent) => {
    e.preventDefault();
    send('mobile_money');
  };
  const pending = current?.status === 'pending';
  const showButtons = canPay && !pending;

  return (
    <section className="space-y-3 rounded-lg border border-slate-200 p-3" data-testid="payment-requests">
      <h3 className="text-sm font-semibold text-slate-900">{t('payments.request.title')}</h3>
      {!current && (checkout === 'success' || checkout === 'cancel') && (
        <Alert tone="info" testId="payment-request-checkout">
          {t(checkout === 'success' ? 'payments.request.checkoutSuccess' : 'payments.request.checkoutCancel')}
        </Alert>
      )}
      {showButtons && (
        <>
          <div className="grid grid-cols-2 gap-2">
            <Button
              variant="secondary"
              loading={mutation.isPending && mutation.variables?.method === 'card'}
              onClick={() => send('card')}
              disabled={unavailable}
              className="h-auto! min-h-10 py-2"
              data-testid="payment-request-card"
            >
              <CreditCard className="size-4" aria-hidden="true" />
              {t('payments.request.card')}
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                setAskPhone((v) => !v);
                setError(null);
              }}
              aria-expanded={askPhone}
              disabled={unavailable}
              className="h-auto! min-h-10 py-2"
              data-testid="payment-request-mobile"
            >
              <Smartphone className="size-4" aria-hidden="true" />
              {t('payments.request.mobileMoney')}
            </Button>
          </div>
          {unavailable ? (
            <p className="text-xs font-medium text-amber-800" data-testid="payment-request-offline">
              {offline ? t('offline.unavailableShort') : t('offline.unavailableUntilSynced')}
            </p>
          ) : (
            <p className="text-xs text-slate-500">{t('payments.request.amountHint', { amount: money(amount > 0 ? amount : sale.due) })}</p>
          )}
        </>
      )}
      {showButtons && askPhone && !unavailable && (
        <form onSubmit={submitPhone} noValidate className="flex items-start gap-2" data-testid="payment-request-mobile-form">
          <Field label={t('payments.request.phone')} error={phoneError} className="flex-1">
            {(c) => (
              <TextInput
                {...c}
                type="tel"
                inputMode="tel"
                autoComplete="tel"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                data-testid="payment-request-phone"
              />
            )}
          </Field>
          <Button type="submit" className="mt-6" loading={mutation.isPending} data-testid="payment-request-mobile-submit">
            {t('payments.request.send')}
          </Button>
        </form>
      )}
      {error !== null && <Alert testId="payment-request-error">{saleErrorText(error, t, currency, i18n.language)}</Alert>}
      {current && (
        <div className="space-y-2" data-testid="payment-request" data-method={current.method} data-status={current.status}>
          <div className="flex items-center justify-between gap-2 text-sm">
            <span>
              {t(current.method === 'card' ? 'payments.request.card' : 'payments.request.mobileMoney')} · {money(current.amount)}
            </span>
            <PaymentStatusBadge status={current.status} testId="payment-request-status" />
          </div>
          {pending && current.method === 'card' && current.checkoutUrl && (
            <div className="space-y-2 text-center">
              <ServerQr
                src={`/api/v1/companies/${companyId}/payments/${current.id}/qr.svg`}
                alt={t('payments.request.cardQr')}
                className="mx-auto size-60"
                testId="payment-request-qr"
              />
              <p className="text-xs text-slate-600">{t('payments.request.cardHint')}</p>
              <a
                href={current.checkoutUrl}
                target="_blank"
                rel="noreferrer noopener"
                className={`${linkClass} inline-flex items-center gap-1 text-sm`}
                data-testid="payment-request-link"
              >
                {t('payments.request.openLink')}
                <ExternalLink className="size-3.5" aria-hidden="true" />
              </a>
            </div>
          )}
          {pending && current.method === 'mobile_money' && (
            <p className="flex items-center gap-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900" role="status">
              <Spinner className="size-4 text-amber-700" />
              {t('payments.request.mobilePending')}
            </p>
          )}
          {(current.status === 'failed' || current.status === 'expired') && (
            <Alert testId="payment-request-failed">
              {t('payments.request.failed')}
              {current.failureReason && ` (${current.failureReason})`}
            </Alert>
          )}
          {current.status === 'succeeded' && (
            <Alert tone="success" testId="payment-request-succeeded">{t('payments.request.succeeded')}</Alert>
          )}
          <div className="flex justify-between gap-2 text-sm">
            <Link to={`/c/${companyId}/payments/${current.id}`} className={linkClass}>
              {t('payments.payment.details')}
            </Link>
            {pending && (
              <button type="button" className="text-slate-500 hover:text-slate-800 hover:underline" onClick={() => setRequest(null)}>
                {t('payments.request.other')}
              </button>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
