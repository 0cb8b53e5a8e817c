import { Route, Routes } from 'react-router';
import { CartPage } from './CartPage.tsx';
import { CheckoutPage } from './CheckoutPage.tsx';
import { ShopLayout, ShopNotFound } from './ShopLayout.tsx';
import { ShopProductsPage } from './ShopProductsPage.tsx';

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
        <Route path="checkout" element={<CheckoutPage />} />
        <Route path="*" element={<ShopNotFound page />} />
      </Route>
    </Routes>
  );
}
