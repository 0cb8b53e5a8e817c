import { TriangleAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';

/** Amber "Stock bas" pill, shown on goods whose available quantity is at or below their threshold. */
export function LowStockBadge() {
  const { t } = useTranslation();
  return (
    <span
      className="inline-flex items-center gap-1 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-300/60 ring-inset"
      data-testid="low-stock-badge"
    >
      <TriangleAlert className="size-3" aria-hidden="true" />
      {t('products.lowStock')}
    </span>
  );
}

/** Small grey pill: "Inactif", "Archivé", "Service"… */
export function MutedBadge({ children, testId }: { children: string; testId?: string }) {
  return (
    <span
      className="inline-flex rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600"
      data-testid={testId}
    >
      {children}
    </span>
  );
}
