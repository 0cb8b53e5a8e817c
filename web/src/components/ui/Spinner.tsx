import { LoaderCircle } from 'lucide-react';
import { useTranslation } from 'react-i18next';

export function Spinner({ className }: { className?: string }) {
  return <LoaderCircle className={`size-5 animate-spin text-slate-400 ${className ?? ''}`} aria-hidden="true" />;
}

/** Centered loading state with an accessible label. */
export function PageLoader({ fullScreen }: { fullScreen?: boolean }) {
  const { t } = useTranslation();
  return (
    <div
      role="status"
      className={`flex items-center justify-center gap-2 text-sm text-slate-500 ${fullScreen ? 'min-h-screen' : 'py-16'}`}
    >
      <Spinner />
      <span>{t('common.loading')}</span>
    </div>
  );
}
