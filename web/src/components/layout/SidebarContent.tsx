import { useCompanyContext } from '../../lib/companyContext.ts';
import { Brand } from './Brand.tsx';
import { CompanySwitcher } from './CompanySwitcher.tsx';
import { NavList } from './NavList.tsx';
import { UserMenu } from './UserMenu.tsx';

/** Everything in the sidebar; also the content of the mobile drawer. */
export function SidebarContent({ onNavigate, hideBrand }: { onNavigate?: () => void; hideBrand?: boolean }) {
  const { user } = useCompanyContext();
  return (
    <div className="flex h-full flex-col gap-5 p-4">
      {!hideBrand && (
        <div className="px-1">
          <Brand />
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
