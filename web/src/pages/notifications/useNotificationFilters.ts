import { useMemo } from 'react';
import { type SetValue, useUrlFilters } from '../../lib/useUrlFilters.ts';
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
export type SetFilter = SetValue<FilterValues>;

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

/** The notification list filters, kept in the URL. */
export function useNotificationFilters() {
  const { values, set, clear } = useUrlFilters(fromParams, toParams, EMPTY);
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
