import { useMemo } from 'react';
import { type SetValue, useUrlFilters } from '../../lib/useUrlFilters.ts';
import { PRODUCT_KINDS, type ProductFilters, type ProductKind } from '../../lib/types.ts';

export const STATUSES = ['', 'active', 'inactive', 'archived'] as const;
export type Status = (typeof STATUSES)[number];

export type FilterValues = { q: string; category: string; kind: ProductKind | ''; status: Status; low: boolean };

export type SetFilter = SetValue<FilterValues>;

const EMPTY: FilterValues = { q: '', category: '', kind: '', status: '', low: false };

function fromParams(params: URLSearchParams): FilterValues {
  const kind = params.get('kind') ?? '';
  const status = params.get('status') ?? '';
  return {
    q: params.get('q') ?? '',
    category: params.get('category') ?? '',
    kind: (PRODUCT_KINDS as readonly string[]).includes(kind) ? (kind as ProductKind) : '',
    status: (STATUSES as readonly string[]).includes(status) ? (status as Status) : '',
    low: params.get('low') === '1',
  };
}

function toParams(v: FilterValues): URLSearchParams {
  const params = new URLSearchParams();
  if (v.q) params.set('q', v.q);
  if (v.category) params.set('category', v.category);
  if (v.kind) params.set('kind', v.kind);
  if (v.status) params.set('status', v.status);
  if (v.low) params.set('low', '1');
  return params;
}

/** The product list filters, kept in the URL (?q=&category=&kind=&status=&low=1). */
export function useProductFilters() {
  const { values, set, clear } = useUrlFilters(fromParams, toParams, EMPTY);
  const filters: ProductFilters = useMemo(
    () => ({
      search: values.q.trim() || undefined,
      category: values.category || undefined,
      kind: values.kind || undefined,
      active: values.status === 'active' ? true : values.status === 'inactive' ? false : undefined,
      archived: values.status === 'archived' ? true : undefined,
      lowStock: values.low || undefined,
    }),
    [values],
  );

  const active = Boolean(values.q || values.category || values.kind || values.status || values.low);
  return { values, filters, set, clear, active };
}
