import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleX } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { formatMoney } from '../../lib/money.ts';
import {
  type Identity,
  loadPayPhone,
  type PayMethod,
  type PublicSession,
  payApi,
  payKeys,
  savePayPhone,
} from '../../lib/pay.ts';
import { IdentifyStep } from './IdentifyStep.tsx';
import { MethodStep } from './MethodStep.tsx';
import { PayFrame, PayMessage, PaySkeleton } from './PayFrame.tsx';
import { PendingStep } from './PendingStep.tsx';
import { ReceiptStep } from './ReceiptStep.tsx';
import { ServiceStep } from './ServiceStep.tsx';
import { useSessionStream } from './useSessionStream.ts';

type View = 'loading' | 'identify' | 'service' | 'methods' | 'pending' | 'receipt' | 'closed';

/**
 * Which screen the session calls for. `checkout` is Stripe's return: `success`
 * waits for the webhook even if the session does not know yet; `cancel` offers
 * the methods again.
 */
function viewOf(s: PublicSession, checkout: string | null): View {
  switch (s.next) {
    case 'identify':
      return 'identify';
    case 'service':
      return 'service';
    case 'pay':
      return checkout === 'success' ? 'pending' : 'methods';
    case 'retry':
      return 'methods';
    case 'pending':
      return checkout === 'cancel' && s.payment?.method === 'card' ? 'methods' : 'pending';
    case 'receipt':
      return 'receipt';
    case 'closed':
      return 'closed';
    default:
      return 'loading';
  }
}

/**
 * /pay/:token — the client's side of a QR payment: scan (on load), identify,
 * choose a service, pay, wait (live), receipt. The server says which step is next.
 */
