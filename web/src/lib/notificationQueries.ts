import {
  type InfiniteData,
  keepPreviousData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import {
  archiveNotification,
  getNotificationCount,
  getNotificationPreferences,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  markNotificationUnread,
  updateNotificationPreferences,
} from './notifications.ts';
import { qk } from './queryKeys.ts';
import type { AppNotification, NotificationCount, NotificationFilters, NotificationPreferences, Page } from './types.ts';

const PAGE_SIZE = 30;
/** What the bell's dropdown shows. */
export const LATEST_COUNT = 5;

/**
 * The unread badge. No polling: `notification_count` frames write it (see
 * NotificationsLiveSync) and the stream's polling fallback invalidates it when degraded.
 */
export function useNotificationCount(companyId: string) {
  return useQuery({
    queryKey: qk.notificationCount(companyId),
    queryFn: () => getNotificationCount(companyId),
    staleTime: 30_000,
  });
}

/** The 5 latest (not archived) for the bell's dropdown; fetched while it is open. */
export function useLatestNotifications(companyId: string, enabled = true) {
  return useQuery({
    queryKey: qk.notificationLatest(companyId),
    queryFn: async () => (await listNotifications(companyId, { limit: LATEST_COUNT })).items,
    enabled,
  });
}

export function useNotifications(companyId: string, filters: NotificationFilters) {
  return useInfiniteQuery({
    queryKey: qk.notificationList(companyId, filters),
    queryFn: ({ pageParam }) => listNotifications(companyId, { ...filters, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useNotificationPreferences(companyId: string) {
  return useQuery({
    queryKey: qk.notificationPreferences(companyId),
    queryFn: () => getNotificationPreferences(companyId),
    staleTime: 5 * 60_000,
  });
}

export function useSaveNotificationPreferences(companyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (prefs: NotificationPreferences) => updateNotificationPreferences(companyId, prefs),
    onSuccess: (saved) => queryClient.setQueryData(qk.notificationPreferences(companyId), saved),
  });
}

/**
 * Writes a notification the server returned into every cached list (an archived one
 * leaves the lists that hide archived ones), then refetches them and the count.
 */
function storeNotification(queryClient: QueryClient, companyId: string, n: AppNotification) {
  const update = (items: AppNotification[], drop: boolean) =>
    drop ? items.filter((item) => item.id !== n.id) : items.map((item) => (item.id === n.id ? n : item));
  const lists = queryClient.getQueriesData<InfiniteData<Page<AppNotification>>>({
    queryKey: [...qk.notifications(companyId), 'list'],
  });
  for (const [key, old] of lists) {
    if (!old) continue;
    const drop = n.archivedAt !== null && (key[4] as NotificationFilters | undefined)?.archived !== true;
    queryClient.setQueryData(key, { ...old, pages: old.pages.map((p) => ({ ...p, items: update(p.items, drop) })) });
  }
  queryClient.setQueryData<AppNotification[]>(qk.notificationLatest(companyId), (old) => old && update(old, n.archivedAt !== null));
  void queryClient.invalidateQueries({ queryKey: qk.notifications(companyId) });
}

/** Refetch every notification query (lists, latest, count) of the company. */
export function useRefreshNotifications(companyId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    () => void queryClient.invalidateQueries({ queryKey: qk.notifications(companyId) }),
    [queryClient, companyId],
  );
}

/** Read / unread / archive one notification; mark all (or all of one type) read. */
export function useNotificationActions(companyId: string) {
  const queryClient = useQueryClient();
  const stored = (n: AppNotification) => storeNotification(queryClient, companyId, n);
  const setRead = useMutation({
    mutationFn: ({ id, read }: { id: string; read: boolean }) =>
      read ? markNotificationRead(companyId, id) : markNotificationUnread(companyId, id),
    onSuccess: stored,
  });
  const archive = useMutation({
    mutationFn: (id: string) => archiveNotification(companyId, id),
    onSuccess: stored,
  });
  const markAllRead = useMutation({
    mutationFn: (type?: string) => markAllNotificationsRead(companyId, type),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.notifications(companyId) }),
  });
  return { setRead, archive, markAllRead };
}

/** Stores the count carried by a `notification_count` frame. */
export function setNotificationCount(queryClient: QueryClient, companyId: string, count: NotificationCount) {
  queryClient.setQueryData(qk.notificationCount(companyId), count);
}
