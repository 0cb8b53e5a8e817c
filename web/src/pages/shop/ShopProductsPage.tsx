import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Search } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { inputClass } from '../../components/ui/Field.tsx';
import { Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { shopApi } from '../../lib/shop.ts';
import { ProductCard } from './ProductCard.tsx';
import { shopKeys, useShop } from './useShopState.ts';

const SEARCH_DELAY_MS = 300;

/** /shop/:slug — the catalog as a grid, with a search box and category chips. */
export function ShopProductsPage() {
  const { t } = useTranslation();
  const { slug, shop } = useShop();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');

  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const products = useQuery({
    queryKey: [...shopKeys.products(slug), search],
    queryFn: ({ signal }) => shopApi.products(slug, search, signal),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });

  const items = products.data ?? [];
  const categories = useMemo(
    () => [...new Set(items.map((p) => p.category).filter((c): c is string => !!c))].sort(),
    [items],
  );
  const shown = category ? items.filter((p) => p.category === category) : items;

  return (
    <div className="space-y-4">
      <label className="relative block">
        <span className="sr-only">{t('shop.search')}</span>
        <Search
          className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400"
          aria-hidden="true"
        />
        <input
          type="search"
          name="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('shop.searchPlaceholder')}
          className={`${inputClass} h-11 rounded-full pl-9 text-base sm:text-sm`}
          data-testid="shop-search"
          enterKeyHint="search"
        />
        {products.isFetching && !products.isPending && (
          <Spinner className="absolute top-1/2 right-3 size-4 -translate-y-1/2" />
        )}
      </label>

      {categories.length > 1 && (
        <div className="-mx-4 flex gap-2 overflow-x-auto px-4 pb-1" data-testid="shop-categories">
          {['', ...categories].map((c) => (
            <button
              key={c || '*'}
              type="button"
              onClick={() => setCategory(c)}
              aria-pressed={category === c}
              className={`shrink-0 rounded-full border px-3 py-1 text-sm ${
                category === c
                  ? 'border-teal-600 bg-teal-600 text-white'
                  : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-100'
              }`}
            >
              {c || t('shop.allCategories')}
            </button>
          ))}
        </div>
      )}

      {products.isPending ? (
        <div className="flex justify-center py-16">
          <Spinner />
        </div>
      ) : products.isError ? (
        <div className="space-y-3">
          <Alert>{errorMessage(products.error, t)}</Alert>
          <Button variant="secondary" onClick={() => void products.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : shown.length === 0 ? (
        <p className="py-16 text-center text-sm text-slate-500" data-testid="shop-empty">
          {search || category ? t('shop.emptySearch') : t('shop.empty')}
        </p>
      ) : (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="shop-products">
          {shown.map((p) => (
            <li key={p.id} className="flex">
              <ProductCard product={p} currency={shop?.currency ?? 'XOF'} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
