import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router';
import { PageLoader } from './components/ui/Spinner.tsx';
import { loadFullDictionary } from './i18n/index.ts';

// Shown only when something goes wrong: loaded then, not with every first page.
const NotFoundPage = lazy(() => import('./pages/misc/NotFoundPage.tsx').then((m) => ({ default: m.NotFoundPage })));
const RouteErrorPage = lazy(() => import('./pages/misc/RouteErrorPage.tsx').then((m) => ({ default: m.RouteErrorPage })));
const notFound = (
  <Suspense fallback={<PageLoader fullScreen />}>
    <NotFoundPage />
  </Suspense>
);

type StaffPages = typeof import('./staffPages.ts');

/**
 * A staff route's component, loaded with the rest of the staff app (one chunk,
 * fetched once): the public shop below must not pull the staff pages in.
 */
function staff(name: keyof StaffPages): Pick<RouteObject, 'lazy'> {
  return {
    lazy: async () => {
      const [pages] = await Promise.all([import('./staffPages.ts'), loadFullDictionary()]);
      return { Component: pages[name] };
    },
  };
}

/** The public online shop (Storefront): its own small chunk, no staff guard or layout. */
const ShopApp = lazy(() => import('./pages/shop/ShopApp.tsx'));

/** The public QR payment pages (/pay/:token, /pay/c/:code): their own small chunk, like the shop. */
const PayApp = lazy(() => import('./pages/pay/PayApp.tsx'));
/** The online copy of a printed receipt (/r/:token, the QR code on it): in the pay chunk. */
const ReceiptLinkPage = lazy(() => import('./pages/pay/PayApp.tsx').then((m) => ({ default: m.ReceiptLinkPage })));

/**
 * Pages under /c/:companyId (paths relative to it). Later capabilities add their
 * page here (exported from staffPages.ts) and their link in nav.ts.
 */
export const companyRoutes: RouteObject[] = [
  { index: true, ...staff('HomePage') },
  { path: 'dashboard', ...staff('DashboardPage') },
  { path: 'products', ...staff('ProductsPage') },
  { path: 'products/new', ...staff('ProductFormPage') },
  { path: 'products/:productId', ...staff('ProductDetailPage') },
  { path: 'products/:productId/edit', ...staff('ProductFormPage') },
  { path: 'floor', ...staff('FloorPage') },
  { path: 'sales', ...staff('SalesPage') },
  { path: 'sales/new', ...staff('TillPage') },
  { path: 'sales/:saleId', ...staff('TillPage') },
  { path: 'stations/:station', ...staff('StationPage') },
  { path: 'refunds', ...staff('RefundsPage') },
  { path: 'cash-sessions', ...staff('CashSessionsPage') },
  { path: 'payment-sessions', ...staff('PaymentSessionsPage') },
  { path: 'payment-sessions/:sessionId', ...staff('PaymentSessionDetailPage') },
  { path: 'payment-sessions/:sessionId/trail', ...staff('PaymentSessionTrailPage') },
  { path: 'payments/:paymentId', ...staff('PaymentDetailPage') },
  { path: 'payments/:paymentId/trail', ...staff('PaymentTrailPage') },
  { path: 'clients', ...staff('ClientsPage') },
  { path: 'clients/:clientId', ...staff('ClientDetailPage') },
  { path: 'notifications', ...staff('NotificationsPage') },
  { path: 'notifications/preferences', ...staff('NotificationPreferencesPage') },
  { path: 'members', ...staff('MembersPage') },
  { path: 'settings', ...staff('SettingsPage') },
  { path: 'settings/payments', ...staff('PaymentSettingsPage') },
  { path: 'tokens', ...staff('TokensPage') },
  { path: 'audit', ...staff('AuditPage') },
  { path: '*', element: notFound },
];

export const routes: RouteObject[] = [
  {
    errorElement: (
      <Suspense fallback={<PageLoader fullScreen />}>
        <RouteErrorPage />
      </Suspense>
    ),
    hydrateFallbackElement: <PageLoader fullScreen />,
    children: [
      {
        ...staff('StaffShell'),
        children: [
          { path: '/', ...staff('RootRedirect') },
          {
            ...staff('PublicOnly'),
            children: [
              { path: '/login', ...staff('LoginPage') },
              { path: '/register', ...staff('RegisterPage') },
            ],
          },
          { path: '/forgot-password', ...staff('ForgotPasswordPage') },
          { path: '/reset-password', ...staff('ResetPasswordPage') },
          // A shared till's PIN pad: reached while nobody acts on the device, so outside RequireAuth.
          { path: '/c/:companyId/till', ...staff('TillPadPage') },
          {
            ...staff('RequireAuth'),
            children: [
              { path: '/companies/new', ...staff('NewCompanyPage') },
              { path: '/c/:companyId', ...staff('AppLayout'), children: companyRoutes },
              // Printable documents: outside the app's layout, so that only the document prints.
              { path: '/c/:companyId/sales/:saleId/receipt', ...staff('SaleReceiptPrintPage') },
              { path: '/c/:companyId/cash-sessions/:sessionId/report', ...staff('CashReportPrintPage') },
            ],
          },
        ],
      },
      {
        path: '/shop/:companySlug/*',
        element: (
          <Suspense fallback={<PageLoader fullScreen />}>
            <ShopApp />
          </Suspense>
        ),
      },
      {
        path: '/pay/*',
        element: (
          <Suspense fallback={<PageLoader fullScreen />}>
            <PayApp />
          </Suspense>
        ),
      },
      {
        path: '/r/:token',
        element: (
          <Suspense fallback={<PageLoader fullScreen />}>
            <ReceiptLinkPage />
          </Suspense>
        ),
      },
      { path: '*', element: notFound },
    ],
  },
];
