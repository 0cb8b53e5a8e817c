import { useCompanyContext } from '../../lib/companyContext.ts';
import { NotificationBell } from '../notifications/NotificationBell.tsx';
import { Brand } from './Brand.tsx';
import { CompanySwitcher } from './CompanySwitcher.tsx';
import { NavList } from './NavList.tsx';
import { UserMenu } from './UserMenu.tsx';

/** Everything in the sidebar; also the content of the mobile drawer (whose top bar has the bell). */
export function SidebarContent({ onNavigate, hideBrand }: { onNavigate?: () => void; hideBrand?: boolean }) {
  const { user } = useCompanyContext();
  return (
    <div className="flex h-full flex-col gap-5 p-4">
      {!hideBrand && (
        <div className="flex items-center justify-between gap-2 px-1">
          <Brand />
          <NotificationBell />
        </div>
      )}
      <CompanySwitcher onNavigate={onNavigate} />
      <div className="flex-1 overflow-y-auto">
        <NavList onNavigate={onNavigate} />
      </div>
      <div className="border-t border-slate-200 pt-3">
        <UserMenu user={user} />
      </div>
    </div>
  );
}
