import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatMoney } from '../../lib/money.ts';
import type { Product } from '../../lib/types.ts';
import { LowStockBadge, MutedBadge } from './LowStockBadge.tsx';

const num = 'px-4 py-3 text-right tabular-nums';

/** One line of the products table; tinted amber when the product is low on stock. */
export function ProductRow({
  product: p,
  companyId,
  currency,
}: {
  product: Product;
  companyId: string;
  currency: string;
}) {
  const { t, i18n } = useTranslation();
  const stocked = p.kind === 'good';
  const qty = (n: number) => (stocked ? n : '—');
  return (
    <tr
      data-testid="product-row"
      data-product-id={p.id}
      data-low-stock={p.lowStock ? 'true' : 'false'}
      className={`align-middle ${p.lowStock ? 'bg-amber-50/80 hover:bg-amber-100/60' : 'hover:bg-slate-50'}`}
    >
      <td className={`px-4 py-3 ${p.lowStock ? 'border-l-4 border-l-amber-400' : 'border-l-4 border-l-transparent'}`}>
        <div className="flex flex-wrap items-center gap-2">
          <Link
            to={`/c/${companyId}/products/${p.id}`}
            className="font-medium text-slate-900 hover:text-teal-700 hover:underline"
            data-testid="product-link"
          >
            {p.name}
          </Link>
          {p.lowStock && <LowStockBadge />}
          {!stocked && <MutedBadge>{t('products.kinds.service')}</MutedBadge>}
          {!p.active && <MutedBadge>{t('products.inactive')}</MutedBadge>}
          {p.archivedAt && <MutedBadge>{t('products.archived')}</MutedBadge>}
        </div>
        <div className="text-xs text-slate-500 sm:hidden">{p.sku}</div>
      </td>
      <td className="hidden px-4 py-3 font-mono text-xs text-slate-600 sm:table-cell" data-testid="product-sku">
        {p.sku ?? ''}
      </td>
      <td className="hidden px-4 py-3 text-slate-600 md:table-cell">{p.category ?? ''}</td>
      <td className={`${num} whitespace-nowrap text-slate-900`} data-testid="product-price">
        {formatMoney(p.price, currency, i18n.language)}
      </td>
      <td className={`${num} hidden text-slate-600 sm:table-cell`} data-testid="product-on-hand">
        {qty(p.onHand)}
      </td>
      <td className={`${num} hidden text-slate-600 sm:table-cell`} data-testid="product-held">
        {qty(p.held)}
      </td>
      <td
        className={`${num} font-semibold ${p.lowStock ? 'text-amber-800' : 'text-slate-900'}`}
        data-testid="product-available"
      >
        {qty(p.available)}
      </td>
    </tr>
  );
}
