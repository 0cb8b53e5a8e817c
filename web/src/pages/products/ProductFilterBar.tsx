import { Search } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/Button.tsx';
import { inputClass, Select } from '../../components/ui/Field.tsx';
import { PRODUCT_KINDS, type ProductKind } from '../../lib/types.ts';
import { type FilterValues, type SetFilter, STATUSES, type Status } from './useProductFilters.ts';

const SEARCH_DELAY_MS = 300;

type Props = {
  values: FilterValues;
  categories: string[];
  set: SetFilter;
  clear: () => void;
  active: boolean;
};

/** Search (name or SKU, debounced), category, kind, status and "Stock bas". */
export function ProductFilterBar({ values, categories, set, clear, active }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState(values.q);
  const pushed = useRef(values.q);

  // Follow the URL when it changes from elsewhere (back button, "clear filters"),
  // not when it catches up with what was typed (the user may have typed on since).
  useEffect(() => {
    if (values.q !== pushed.current) {
      pushed.current = values.q;
      setText(values.q);
    }
  }, [values.q]);

  useEffect(() => {
    if (text === pushed.current) return;
    const timer = setTimeout(() => {
      pushed.current = text;
      set('q', text);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, set]);

  const categoryOptions =
    values.category && !categories.includes(values.category) ? [values.category, ...categories] : categories;

  return (
    <div className="space-y-3" data-testid="product-filters">
      <label className="relative block">
        <span className="sr-only">{t('products.filters.search')}</span>
        <Search
          className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400"
          aria-hidden="true"
        />
        <input
          type="search"
          name="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('products.filters.searchPlaceholder')}
          className={`${inputClass} pl-9`}
          data-testid="product-search"
        />
      </label>
      <div className="grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-center">
        <div className="col-span-2 sm:w-56">
          <Select
            name="category"
            value={values.category}
            onChange={(e) => set('category', e.target.value)}
            aria-label={t('products.filters.category')}
          >
            <option value="">{t('products.filters.allCategories')}</option>
            {categoryOptions.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        </div>
        <div className="sm:w-44">
          <Select
            name="kind"
            value={values.kind}
            onChange={(e) => set('kind', e.target.value as ProductKind | '')}
            aria-label={t('products.filters.kind')}
          >
            <option value="">{t('products.filters.allKinds')}</option>
            {PRODUCT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`products.kinds.${k}`)}
              </option>
            ))}
          </Select>
        </div>
        <div className="sm:w-52">
          <Select
            name="status"
            value={values.status}
            onChange={(e) => set('status', e.target.value as Status)}
            aria-label={t('products.filters.status')}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`products.filters.statuses.${s || 'all'}`)}
              </option>
            ))}
          </Select>
        </div>
        <label
          className={`flex cursor-pointer items-center gap-2 rounded-lg whitespace-nowrap border px-3 py-2 text-sm font-medium ${
            values.low ? 'border-amber-300 bg-amber-50 text-amber-900' : 'border-slate-300 bg-white text-slate-700'
          }`}
        >
          <input
            type="checkbox"
            name="lowStock"
            checked={values.low}
            onChange={(e) => set('low', e.target.checked)}
            className="size-4 rounded border-slate-300 accent-amber-600"
            data-testid="low-stock-filter"
          />
          {t('products.filters.lowStock')}
        </label>
        {active && (
          <Button variant="ghost" size="sm" onClick={clear}>
            {t('products.filters.clear')}
          </Button>
        )}
      </div>
    </div>
  );
}
