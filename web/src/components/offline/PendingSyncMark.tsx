import { CloudOff, TriangleAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';

/** "En attente de synchronisation" (or "À corriger") next to what the offline queue still holds. */
export function PendingSyncMark({ failed = false, compact = false }: { failed?: boolean; compact?: boolean }) {
  const { t } = useTranslation();
  const label = failed ? t('offline.saleFailed') : t('offline.pending');
  const Icon = failed ? TriangleAlert : CloudOff;
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full font-medium whitespace-nowrap ${failed ? 'bg-red-100 text-red-800' : 'bg-amber-100 text-amber-900'} ${compact ? 'px-1.5 py-px text-[10px]' : 'px-2 py-0.5 text-xs'}`}
      title={label}
      data-testid="pending-sync"
      data-failed={failed ? 'true' : 'false'}
    >
      <Icon className={compact ? 'size-3' : 'size-3.5'} aria-hidden="true" />
      <span className={compact ? 'sr-only' : undefined}>{label}</span>
    </span>
  );
}
