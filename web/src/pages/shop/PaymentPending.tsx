import { useQuery } from '@tanstack/react-query';
import { LoaderCircle } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, buttonClass } from '../../components/ui/Button.tsx';
import { formatMoney } from '../../lib/money.ts';
import { shopApi, type StoredOrder } from '../../lib/shop.ts';
import { useShop } from './useShopState.ts';

const DONE = ['succeeded', 'failed', 'expired'];

/**
 * An online payment is awaited (card back from Stripe, or mobile money to approve on
 * the phone): the order is asked for every 3 s until its payment succeeded or failed.
 */
export function PaymentPending({ order }: { order: StoredOrder }) {
  const { t, i18n } = useTranslation();
  const { slug, settle, stopPaying } = useShop();
  const o = order.order;
  const poll = useQuery({
    queryKey: ['shop', slug, 'order', o.id],
    queryFn: () => shopApi.order(slug, o.id, order.token),
    refetchInterval: 3_000,
  });
  const data = poll.data;
  const status = data?.payment?.status;

  useEffect(() => {
    if (data?.payment && status && DONE.includes(status)) settle(data.order, data.payment);
  }, [data, status, settle]);

  const card = order.method === 'card';
  return (
    <div
      className="flex flex-col items-center gap-3 rounded-xl border border-teal-200 bg-white p-6 text-center"
      data-testid="shop-payment-pending"
      aria-live="polite"
    >
      <LoaderCircle className="size-10 animate-spin text-teal-600" aria-hidden="true" />
      <h1 className="text-lg font-semibold">{t(card ? 'shop.pendingCard' : 'shop.pendingMobile')}</h1>
      <p className="text-2xl font-bold tabular-nums">{formatMoney(o.total, o.currency, i18n.language)}</p>
      <p className="text-sm text-slate-600">{t('shop.pendingHint', { reference: o.reference })}</p>
      {card && order.checkoutUrl && (
        <a href={order.checkoutUrl} className={buttonClass('secondary', 'md', 'w-full')}>
          {t('shop.resumeCard')}
        </a>
      )}
      <Button variant="ghost" className="w-full" onClick={stopPaying} data-testid="shop-pay-other">
        {t('shop.otherMethod')}
      </Button>
    </div>
  );
}
