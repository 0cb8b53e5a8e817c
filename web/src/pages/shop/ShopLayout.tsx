import { ShoppingCart, Store } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useNavigate, useParams, useSearchParams } from 'react-router';
import { LanguageSwitch } from '../../components/layout/LanguageSwitch.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { cartCount } from '../../lib/shop.ts';
import { CartMessages } from './CartMessages.tsx';
import { ShopContext, shopPath, useShop, useShopState } from './useShopState.ts';

/** Phone-first frame: shop name, cart button with its count, the notices, the page. */
export function ShopLayout() {
  const { companySlug = '' } = useParams();
  const state = useShopState(companySlug);
  const { t } = useTranslation();
  const { shopQuery, cardReturned } = state;
  const name = state.shop?.name;
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const returnedOrder = params.get('order');
  const returned = params.get('checkout');

  // Stripe Checkout sends the customer back to /shop/:slug?order=…&checkout=success|cancel:
  // handled once (the stored order changes, and with it cardReturned), then the payment page.
  const handledReturn = useRef('');
  useEffect(() => {
    if (!returnedOrder || !returned || handledReturn.current === `${returnedOrder}:${returned}`) return;
    handledReturn.current = `${returnedOrder}:${returned}`;
    cardReturned(returnedOrder, returned === 'success');
    navigate(shopPath(companySlug, 'checkout'), { replace: true });
  }, [returnedOrder, returned, cardReturned, navigate, companySlug]);

  useEffect(() => {
    document.title = name ? `${name} · ${t('shop.title')}` : t('shop.title');
  }, [name, t]);

  if (shopQuery.isPending) return <PageLoader fullScreen />;
  if (shopQuery.isError) {
    if (isApiError(shopQuery.error, 'shop.not_found') || isApiError(shopQuery.error, 'not_found')) {
      return <ShopNotFound />;
    }
    return (
      <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-3 p-6">
        <Alert>{errorMessage(shopQuery.error, t)}</Alert>
        <Button variant="secondary" onClick={() => void shopQuery.refetch()}>
          {t('common.retry')}
        </Button>
      </main>
    );
  }

  return (
    <ShopContext.Provider value={state}>
      <div className="min-h-screen bg-slate-50" data-testid="shop">
        <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/95 backdrop-blur">
          <div className="mx-auto flex max-w-3xl items-center gap-3 px-4 py-3">
            <Link to={shopPath(companySlug)} className="flex min-w-0 flex-1 items-center gap-2" data-testid="shop-home">
              <Store className="size-5 shrink-0 text-teal-600" aria-hidden="true" />
              <span className="truncate text-lg font-semibold" data-testid="shop-name">
                {name}
              </span>
            </Link>
            <div className="hidden sm:block">
              <LanguageSwitch />
            </div>
            <CartButton />
          </div>
          <Notices />
        </header>
        <main className="mx-auto max-w-3xl px-4 pt-4 pb-16">
          <Outlet />
        </main>
        <footer className="mx-auto flex max-w-3xl justify-center px-4 pb-6 sm:hidden">
          <LanguageSwitch />
        </footer>
      </div>
    </ShopContext.Provider>
  );
}

function CartButton() {
  const { t } = useTranslation();
  const { slug, cart } = useShop();
  const count = cartCount(cart);
  return (
    <Link
      to={shopPath(slug, 'cart')}
      className="relative inline-flex h-10 items-center gap-2 rounded-full bg-teal-600 px-4 text-sm font-medium text-white shadow-sm hover:bg-teal-700"
      data-testid="cart-link"
      aria-label={t('shop.cartLink', { count })}
    >
      <ShoppingCart className="size-4" aria-hidden="true" />
      <span aria-hidden="true">{t('shop.cart')}</span>
      <span
        className="min-w-6 rounded-full bg-white px-1.5 text-center text-xs font-bold text-teal-700"
        data-testid="cart-count"
        aria-hidden="true"
      >
        {count}
      </span>
    </Link>
  );
}

function Notices() {
  const { notices, clearNotices } = useShop();
  if (!notices.length) return null;
  return (
    <div className="mx-auto max-h-[40vh] max-w-3xl overflow-y-auto px-4 pb-3" data-testid="cart-messages">
      <CartMessages messages={notices} onDismiss={clearNotices} />
    </div>
  );
}

/** Unknown shop (or, with `page`, an unknown page inside a shop). */
export function ShopNotFound({ page }: { page?: boolean }) {
  const { t } = useTranslation();
  const { companySlug = '' } = useParams();
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 p-6 pt-16 text-center" data-testid="not-found">
      <Store className="size-10 text-slate-300" aria-hidden="true" />
      <h1 className="text-xl font-semibold">{page ? t('notFound.title') : t('shop.notFoundTitle')}</h1>
      <p className="text-sm text-slate-600">{page ? t('notFound.body') : t('shop.notFoundBody')}</p>
      {page && (
        <Link to={shopPath(companySlug)} className="font-medium text-teal-700 hover:underline">
          {t('shop.continueShopping')}
        </Link>
      )}
    </div>
  );
}
