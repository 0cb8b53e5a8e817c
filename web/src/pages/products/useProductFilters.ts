import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { PRODUCT_KINDS, type ProductFilters, type ProductKind } from '../../lib/types.ts';

export const STATUSES = ['', 'active', 'inactive', 'archived'] as const;
export type Status = (typeof STATUSES)[number];

export type FilterValues = { q: string; category: string; kind: ProductKind | ''; status: Status; low: boolean };

export type SetFilter = <K extends keyof FilterValues>(key: K, value: FilterValues[K]) => void;

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

/**
 * The list filters. State is local (controls update at once) and mirrored in the URL
 * (?q=&category=&kind=&status=&low=1, replaced, not pushed) so reload and back keep
 * them; a URL change that is not one of ours (a link to the bare list) resets them.
 */
export function useProductFilters() {
  const [params, setParams] = useSearchParams();
  const [values, setValues] = useState<FilterValues>(() => fromParams(params));
  const pending = useRef<string[]>([]);
  const search = params.toString();

  useEffect(() => {
    const index = pending.current.indexOf(search);
    if (index >= 0) {
      pending.current = pending.current.slice(index + 1);
      return;
    }
    pending.current = [];
    setValues(fromParams(new URLSearchParams(search)));
  }, [search]);

  const current = useRef(values);
  current.current = values;

  const apply = useCallback(
    (next: FilterValues) => {
      current.current = next;
      setValues(next);
      const text = toParams(next).toString();
      pending.current.push(text);
      setParams(text, { replace: true });
    },
    [setParams],
  );
  const set: SetFilter = useCallback((key, value) => apply({ ...current.current, [key]: value }), [apply]);
  const clear = useCallback(() => apply(EMPTY), [apply]);

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
