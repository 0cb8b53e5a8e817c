import type { RouteObject } from 'react-router';
import { PublicOnly, RequireAuth, RootRedirect } from './components/guards.tsx';
import { AppLayout } from './components/layout/AppLayout.tsx';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage.tsx';
import { LoginPage } from './pages/auth/LoginPage.tsx';
import { RegisterPage } from './pages/auth/RegisterPage.tsx';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage.tsx';
import { NewCompanyPage } from './pages/company/NewCompanyPage.tsx';
import { HomePage } from './pages/home/HomePage.tsx';
import { MembersPage } from './pages/members/MembersPage.tsx';
import { NotFoundPage } from './pages/misc/NotFoundPage.tsx';
import { NotificationPreferencesPage } from './pages/notifications/NotificationPreferencesPage.tsx';
import { NotificationsPage } from './pages/notifications/NotificationsPage.tsx';
import { RouteErrorPage } from './pages/misc/RouteErrorPage.tsx';
import { ProductDetailPage } from './pages/products/ProductDetailPage.tsx';
import { ProductFormPage } from './pages/products/ProductFormPage.tsx';
import { ProductsPage } from './pages/products/ProductsPage.tsx';
import { SettingsPage } from './pages/settings/SettingsPage.tsx';
import { TokensPage } from './pages/tokens/TokensPage.tsx';

/**
 * Pages under /c/:companyId (paths relative to it). Later capabilities add their
 * page here and their link in nav.ts.
 */
export const companyRoutes: RouteObject[] = [
  { index: true, element: <HomePage /> },
  { path: 'products', element: <ProductsPage /> },
  { path: 'products/new', element: <ProductFormPage /> },
  { path: 'products/:productId', element: <ProductDetailPage /> },
  { path: 'products/:productId/edit', element: <ProductFormPage /> },
  { path: 'notifications', element: <NotificationsPage /> },
  { path: 'notifications/preferences', element: <NotificationPreferencesPage /> },
  { path: 'members', element: <MembersPage /> },
  { path: 'settings', element: <SettingsPage /> },
  { path: 'tokens', element: <TokensPage /> },
  { path: '*', element: <NotFoundPage /> },
];

export const routes: RouteObject[] = [
  {
    errorElement: <RouteErrorPage />,
    children: [
      { path: '/', element: <RootRedirect /> },
      {
        element: <PublicOnly />,
        children: [
          { path: '/login', element: <LoginPage /> },
          { path: '/register', element: <RegisterPage /> },
        ],
      },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      {
        element: <RequireAuth />,
        children: [
          { path: '/companies/new', element: <NewCompanyPage /> },
          { path: '/c/:companyId', element: <AppLayout />, children: companyRoutes },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
