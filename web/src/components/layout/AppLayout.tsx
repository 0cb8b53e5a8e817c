import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useParams } from 'react-router';
import { CompanyContext, type CompanyContextValue } from '../../lib/companyContext.ts';
import { DESKTOP_QUERY, useMediaQuery } from '../../lib/hooks.ts';
import { findMembership, rememberCompany, useMe } from '../../lib/session.ts';
import { CatalogLiveSync } from '../../live/CatalogLiveSync.tsx';
import { LiveStreamProvider } from '../../live/LiveStreamProvider.tsx';
import { NotificationsLiveSync } from '../../live/NotificationsLiveSync.tsx';
import { PaymentsLiveSync } from '../../live/PaymentsLiveSync.tsx';
import { TillBar } from '../../pages/till/TillBar.tsx';
import { OfflineBanner } from '../offline/OfflineBanner.tsx';
import { buttonClass } from '../ui/Button.tsx';
import { MobileTopBar } from './MobileTopBar.tsx';
import { SidebarContent } from './SidebarContent.tsx';

function NoCompanyAccess() {
  const { t } = useTranslation();
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-3 p-6 text-center">
      <h1 className="text-xl font-semibold">{t('access.noCompanyTitle')}</h1>
      <p className="text-sm text-slate-600">{t('access.noCompany')}</p>
      <Link to="/" className={buttonClass('secondary')}>
        {t('common.backHome')}
      </Link>
    </main>
  );
}

/** Layout of /c/:companyId/*: company context, live stream, sidebar (desktop) or top bar (mobile). */
export function AppLayout() {
  const { t } = useTranslation();
  const { companyId = '' } = useParams();
  const { data: me } = useMe();
  const isDesktop = useMediaQuery(DESKTOP_QUERY);
  const membership = findMembership(me, companyId);

  useEffect(() => {
    if (membership) rememberCompany(membership.companyId);
  }, [membership]);

  if (!me || !membership) return <NoCompanyAccess />;
  const ctx: CompanyContextValue = {
    companyId,
    membership,
    role: membership.role,
    user: me.user,
    memberships: me.memberships,
  };

  return (
    <CompanyContext.Provider value={ctx}>
      <LiveStreamProvider key={companyId} companyId={companyId}>
        <CatalogLiveSync />
        <NotificationsLiveSync />
        <PaymentsLiveSync />
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          {t('app.skipToContent')}
        </a>
        <div className="min-h-screen">
          {isDesktop ? (
            <aside className="fixed inset-y-0 left-0 z-30 w-64 border-r border-slate-200 bg-white" data-testid="sidebar">
              <SidebarContent />
            </aside>
          ) : (
            <MobileTopBar />
          )}
          <main id="main" className={isDesktop ? 'pl-64' : ''}>
            <TillBar />
            <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
              <OfflineBanner />
              <Outlet />
            </div>
          </main>
        </div>
      </LiveStreamProvider>
    </CompanyContext.Provider>
  );
}
