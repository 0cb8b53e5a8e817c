import { ShoppingBag } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/Button.tsx';
import { formatMoney } from '../../lib/money.ts';
import type { ShopProduct } from '../../lib/shop.ts';
import { useShop } from './useShopState.ts';

/** One product of the grid: picture, name, category, price, availability, "Ajouter au panier". */
export function ProductCard({ product: p, currency }: { product: ShopProduct; currency: string }) {
  const { t, i18n } = useTranslation();
  const { add, busy } = useShop();
  const adding = busy === `add:${p.id}`;
  const showCount = p.inStock && p.kind === 'good' && typeof p.available === 'number';
  return (
    <article
      className={`flex w-full flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm ${
        p.inStock ? '' : 'opacity-80'
      }`}
      data-testid="shop-product"
      data-product-id={p.id}
      data-in-stock={p.inStock ? 'true' : 'false'}
    >
      <div className="relative flex aspect-[4/3] items-center justify-center bg-slate-100">
        {p.imageUrl ? (
          <img src={p.imageUrl} alt="" loading="lazy" className="size-full object-cover" />
        ) : (
          <ShoppingBag className="size-8 text-slate-300" aria-hidden="true" />
        )}
        {!p.inStock && (
          <span
            className="absolute top-2 left-2 rounded-full bg-red-600 px-2 py-0.5 text-xs font-semibold text-white"
            data-testid="out-of-stock-badge"
          >
            {t('shop.outOfStock')}
          </span>
        )}
      </div>
      <div className="flex flex-1 flex-col gap-1 p-3">
        {p.category && <p className="truncate text-xs text-slate-500">{p.category}</p>}
        <h2 className="line-clamp-2 text-sm font-semibold text-slate-900" data-testid="shop-product-name">
          {p.name}
        </h2>
        <p className="text-base font-bold text-slate-900 tabular-nums" data-testid="shop-product-price">
          {formatMoney(p.price, currency, i18n.language)}
        </p>
        <p
          className={`text-xs ${p.inStock ? 'text-emerald-700' : 'font-medium text-red-700'}`}
          data-testid="shop-product-availability"
        >
          {!p.inStock
            ? t('shop.outOfStock')
            : showCount
              ? t('shop.availableCount', { count: p.available ?? 0 })
              : p.kind === 'service'
                ? t('shop.service')
                : t('shop.inStock')}
        </p>
        <div className="mt-auto pt-2">
          <Button
            className="w-full"
            size="sm"
            disabled={!p.inStock}
            loading={adding}
            onClick={() => void add(p.id)}
            data-testid="add-to-cart"
          >
            {t('shop.addToCart')}
          </Button>
        </div>
      </div>
    </article>
  );
}
