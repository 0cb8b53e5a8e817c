import { CircleCheck, CreditCard, Smartphone, Store } from 'lucide-react';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { Button, buttonClass } from '../../components/ui/Button.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import { Spinner } from '../../components/ui/Spinner.tsx';
import type { StoredOrder } from '../../lib/shop.ts';
import { HoldCountdown } from './HoldCountdown.tsx';
import { OrderSummary } from './OrderSummary.tsx';
import { PaymentPending } from './PaymentPending.tsx';
import { shopPath, useShop } from './useShopState.ts';

/**
 * /shop/:slug/checkout — while the items are held: summary, payment method (pay at
 * pickup, or pay now by card or mobile money), countdown with "Prolonger" (once) and
 * "Annuler le paiement"; while an online payment is awaited, its pending state; then
 * the "Commande enregistrée" confirmation with the order reference.
 */
export function CheckoutPage() {
  const { t } = useTranslation();
  const { slug, shop, cart, cartQuery, order, busy, cancel, extend, confirm, reload, newOrder, pay, unavailable } =
    useShop();
  const [phone, setPhone] = useState(order?.order.customer.phone ?? '');
  const [phoneError, setPhoneError] = useState(false);
  const checkingOut = cart?.status === 'checking_out' && cart.checkout !== null;

  const onExpired = useCallback(() => void reload(), [reload]);

  // Cancelled, expired or ended in another tab: the stored order is void (and the
  // redirect below shows the cart with the server's notice).
  useEffect(() => {
    if (order && !order.confirmed && !order.paying && cart && !checkingOut) newOrder();
  }, [order, cart, checkingOut, newOrder]);

  if (order?.confirmed) return <Confirmation order={order} onNew={newOrder} />;
  if (order?.paying) return <PaymentPending order={order} />;
  if (cartQuery.isLoading) {
    return (
      <div className="flex justify-center py-16">
        <Spinner />
      </div>
    );
  }
  if (!cart || !checkingOut) return <Navigate to={shopPath(slug, 'cart')} replace />;

  const hold = cart.checkout!;
  const current = order && order.order.id === hold.orderId ? order.order : null;
  const payMobile = (e: FormEvent) => {
    e.preventDefault();
    setPhoneError(!phone.trim());
    if (phone.trim()) void pay('mobile_money', phone.trim());
  };

  return (
    <div className="space-y-4" data-testid="checkout-page">
      <h1 className="text-xl font-semibold">{t('shop.paymentTitle')}</h1>
      {hold.holdExpiresAt && <HoldCountdown expiresAt={hold.holdExpiresAt} onExpired={onExpired} />}
      <OrderSummary
        lines={current?.lines ?? cart.lines}
        total={current?.total ?? cart.total}
        currency={current?.currency ?? cart.currency ?? shop?.currency ?? 'XOF'}
      />
      <fieldset className="rounded-xl border border-slate-200 bg-white p-4" data-testid="payment-methods">
        <legend className="px-1 text-sm font-semibold">{t('shop.paymentMethod')}</legend>
        <label className="flex items-start gap-3 rounded-lg border-2 border-teal-600 bg-teal-50 p-3">
          <input
            type="radio"
            name="method"
            value="pay_at_pickup"
            checked
            readOnly
            className="mt-1 accent-teal-600"
            data-testid="method-pay-at-pickup"
          />
          <span>
            <span className="flex items-center gap-2 font-medium">
              <Store className="size-4" aria-hidden="true" />
              {t('shop.payAtPickup')}
            </span>
            <span className="block text-xs text-slate-600">{t('shop.payAtPickupHint')}</span>
          </span>
        </label>
      </fieldset>
      <Button className="h-11 w-full" onClick={confirm} disabled={!order || busy !== null} data-testid="confirm-order">
        {t('shop.confirm')}
      </Button>
      {unavailable.length < 2 && (
        <section className="space-y-3 rounded-xl border border-slate-200 bg-white p-4" data-testid="pay-now">
          <h2 className="text-sm font-semibold">{t('shop.payNow')}</h2>
          {!unavailable.includes('card') && (
            <Button
              variant="secondary"
              className="h-11 w-full"
              icon={<CreditCard className="size-4" aria-hidden="true" />}
              disabled={!order || busy !== null}
              loading={busy === 'pay:card'}
              onClick={() => void pay('card')}
              data-testid="shop-pay-card"
            >
              {t('shop.payCard')}
            </Button>
          )}
          {!unavailable.includes('mobile_money') && (
            <form onSubmit={payMobile} noValidate className="space-y-2">
              <Field label={t('shop.mobilePhone')} error={phoneError ? t('shop.phoneRequired') : undefined}>
                {(control) => (
                  <TextInput
                    {...control}
                    type="tel"
                    autoComplete="tel"
                    value={phone}
                    onChange={(e) => setPhone(e.target.value)}
                    data-testid="shop-pay-phone"
                  />
                )}
              </Field>
              <Button
                type="submit"
                variant="secondary"
                className="h-11 w-full"
                icon={<Smartphone className="size-4" aria-hidden="true" />}
                disabled={!order || busy !== null}
                loading={busy === 'pay:mobile_money'}
                data-testid="shop-pay-mobile_money"
              >
                {t('shop.payMobile')}
              </Button>
            </form>
          )}
        </section>
      )}
      <div className="flex gap-2">
        <Button
          variant="secondary"
          className="flex-1"
          disabled={hold.extended}
          loading={busy === 'extend'}
          onClick={() => void extend()}
          data-testid="extend-hold"
        >
          {t('shop.extend')}
        </Button>
        <Button
          variant="danger-ghost"
          className="flex-1"
          loading={busy === 'cancel'}
          onClick={() => void cancel()}
          data-testid="cancel-payment"
        >
          {t('shop.cancelPayment')}
        </Button>
      </div>
    </div>
  );
}

function Confirmation({ order, onNew }: { order: StoredOrder; onNew: () => void }) {
  const { t } = useTranslation();
  const { slug } = useShop();
  const o = order.order;
  const paid = o.status === 'paid' || o.status === 'paid_unfulfilled';
  return (
    <div className="space-y-4" data-testid="order-confirmation">
      <div className="flex flex-col items-center gap-2 rounded-xl border border-emerald-200 bg-emerald-50 p-6 text-center">
        <CircleCheck className="size-10 text-emerald-600" aria-hidden="true" />
        <h1 className="text-xl font-semibold text-emerald-900">{t('shop.orderPlaced')}</h1>
        <p className="text-sm text-emerald-900">{t('shop.orderReference')}</p>
        <p className="font-mono text-2xl font-bold tracking-wider" data-testid="order-reference">
          {o.reference}
        </p>
        <p className="text-sm text-slate-700">{t(paid ? 'shop.orderPaidBody' : 'shop.orderPlacedBody')}</p>
        <p className="text-sm font-medium">{paid ? t('shop.orderPaid') : t('shop.payAtPickup')}</p>
        {o.status === 'paid_unfulfilled' && <p className="text-sm text-orange-800">{t('shop.paidUnfulfilled')}</p>}
      </div>
      <OrderSummary lines={o.lines} total={o.total} currency={o.currency} />
      <Link to={shopPath(slug)} onClick={onNew} className={buttonClass('primary', 'md', 'w-full')}>
        {t('shop.newOrder')}
      </Link>
    </div>
  );
}
