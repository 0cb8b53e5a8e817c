import { QrCode, Store } from 'lucide-react';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../components/layout/LanguageSwitch.tsx';

/** Phone-first frame of the public payment pages: the business name, the page, the language switch. */
export function PayFrame({ business, children }: { business?: string; children: ReactNode }) {
  const { t } = useTranslation();

  useEffect(() => {
    document.title = business ? `${business} · ${t('pay.title')}` : t('pay.title');
  }, [business, t]);

  return (
    <div className="flex min-h-screen flex-col bg-slate-50" data-testid="pay">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-md items-center gap-2 px-4 py-3">
          <Store className="size-5 shrink-0 text-teal-600" aria-hidden="true" />
          <span className="min-w-0 flex-1 truncate text-lg font-semibold" data-testid="pay-business">
            {business ?? t('pay.title')}
          </span>
        </div>
      </header>
      <main className="mx-auto w-full max-w-md flex-1 px-4 pt-4 pb-10">{children}</main>
      <footer className="flex justify-center px-4 pb-6">
        <LanguageSwitch />
      </footer>
    </div>
  );
}

/** Grey placeholders while the first answer is on its way (slow networks). */
export function PaySkeleton() {
  const { t } = useTranslation();
  return (
    <div className="animate-pulse space-y-4" role="status" data-testid="pay-loading">
      <span className="sr-only">{t('common.loading')}</span>
      <div className="h-20 rounded-xl bg-slate-200" />
      <div className="h-12 rounded-xl bg-slate-200" />
      <div className="h-12 rounded-xl bg-slate-200" />
      <div className="h-12 rounded-xl bg-slate-200" />
    </div>
  );
}

/** A full-page message (unknown link, finished session…). */
export function PayMessage({
  title,
  body,
  icon,
  testId,
  children,
}: {
  title: string;
  body?: string;
  icon?: ReactNode;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center gap-3 pt-10 text-center" data-testid={testId}>
      {icon ?? <QrCode className="size-12 text-slate-300" aria-hidden="true" />}
      <h1 className="text-xl font-semibold">{title}</h1>
      {body && <p className="text-sm text-slate-600">{body}</p>}
      {children}
    </div>
  );
}
