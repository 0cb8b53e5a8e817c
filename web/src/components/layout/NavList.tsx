import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { navFor } from '../../nav.ts';

/** The company navigation filtered by the user's role (see nav.ts). */
export function NavList({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { companyId, role } = useCompanyContext();
  return (
    <nav aria-label={t('nav.main')}>
      <ul className="space-y-1">
        {navFor(role).map((item) => {
          const Icon = item.icon;
          return (
            <li key={item.to}>
              <NavLink
                to={item.to ? `/c/${companyId}/${item.to}` : `/c/${companyId}`}
                end={item.end}
                onClick={onNavigate}
                data-testid={`nav-${item.to || 'home'}`}
                className={({ isActive }) =>
                  `flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors ${
                    isActive ? 'bg-teal-100/70 text-teal-900' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900'
                  }`
                }
              >
                <Icon className="size-4.5 shrink-0" aria-hidden="true" />
                {t(item.labelKey)}
              </NavLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
