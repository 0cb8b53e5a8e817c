import { Trash2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../lib/money.ts';
import { formatPercent } from '../../lib/percent.ts';
import type { Sale, SaleItem } from '../../lib/sales.ts';
import { PendingSyncMark } from '../../components/offline/PendingSyncMark.tsx';

type ItemsProps = {
  items: SaleItem[];
  currency: string;
  /** Set while the sale is open: each line gets a remove button. */
  onRemove?: (item: SaleItem) => void;
  busy?: boolean;
  emptyText: string;
  /** An extra control per line (the discount button while the sale is open). */
  lineAction?: (item: SaleItem) => ReactNode;
};

/** The sale's lines: quantity × name (note), line total, remove. */
export function SaleItems({ items, currency, onRemove, busy, emptyText, lineAction }: ItemsProps) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p className="py-4 text-center text-sm text-slate-500" data-testid="sale-items-empty">{emptyText}</p>;
  return (
    <ul className="divide-y divide-slate-100" data-testid="sale-items">
      {items.map((item) => (
        <li
          key={item.id}
          className="flex items-center gap-3 py-2"
          data-testid="sale-item"
          data-product-id={item.productId}
          data-item-id={item.id}
          data-quantity={item.quantity}
          data-pending-sync={item.pendingSync ? 'true' : undefined}
        >
          <span className="w-10 shrink-0 text-right font-semibold tabular-nums text-slate-900" data-testid="sale-item-quantity">
            {item.quantity}×
          </span>
          <div className="min-w-0 flex-1">
            <p className="truncate text-sm font-medium text-slate-900">{item.name}</p>
            <p className="text-xs text-slate-500">
              {formatMoney(item.unitPrice, currency, i18n.language)}
              {item.note && <span className="ml-2 italic text-slate-600" data-testid="sale-item-note">« {item.note} »</span>}
            </p>
            {item.discount && item.discount.amount > 0 && (
              <p className="text-xs text-teal-800" data-testid="sale-item-discount-line" data-amount={item.discount.amount}>
                {t('sales.discount.label')}
                {item.discount.kind === 'percent' && ` ${formatPercent(item.discount.value, i18n.language)}`} −
                {formatMoney(item.discount.amount, currency, i18n.language)}
                {item.discount.reason && <span className="text-slate-500"> · {item.discount.reason}</span>}
                {item.discount.approvedBy && <span className="text-slate-500"> · {t('sales.discount.approvedBy', { name: item.discount.approvedBy.name })}</span>}
              </p>
            )}
            {item.pendingSync && <PendingSyncMark />}
          </div>
          <span className="shrink-0 text-right text-sm font-semibold tabular-nums text-slate-900" data-testid="sale-item-total" data-amount={item.lineTotal}>
            {item.discount && item.discount.amount > 0 && (
              <s className="block text-xs font-normal text-slate-400">{formatMoney(item.unitPrice * item.quantity, currency, i18n.language)}</s>
            )}
            {formatMoney(item.lineTotal, currency, i18n.language)}
          </span>
          {lineAction?.(item)}
          {onRemove && !item.pendingSync && (
            <button
              type="button"
              onClick={() => onRemove(item)}
              disabled={busy}
              className="shrink-0 rounded-md p-2 text-red-600 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-teal-600 disabled:opacity-50"
              aria-label={t('sales.till.remove', { name: item.name })}
              title={t('sales.till.remove', { name: item.name })}
              data-testid="sale-item-remove"
            >
              <Trash2 className="size-4" aria-hidden="true" />
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Totals with the tax breakdown per rate (HT, TVA, TTC), what was paid and what is due. */
export function SaleTotals({ sale, currency }: { sale: Sale; currency: string }) {
  const { t, i18n } = useTranslation();
  const money = (n: number) => formatMoney(n, currency, i18n.language);
  const cell = 'px-2 py-1 text-right tabular-nums';
  return (
    <div className="space-y-3" data-testid="sale-totals">
      {sale.totals.byRate.length > 0 && (
        <table className="w-full text-xs text-slate-600" data-testid="sale-tax-breakdown">
          <thead>
            <tr className="text-slate-500">
              <th scope="col" className="px-2 py-1 text-left font-medium">{t('sales.totals.rate')}</th>
              <th scope="col" className={`${cell} font-medium`}>{t('sales.totals.ht')}</th>
              <th scope="col" className={`${cell} font-medium`}>{t('sales.totals.tva')}</th>
              <th scope="col" className={`${cell} font-medium`}>{t('sales.totals.ttc')}</th>
            </tr>
          </thead>
          <tbody>
            {sale.totals.byRate.map((r) => (
              <tr key={r.rate} data-testid="sale-tax-rate" data-rate={r.rate}>
                <td className="px-2 py-1">{formatPercent(r.rate, i18n.language)}</td>
                <td className={cell}>{money(r.ht)}</td>
                <td className={cell}>{money(r.tva)}</td>
                <td className={cell}>{money(r.ttc)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="space-y-1 text-sm">
        {(sale.discountTotal ?? 0) > 0 && (
          <>
            <div className="flex justify-between text-slate-600">
              <dt>{t('sales.totals.subtotal')}</dt>
              <dd className="tabular-nums" data-testid="sale-subtotal">{money(sale.totals.ttc + (sale.discountTotal ?? 0))}</dd>
            </div>
            {sale.discount && sale.discount.amount > 0 && (
              <div className="flex justify-between gap-3 text-teal-800" data-testid="sale-discount" data-amount={sale.discount.amount}>
                <dt className="min-w-0">
                  {t('sales.discount.label')}
                  {sale.discount.kind === 'percent' && ` ${formatPercent(sale.discount.value, i18n.language)}`}
                  {sale.discount.reason && <span className="text-slate-500"> · {sale.discount.reason}</span>}
                  {sale.discount.approvedBy && <span className="text-slate-500"> · {t('sales.discount.approvedBy', { name: sale.discount.approvedBy.name })}</span>}
                </dt>
                <dd className="shrink-0 tabular-nums">−{money(sale.discount.amount)}</dd>
              </div>
            )}
            <div className="flex justify-between text-teal-800">
              <dt>{t('sales.totals.discounts')}</dt>
              <dd className="tabular-nums" data-testid="sale-discount-total" data-amount={sale.discountTotal}>−{money(sale.discountTotal ?? 0)}</dd>
            </div>
          </>
        )}
        <div className="flex justify-between text-slate-600">
          <dt>{t('sales.totals.totalHt')}</dt>
          <dd className="tabular-nums" data-testid="sale-total-ht">{money(sale.totals.ht)}</dd>
        </div>
        <div className="flex justify-between text-slate-600">
          <dt>{t('sales.totals.totalTva')}</dt>
          <dd className="tabular-nums" data-testid="sale-total-tva">{money(sale.totals.tva)}</dd>
        </div>
        <div className="flex justify-between text-lg font-semibold text-slate-900">
          <dt>{t('sales.totals.totalTtc')}</dt>
          <dd className="tabular-nums" data-testid="sale-total" data-amount={sale.totals.ttc}>{money(sale.totals.ttc)}</dd>
        </div>
        {sale.paid > 0 && (
          <div className="flex justify-between text-slate-600">
            <dt>{t('sales.totals.paid')}</dt>
            <dd className="tabular-nums" data-testid="sale-paid">{money(sale.paid)}</dd>
          </div>
        )}
        <div className={`flex justify-between font-semibold ${sale.due > 0 ? 'text-red-700' : 'text-emerald-700'}`}>
          <dt>{t('sales.totals.due')}</dt>
          <dd className="tabular-nums" data-testid="sale-due" data-amount={sale.due}>{money(sale.due)}</dd>
        </div>
        {(sale.tips ?? 0) > 0 && (
          <div className="flex justify-between text-slate-600">
            <dt>{t('sales.totals.tips')}</dt>
            <dd className="tabular-nums" data-testid="sale-tips" data-amount={sale.tips}>{money(sale.tips ?? 0)}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}
