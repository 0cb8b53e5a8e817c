/**
 * The staff app's pages, guards and layout in one lazily loaded chunk (routes.tsx
 * imports this module on demand), so the public shop never downloads them.
 */
export { PublicOnly, RequireAuth, RootRedirect } from './components/guards.tsx';
export { AppLayout } from './components/layout/AppLayout.tsx';
export { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage.tsx';
export { LoginPage } from './pages/auth/LoginPage.tsx';
export { RegisterPage } from './pages/auth/RegisterPage.tsx';
export { ResetPasswordPage } from './pages/auth/ResetPasswordPage.tsx';
export { AuditPage } from './pages/audit/AuditPage.tsx';
export { PaymentSessionTrailPage, PaymentTrailPage } from './pages/audit/TrailPages.tsx';
export { CashSessionsPage } from './pages/cash/CashSessionsPage.tsx';
export { ClientDetailPage } from './pages/clients/ClientDetailPage.tsx';
export { ClientsPage } from './pages/clients/ClientsPage.tsx';
export { NewCompanyPage } from './pages/company/NewCompanyPage.tsx';
export { DashboardPage } from './pages/dashboard/DashboardPage.tsx';
export { FloorPage } from './pages/floor/FloorPage.tsx';
export { HomePage } from './pages/home/HomePage.tsx';
export { MembersPage } from './pages/members/MembersPage.tsx';
export { NotificationPreferencesPage } from './pages/notifications/NotificationPreferencesPage.tsx';
export { NotificationsPage } from './pages/notifications/NotificationsPage.tsx';
export { PaymentDetailPage } from './pages/payments/PaymentDetailPage.tsx';
export { PaymentSessionDetailPage } from './pages/payments/PaymentSessionDetailPage.tsx';
export { PaymentSessionsPage } from './pages/payments/PaymentSessionsPage.tsx';
export { ProductDetailPage } from './pages/products/ProductDetailPage.tsx';
export { ProductFormPage } from './pages/products/ProductFormPage.tsx';
export { ProductsPage } from './pages/products/ProductsPage.tsx';
export { RefundsPage } from './pages/refunds/RefundsPage.tsx';
export { SalesPage } from './pages/sales/SalesPage.tsx';
export { StationPage } from './pages/stations/StationPage.tsx';
export { TillPage } from './pages/sales/TillPage.tsx';
export { TillPadPage } from './pages/till/TillPadPage.tsx';
export { PaymentSettingsPage } from './pages/settings/PaymentSettingsPage.tsx';
export { CashReportPrintPage, SaleReceiptPrintPage } from './pages/printing/PrintPages.tsx';
export { SettingsPage } from './pages/settings/SettingsPage.tsx';
export { TokensPage } from './pages/tokens/TokensPage.tsx';
export { StaffShell } from './components/layout/StaffShell.tsx';
