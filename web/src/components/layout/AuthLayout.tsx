import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../lib/hooks.ts';
import { Brand } from './Brand.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

type Props = { titleKey: string; subtitleKey?: string; children: ReactNode; footer?: ReactNode; wide?: boolean };

/** Centered card used by sign-in, registration, password reset and company creation. */
export function AuthLayout({ titleKey, subtitleKey, children, footer, wide }: Props) {
  const { t } = useTranslation();
  usePageTitle(titleKey);
  return (
    <div className="flex min-h-screen flex-col bg-gradient-to-b from-teal-50 to-slate-50">
      <header className="flex items-center justify-between px-4 py-4 sm:px-8">
        <Brand />
        <LanguageSwitch />
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pb-12 sm:items-center">
        <div className={`w-full ${wide ? 'max-w-lg' : 'max-w-md'}`}>
          <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{t(titleKey)}</h1>
            {subtitleKey && <p className="mt-1 text-sm text-slate-500">{t(subtitleKey)}</p>}
            <div className="mt-6">{children}</div>
          </div>
          {footer && <div className="mt-4 text-center text-sm text-slate-600">{footer}</div>}
        </div>
      </main>
    </div>
  );
}
