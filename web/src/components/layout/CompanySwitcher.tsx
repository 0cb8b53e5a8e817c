import { Check, ChevronsUpDown, Plus } from 'lucide-react';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useDismiss } from '../../lib/hooks.ts';

/** Current company with a dropdown of the user's other companies and "Create a company". */
export function CompanySwitcher({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { membership, memberships } = useCompanyContext();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  const picked = () => {
    setOpen(false);
    onNavigate?.();
  };

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        onClick={() => setOpen((v) => !v)}
        aria-expanded={open}
        aria-label={t('switcher.label')}
        data-testid="company-switcher"
        className="flex w-full items-center gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-left shadow-sm hover:bg-slate-50"
      >
        <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-teal-100 text-sm font-semibold text-teal-800">
          {membership.companyName.slice(0, 1).toUpperCase()}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-semibold text-slate-900" data-testid="current-company-name">
            {membership.companyName}
          </span>
          <span className="block truncate text-xs text-slate-500">{t(`roles.${membership.role}`)}</span>
        </span>
        <ChevronsUpDown className="size-4 shrink-0 text-slate-400" aria-hidden="true" />
      </button>
      {open && (
        <div
          className="absolute inset-x-0 top-full z-30 mt-1 rounded-lg border border-slate-200 bg-white py-1 shadow-lg"
          data-testid="company-switcher-menu"
        >
          <p className="px-3 py-1.5 text-xs font-medium uppercase tracking-wide text-slate-400">
            {t('switcher.companies')}
          </p>
          <ul>
            {memberships.map((m) => (
              <li key={m.companyId}>
                <Link
                  to={`/c/${m.companyId}`}
                  onClick={picked}
                  aria-current={m.companyId === membership.companyId ? 'true' : undefined}
                  data-testid="company-switcher-item"
                  className="flex items-center gap-2 px-3 py-2 text-sm text-slate-700 hover:bg-slate-50"
                >
                  <span className="min-w-0 flex-1 truncate">{m.companyName}</span>
                  {m.companyId === membership.companyId && <Check className="size-4 text-teal-600" aria-hidden="true" />}
                </Link>
              </li>
            ))}
          </ul>
          <div className="my-1 border-t border-slate-100" />
          <Link
            to="/companies/new"
            onClick={picked}
            data-testid="company-switcher-create"
            className="flex items-center gap-2 px-3 py-2 text-sm font-medium text-teal-700 hover:bg-slate-50"
          >
            <Plus className="size-4" aria-hidden="true" />
            {t('switcher.create')}
          </Link>
        </div>
      )}
    </div>
  );
}
