import { Banknote, CreditCard, LoaderCircle, Smartphone } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { buttonClass } from '../../components/ui/Button.tsx';
import { formatMoney } from '../../lib/money.ts';
import type { PublicSession } from '../../lib/pay.ts';

/**
 * Waiting for the payment to be confirmed (staff for cash, the provider's webhook
 * for card and mobile money). The page follows the session live: nothing to do.
 */
export function PendingStep({ session, returned }: { session: PublicSession; returned: boolean }) {
  const { t, i18n } = useTranslation();
  const payment = session.payment;
  // Back from Stripe before the webhook created the payment view: it is a card payment.
  const method = payment?.method ?? 'card';
  const amount = payment?.amount ?? session.amount;
  const Icon = method === 'cash' ? Banknote : method === 'mobile_money' ? Smartphone : CreditCard;
  const resumeUrl = method === 'card' && !returned ? payment?.checkoutUrl : null;

  return (
    <section
      className="flex flex-col items-center gap-3 rounded-xl border border-teal-200 bg-white p-6 text-center"
      data-testid="pay-pending"
      data-method={method}
      aria-live="polite"
    >
      <Icon className="size-12 text-teal-600" aria-hidden="true" />
      <h1 className="text-xl font-semibold">{t(`pay.pending.${method}`)}</h1>
      {amount !== null && (
        <p className="text-3xl font-bold tabular-nums" data-testid="pay-pending-amount">
          {formatMoney(amount, session.business.currency, i18n.language)}
        </p>
      )}
      <p className="text-sm text-slate-600">{t(`pay.pendingHint.${method}`)}</p>
      <p className="flex items-center gap-2 text-xs text-slate-500">
        <LoaderCircle className="size-4 animate-spin" aria-hidden="true" />
        {t('pay.live')}
      </p>
      {resumeUrl && (
        <a href={resumeUrl} className={buttonClass('secondary', 'md', 'w-full')} data-testid="pay-resume-card">
          {t('pay.resumeCard')}
        </a>
      )}
    </section>
  );
}
