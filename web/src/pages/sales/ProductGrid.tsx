import { Search } from 'lucide-react';
import { type KeyboardEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { inputClass } from '../../components/ui/Field.tsx';
import { Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useProductCategories, useProducts } from '../../lib/catalogQueries.ts';
import { formatMoney } from '../../lib/money.ts';
import type { Product } from '../../lib/types.ts';

const SEARCH_DELAY_MS = 250;
const chip =
  'shrink-0 rounded-full border px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-teal-600';

export type ProductPick = { product: Product; quantity: number; note?: string };

/** A good with nothing available cannot be sold (services always can). */
export function isUnavailable(p: Product): boolean {
  return p.kind === 'good' && p.available <= 0;
}

type Props = { companyId: string; currency: string; disabled: boolean; onPick: (pick: ProductPick) => void };

/** The till's product grid: active products, search, category chips, next item's quantity and note. */
export function ProductGrid({ companyId, currency, disabled, onPick }: Props) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [note, setNote] = useState('');
  const categories = useProductCategories(companyId);
  const products = useProducts(companyId, {
    active: true,
    search: search || undefined,
    category: category || undefined,
  });

  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const items = products.data?.pages.flatMap((p) => p.items) ?? [];
  const pick = (product: Product) => {
    const qty = Math.max(1, Math.min(999, Math.floor(Number(quantity)) || 1));
    onPick({ product, quantity: qty, note: note.trim() || undefined });
    setQuantity('1');
    setNote('');
  };
  // Enter in the search box adds the only available match.
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const matches = items.filter((p) => !isUnavailable(p));
    if (matches.length === 1 && search === text.trim() && !disabled) pick(matches[0]!);
  };

  return (
    <section className="space-y-3" aria-labelledby="till-products" data-testid="till-products">
      <h2 id="till-products" className="sr-only">
        {t('sales.till.products')}
      </h2>
      <label className="relative block">
        <span className="sr-only">{t('sales.till.search')}</span>
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" aria-hidden="true" />
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onSearchKey}
          placeholder={t('sales.till.searchPlaceholder')}
          className={`${inputClass} pl-9`}
          data-testid="till-search"
        />
      </label>
      {(categories.data?.length ?? 0) > 0 && (
        <fieldset className="flex min-w-0 gap-2 overflow-x-auto pb-1">
          <legend className="sr-only">{t('products.filters.category')}</legend>
          {['', ...(categories.data ?? [])].map((c) => (
            <button
              key={c || 'all'}
              type="button"
              aria-pressed={category === c}
              onClick={() => setCategory(c)}
              className={`${chip} ${category === c ? 'border-teal-600 bg-teal-600 text-white' : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50'}`}
              data-testid="till-category"
            >
              {c || t('sales.till.allCategories')}
            </button>
          ))}
        </fieldset>
      )}
      <div className="grid grid-cols-[6rem_1fr] gap-2" title={t('sales.till.nextItem')}>
        <label className="text-xs font-medium text-slate-600">
          {t('sales.till.quantity')}
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={999}
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            className={`${inputClass} mt-1`}
            data-testid="till-quantity"
          />
        </label>
        <label className="text-xs font-medium text-slate-600">
          {t('sales.till.note')}
          <input
            value={note}
            maxLength={200}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('sales.till.notePlaceholder')}
            className={`${inputClass} mt-1`}
            data-testid="till-note"
          />
        </label>
      </div>

      {products.isError && <Alert>{errorMessage(products.error, t)}</Alert>}
      {products.isPending ? (
        <div className="flex justify-center py-8">
          <Spinner />
        </div>
      ) : (
        <ul className="grid grid-cols-[repeat(auto-fill,minmax(8.5rem,1fr))] gap-2" aria-busy={products.isFetching}>
          {items.map((p) => {
            const unavailable = isUnavailable(p);
            return (
              <li key={p.id}>
                <button
                  type="button"
                  onClick={() => pick(p)}
                  disabled={disabled || unavailable}
                  className="flex h-full min-h-20 w-full flex-col items-start justify-between gap-1 rounded-lg border border-slate-200 bg-white p-3 text-left shadow-sm hover:border-teal-400 hover:bg-teal-50 focus-visible:outline-2 focus-visible:outline-teal-600 disabled:cursor-not-allowed disabled:bg-slate-100 disabled:opacity-60"
                  data-testid="till-product"
                  data-product-id={p.id}
                  data-unavailable={unavailable ? 'true' : 'false'}
                >
                  <span className="line-clamp-2 text-sm font-medium text-slate-900">{p.name}</span>
                  <span className="text-sm font-semibold tabular-nums text-slate-900">
                    {formatMoney(p.price, currency, i18n.language)}
                  </span>
                  {p.kind === 'good' && (
                    <span
                      className={`text-xs ${unavailable ? 'font-medium text-red-700' : p.lowStock ? 'text-amber-700' : 'text-slate-500'}`}
                    >
                      {unavailable ? t('sales.till.unavailable') : t('sales.till.available', { count: p.available })}
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {!products.isPending && items.length === 0 && (
        <p className="py-6 text-center text-sm text-slate-500">{t('sales.till.noProducts')}</p>
      )}
      {products.hasNextPage && (
        <div className="text-center">
          <Button variant="secondary" size="sm" loading={products.isFetchingNextPage} onClick={() => void products.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </section>
  );
}