export function PaySessionPage() {
  const { token = '' } = useParams();
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const checkout = params.get('checkout');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [phone, setPhone] = useState(() => loadPayPhone(token));

  const session = useQuery({
    queryKey: payKeys.session(token),
    queryFn: async () => {
      const current = await payApi.session(token);
      return current.status === 'created' || current.next === 'scan' ? payApi.scan(token) : current;
    },
    staleTime: 5_000,
  });
  const s = session.data;
  const view: View = s ? viewOf(s, checkout) : 'loading';
  const { refetch } = session;

  const show = useCallback((next: PublicSession) => qc.setQueryData(payKeys.session(token), next), [qc, token]);

  useSessionStream(token, view === 'pending', show, () => void refetch());

  // Stripe's return parameter has done its job once the session is finished.
  useEffect(() => {
    if (checkout && (view === 'receipt' || view === 'closed')) setParams({}, { replace: true });
  }, [checkout, view, setParams]);

  // The session expires on its own: ask again when it should have.
  const expiresAt = s?.expiresAt;
  const open = view !== 'receipt' && view !== 'closed';
  useEffect(() => {
    if (!expiresAt || !open) return;
    const ms = new Date(expiresAt).getTime() - Date.now() + 1_000;
    if (!(ms > 0) || ms > 2 ** 31 - 1) return;
    const timer = setTimeout(() => void refetch(), ms);
    return () => clearTimeout(timer);
  }, [expiresAt, open, refetch]);

  /** One command: the answer is the new session; a refusal shows its message (and the fresh session). */
  const run = async (key: string, action: () => Promise<PublicSession>, capture?: (err: unknown) => void) => {
    if (busy) return null;
    setBusy(key);
    setError(null);
    try {
      const next = await action();
      show(next);
      return next;
    } catch (err) {
      if (capture) capture(err);
      else setError(errorMessage(err, t));
      // A conflict (the session moved on, a method went away) or a provider failure: show the session as it is now.
      if (isApiError(err) && (err.status === 409 || err.status >= 500)) void refetch();
      return null;
    } finally {
      setBusy(null);
    }
  };

  const identify = (identity: Identity, capture: (err: unknown) => void) => {
    if (identity.phone) {
      setPhone(identity.phone);
      savePayPhone(token, identity.phone);
    }
    void run('identify', () => payApi.identify(token, identity), capture);
  };

  const chooseService = (serviceId: string) => void run(`service:${serviceId}`, () => payApi.service(token, serviceId));

  const pay = async (method: PayMethod, mobilePhone?: string) => {
    // Back from Stripe with "cancel": the card checkout is still open there, go back to it.
    const open = s?.payment?.method === 'card' && s.payment.status === 'pending' ? s.payment.checkoutUrl : null;
    if (method === 'card' && open) {
      setBusy('redirect');
      window.location.assign(open);
      return;
    }
    if (checkout) setParams({}, { replace: true });
    const next = await run(`pay:${method}`, () => payApi.pay(token, method, mobilePhone));
    const url = next?.payment?.checkoutUrl;
    if (method === 'card' && url) {
      setBusy('redirect'); // keep every button disabled while the browser leaves
      window.location.assign(url);
    }
  };

  const cancel = () => void run('cancel', () => payApi.cancel(token));

  if (session.isPending) {
    return (
      <PayFrame>
        <PaySkeleton />
      </PayFrame>
    );
  }
  if (!s) {
    const unknown = isApiError(session.error) && session.error.status === 404;
    return (
      <PayFrame>
        {unknown ? (
          <PayMessage title={t('pay.notFoundTitle')} body={t('pay.notFoundBody')} testId="pay-not-found" />
        ) : (
          <div className="space-y-3 pt-6">
            <Alert>{errorMessage(session.error, t)}</Alert>
            <Button variant="secondary" className="w-full" onClick={() => void refetch()}>
              {t('common.retry')}
            </Button>
          </div>
        )}
      </PayFrame>
    );
  }

  const currency = s.business.currency;
  const notice =
    s.next === 'retry' ? t('pay.failed') : checkout === 'cancel' && view === 'methods' ? t('pay.cardCancelled') : null;
  const cancellable = view === 'identify' || view === 'service' || view === 'methods';

  return (
    <PayFrame business={s.business.name}>
      <div className="space-y-4">
        {s.amount !== null && (view === 'identify' || view === 'service' || view === 'methods') && (
          <div className="flex items-baseline justify-between gap-3 rounded-xl bg-white px-4 py-3 shadow-sm">
            <span className="min-w-0 text-sm text-slate-600">{s.service?.name ?? t('pay.amountDue')}</span>
            <span className="shrink-0 text-xl font-bold tabular-nums" data-testid="pay-amount">
              {formatMoney(s.amount, currency, i18n.language)}
            </span>
          </div>
        )}

        {error && <Alert>{error}</Alert>}

        {view === 'loading' && <PaySkeleton />}
        {view === 'identify' && (
          <IdentifyStep
            initialName={s.client?.name ?? ''}
            initialPhone={phone}
            pending={busy === 'identify'}
            onSubmit={identify}
          />
        )}
        {view === 'service' && (
          <ServiceStep services={s.services} currency={currency} busy={busy} onChoose={chooseService} />
        )}
        {view === 'methods' && (
          <MethodStep
            methods={s.methods}
            notice={notice}
            initialPhone={phone}
            busy={busy}
            onPay={(method, mobilePhone) => void pay(method, mobilePhone)}
          />
        )}
        {view === 'pending' && <PendingStep session={s} returned={checkout === 'success'} />}
        {view === 'receipt' && <ReceiptStep token={token} session={s} />}
        {view === 'closed' && (
          <PayMessage
            title={t('pay.closed', { context: s.status })}
            body={t('pay.closedHint')}
            icon={<CircleX className="size-12 text-slate-300" aria-hidden="true" />}
            testId="pay-closed"
          />
        )}

        {cancellable && (
          <p className="pt-2 text-center">
            <button
              type="button"
              onClick={cancel}
              disabled={busy !== null}
              className="rounded-md px-3 py-2 text-sm font-medium text-red-600 hover:bg-red-50 disabled:opacity-60"
              data-testid="pay-cancel"
            >
              {t('pay.cancel')}
            </button>
          </p>
        )}
      </div>
    </PayFrame>
  );
}
