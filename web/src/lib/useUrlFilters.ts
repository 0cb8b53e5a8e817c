import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';

export type SetValue<V> = <K extends keyof V>(key: K, value: V[K]) => void;

/**
 * List filters as local state (controls update at once) mirrored in the URL
 * (replaced, not pushed) so reload and back keep them. A URL change that is not one of
 * ours (a link to the bare list) resets them from the URL.
 */
export function useUrlFilters<V extends object>(fromParams: (p: URLSearchParams) => V, toParams: (v: V) => URLSearchParams, empty: V) {
  const [params, setParams] = useSearchParams();
  const [values, setValues] = useState<V>(() => fromParams(params));
  const pending = useRef<string[]>([]);
  const search = params.toString();
  const parse = useRef(fromParams);
  parse.current = fromParams;

  useEffect(() => {
    const index = pending.current.indexOf(search);
    if (index >= 0) {
      pending.current = pending.current.slice(index + 1);
      return;
    }
    pending.current = [];
    setValues(parse.current(new URLSearchParams(search)));
  }, [search]);

  const current = useRef(values);
  current.current = values;
  const serialize = useRef(toParams);
  serialize.current = toParams;
  const apply = useCallback(
    (next: V) => {
      current.current = next;
      setValues(next);
      const text = serialize.current(next).toString();
      pending.current.push(text);
      setParams(text, { replace: true });
    },
    [setParams],
  );
  const set: SetValue<V> = useCallback((key, value) => apply({ ...current.current, [key]: value }), [apply]);
  const clear = useCallback(() => apply(empty), [apply, empty]);
  return { values, set, clear };
}
