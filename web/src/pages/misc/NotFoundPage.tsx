import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { buttonClass } from '../../components/ui/Button.tsx';
import { usePageTitle } from '../../lib/hooks.ts';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle('notFound.title');
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-3 p-6 text-center" data-testid="not-found">
      <p className="text-5xl font-bold text-teal-600">404</p>
      <h1 className="text-xl font-semibold">{t('notFound.title')}</h1>
      <p className="text-sm text-slate-600">{t('notFound.body')}</p>
      <Link to="/" className={buttonClass('secondary')}>
        {t('common.backHome')}
      </Link>
    </main>
  );
}
