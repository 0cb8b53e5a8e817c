import { ShoppingCart } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Alert } from '../../components/ui/Alert.tsx';
import { buttonClass } from '../../components/ui/Button.tsx';
import { Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { formatMoney } from '../../lib/money.ts';
import type { Customer } from '../../lib/shop.ts';
import { CartLineRow } from './CartLineRow.tsx';
import { CheckoutForm } from './CheckoutForm.tsx';
import { shopPath, useShop } from './useShopState.ts';

/** /shop/:slug/cart — the lines (quantity, remove), the total and the checkout form. */
export function CartPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { slug, shop, cart, cartQuery, checkout, busy } = useShop();

  // The payment step is a separate chunk (see ShopApp): fetch it while the customer reviews the cart.
  useEffect(() => {
    void import('./CheckoutPage.tsx');
  }, []);

  if (cartQuery.isLoading) {
    return (
      <div className="flex justify-center py-16">
        <Spinner />
      </div>
    );
  }

  const lines = cart?.lines ?? [];
  const currency = cart?.currency ?? shop?.currency ?? 'XOF';
  const locked = cart?.status === 'checking_out';

  const submit = async (customer: Customer) => {
    if (await checkout(customer)) navigate(shopPath(slug, 'checkout'));
  };

  return (
    <div className="space-y-4" data-testid="cart-page">
      <h1 className="text-xl font-semibold">{t('shop.cartTitle')}</h1>
      {cartQuery.isError && !cart && <Alert>{errorMessage(cartQuery.error, t)}</Alert>}

      {lines.length === 0 ? (
        <div className="flex flex-col items-center gap-3 py-12 text-center" data-testid="cart-empty">
          <ShoppingCart className="size-10 text-slate-300" aria-hidden="true" />
          <p className="text-sm text-slate-600">{t('shop.cartEmpty')}</p>
          <Link to={shopPath(slug)} className={buttonClass('secondary')}>
            {t('shop.continueShopping')}
          </Link>
        </div>
      ) : (
        <>
          {locked && (
            <Alert tone="info" testId="cart-checking-out">
              <p>{t('shop.checkingOut')}</p>
              <Link to={shopPath(slug, 'checkout')} className="font-semibold underline">
                {t('shop.resumePayment')}
              </Link>
            </Alert>
          )}
          <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white" data-testid="cart-lines">
            {lines.map((line) => (
              <CartLineRow key={line.productId} line={line} currency={currency} locked={locked} />
            ))}
          </ul>
          <div className="flex items-center justify-between rounded-xl bg-white px-4 py-3 text-base font-semibold shadow-sm">
            <span>{t('shop.total')}</span>
            <span className="tabular-nums" data-testid="cart-total">
              {formatMoney(cart?.total ?? 0, currency, i18n.language)}
            </span>
          </div>
          {!locked && (
            <CheckoutForm onSubmit={submit} pending={busy === 'checkout'} holdMinutes={shop?.holdMinutes} />
          )}
          <p className="text-center">
            <Link to={shopPath(slug)} className="text-sm font-medium text-teal-700 hover:underline">
              {t('shop.continueShopping')}
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
