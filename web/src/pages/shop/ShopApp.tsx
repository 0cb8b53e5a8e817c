import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { Spinner } from '../../components/ui/Spinner.tsx';
import { CartPage } from './CartPage.tsx';
import { ShopLayout, ShopNotFound } from './ShopLayout.tsx';
import { ShopProductsPage } from './ShopProductsPage.tsx';

/**
 * The payment step (methods, countdown, online payment) is its own chunk: a first
 * visit does not load it; the cart page fetches it ahead.
 */
const CheckoutPage = lazy(() => import('./CheckoutPage.tsx').then((m) => ({ default: m.CheckoutPage })));

/**
 * The public online shop under /shop/:companySlug — its own lazily loaded chunk
 * (routes.tsx imports it with React.lazy), outside the staff guards and layout.
 */
export default function ShopApp() {
  return (
    <Routes>
      <Route element={<ShopLayout />}>
        <Route index element={<ShopProductsPage />} />
        <Route path="cart" element={<CartPage />} />
        <Route
          path="checkout"
          element={
            <Suspense
              fallback={
                <div className="flex justify-center py-16">
                  <Spinner />
                </div>
              }
            >
              <CheckoutPage />
            </Suspense>
          }
        />
        <Route path="*" element={<ShopNotFound page />} />
      </Route>
    </Routes>
  );
}
