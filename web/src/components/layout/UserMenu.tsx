import { ChevronUp, KeyRound, LogOut } from 'lucide-react';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDismiss } from '../../lib/hooks.ts';
import { useSignOut } from '../../lib/session.ts';
import type { User } from '../../lib/types.ts';
import { useTillMenu } from '../../pages/till/useTillMenu.tsx';
import { ChangePasswordDialog } from './ChangePasswordDialog.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}

/** Name and e-mail; opens a panel with the language switch, password change and sign-out. */
export function UserMenu({ user }: { user: User }) {
  const { t } = useTranslation();
  const signOut = useSignOut();
  const [open, setOpen] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  const item = 'flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100';
  // PIN and shared-till entries; on a shared till, no password change or sign-out (the till bar switches user).
  const till = useTillMenu(item, close);

  const onSignOut = async () => {
    setOpen(false);
    await signOut();
  };

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        onClick={() => setOpen((v) => !v)}
        aria-expanded={open}
        aria-label={t('userMenu.label')}
        data-testid="user-menu"
        className="flex w-full items-center gap-3 rounded-lg px-2 py-2 text-left hover:bg-slate-100"
      >
        <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700">
          {initials(user.name)}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium text-slate-900" data-testid="user-name">
            {user.name}
          </span>
          <span className="block truncate text-xs text-slate-500">{user.email}</span>
        </span>
        <ChevronUp className={`size-4 text-slate-400 transition-transform ${open ? '' : 'rotate-180'}`} aria-hidden="true" />
      </button>
      {open && (
        <div className="absolute inset-x-0 bottom-full z-30 mb-1 space-y-1 rounded-lg border border-slate-200 bg-white p-2 shadow-lg">
          <div className="px-1 py-1">
            <LanguageSwitch />
          </div>
          {till.items}
          {!till.inTill && (
            <>
              <button
                type="button"
                className={item}
                data-testid="change-password-button"
                onClick={() => {
                  setOpen(false);
                  setPasswordOpen(true);
                }}
              >
                <KeyRound className="size-4" aria-hidden="true" />
                {t('userMenu.changePassword')}
              </button>
              <button type="button" className={item} onClick={onSignOut} data-testid="logout-button">
                <LogOut className="size-4" aria-hidden="true" />
                {t('userMenu.logout')}
              </button>
            </>
          )}
        </div>
      )}
      <ChangePasswordDialog open={passwordOpen} onClose={() => setPasswordOpen(false)} />
      {till.dialogs}
    </div>
  );
}
