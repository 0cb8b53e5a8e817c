import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  NOTIFICATION_PRIORITIES,
  NOTIFICATION_TYPES,
  type NotificationFilters,
  type NotificationPriority,
} from '../../lib/types.ts';

export const READ_STATES = ['', 'unread', 'read'] as const;
export type ReadState = (typeof READ_STATES)[number];

export type FilterValues = {
  type: string;
  read: ReadState;
  priority: NotificationPriority | '';
  area: string;
  server: string;
  archived: boolean;
};
export type SetFilter = <K extends keyof FilterValues>(key: K, value: FilterValues[K]) => void;

const EMPTY: FilterValues = { type: '', read: '', priority: '', area: '', server: '', archived: false };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An area or server filter is sent only when it is a well-formed id. */
export function isValidId(text: string): boolean {
  return text.trim() === '' || UUID.test(text.trim());
}

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | '' =>
  value && (allowed as readonly string[]).includes(value) ? (value as T) : '';

function fromParams(params: URLSearchParams): FilterValues {
  return {
    type: pick(params.get('type'), NOTIFICATION_TYPES),
    read: pick(params.get('read'), READ_STATES),
    priority: pick(params.get('priority'), NOTIFICATION_PRIORITIES),
    area: params.get('area') ?? '',
    server: params.get('server') ?? '',
    archived: params.get('archived') === '1',
  };
}

function toParams(v: FilterValues): URLSearchParams {
  const params = new URLSearchParams();
  if (v.type) params.set('type', v.type);
  if (v.read) params.set('read', v.read);
  if (v.priority) params.set('priority', v.priority);
  if (v.area) params.set('area', v.area);
  if (v.server) params.set('server', v.server);
  if (v.archived) params.set('archived', '1');
  return params;
}

/**
 * The notification list filters, local state mirrored in the URL (replaced, not
 * pushed; see useProductFilters for why the URL is followed only when it changes
 * from elsewhere).
 */
export function useNotificationFilters() {
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

  const filters: NotificationFilters = useMemo(() => {
    const area = values.area.trim();
    const server = values.server.trim();
    return {
      type: values.type || undefined,
      unread: values.read === 'unread' ? true : values.read === 'read' ? false : undefined,
      priority: values.priority || undefined,
      archived: values.archived || undefined,
      areaId: area && isValidId(area) ? area : undefined,
      serverId: server && isValidId(server) ? server : undefined,
    };
  }, [values]);

  const active = Boolean(
    values.type || values.read || values.priority || values.area || values.server || values.archived,
  );
  return { values, filters, set, clear, active };
}
