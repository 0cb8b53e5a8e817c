import { useTranslation } from 'react-i18next';
import type { Product } from '../../lib/types.ts';
import { LowStockBadge } from './LowStockBadge.tsx';

function StockCard({
  label,
  value,
  testId,
  tone,
}: {
  label: string;
  value: number;
  testId: string;
  tone?: 'low' | 'main';
}) {
  const box =
    tone === 'low'
      ? 'border-amber-300 bg-amber-50'
      : tone === 'main'
        ? 'border-teal-200 bg-teal-50/60'
        : 'border-slate-200 bg-white';
  const text = tone === 'low' ? 'text-amber-800' : 'text-slate-900';
  return (
    <div className={`rounded-xl border px-4 py-3 ${box}`}>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <div className={`mt-1 text-3xl font-semibold tabular-nums ${text}`} data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

/** En stock / réservé / disponible, with the low-stock warning when available is at or below the threshold. */
export function StockSummary({ product }: { product: Product }) {
  const { t } = useTranslation();
  return (
    <div className="space-y-3" data-testid="stock-summary" data-low-stock={product.lowStock ? 'true' : 'false'}>
      <div className="grid gap-3 sm:grid-cols-3">
        <StockCard label={t('products.stock.onHand')} value={product.onHand} testId="stock-on-hand" />
        <StockCard label={t('products.stock.held')} value={product.held} testId="stock-held" />
        <StockCard
          label={t('products.stock.available')}
          value={product.available}
          testId="stock-available"
          tone={product.lowStock ? 'low' : 'main'}
        />
      </div>
      {product.lowStock ? (
        <div className="flex flex-wrap items-center gap-2 text-sm text-amber-800">
          <LowStockBadge />
          <span>{t('products.stock.lowHint', { threshold: product.lowStockThreshold })}</span>
        </div>
      ) : (
        <p className="text-xs text-slate-500">
          {t('products.stock.thresholdHint', { threshold: product.lowStockThreshold })}
        </p>
      )}
    </div>
  );
}
