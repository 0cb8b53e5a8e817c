import { Menu, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { NotificationBell } from '../notifications/NotificationBell.tsx';
import { Brand } from './Brand.tsx';
import { SidebarContent } from './SidebarContent.tsx';

/** Small screens: a top bar with the company name and a drawer holding the sidebar. */
export function MobileTopBar() {
  const { t } = useTranslation();
  const { membership } = useCompanyContext();
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();

  // biome-ignore lint/correctness/useExhaustiveDependencies: close the drawer on every navigation
  useEffect(() => setOpen(false), [pathname]);

  return (
    <>
      <header className="sticky top-0 z-20 flex h-14 items-center gap-3 border-b border-slate-200 bg-white/95 px-3 backdrop-blur">
        <button
          type="button"
          onClick={() => setOpen(true)}
          aria-label={t('nav.openMenu')}
          aria-expanded={open}
          data-testid="mobile-menu-button"
          className="rounded-md p-2 text-slate-700 hover:bg-slate-100"
        >
          <Menu className="size-5" aria-hidden="true" />
        </button>
        <Brand compact />
        <span className="min-w-0 flex-1 truncate text-sm font-semibold text-slate-900">{membership.companyName}</span>
        <NotificationBell align="right" />
      </header>
      {open && (
        <div className="fixed inset-0 z-40">
          <button
            type="button"
            className="absolute inset-0 bg-slate-900/40"
            aria-label={t('nav.closeMenu')}
            tabIndex={-1}
            onClick={() => setOpen(false)}
          />
          <aside className="absolute inset-y-0 left-0 flex w-72 max-w-[85vw] flex-col bg-white shadow-xl">
            <div className="flex items-center justify-between px-4 pt-4">
              <Brand />
              <button
                type="button"
                onClick={() => setOpen(false)}
                aria-label={t('nav.closeMenu')}
                className="rounded-md p-2 text-slate-600 hover:bg-slate-100"
              >
                <X className="size-5" aria-hidden="true" />
              </button>
            </div>
            <div className="min-h-0 flex-1">
              <SidebarContent hideBrand onNavigate={() => setOpen(false)} />
            </div>
          </aside>
        </div>
      )}
    </>
  );
}
