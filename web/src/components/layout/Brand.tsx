import { Store } from 'lucide-react';
import { useTranslation } from 'react-i18next';

export function Brand({ compact }: { compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="flex items-center gap-2">
      <span className="flex size-8 items-center justify-center rounded-lg bg-teal-600 text-white">
        <Store className="size-4.5" aria-hidden="true" />
      </span>
      {!compact && <span className="text-lg font-semibold tracking-tight text-slate-900">{t('app.name')}</span>}
    </div>
  );
}
