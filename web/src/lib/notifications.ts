import { api } from './api.ts';
import type {
  AppNotification,
  NotificationCount,
  NotificationFilters,
  NotificationPreferences,
  Page,
} from './types.ts';

/** Notification endpoints (base /api/v1/companies/{companyId}); a user only ever sees their own. */

const enc = encodeURIComponent;
const notificationsPath = (companyId: string) => `/companies/${enc(companyId)}/notifications`;
const notificationPath = (companyId: string, id: string) => `${notificationsPath(companyId)}/${enc(id)}`;
type PageQuery = { limit?: number; cursor?: string | null };

/** Newest first; archived ones only with archived=true. */
export const listNotifications = (companyId: string, filters: NotificationFilters & PageQuery = {}) =>
  api.get<Page<AppNotification>>(notificationsPath(companyId), { query: filters });
/** Unread and not archived. */
export const getNotificationCount = (companyId: string) =>
  api.get<NotificationCount>(`${notificationsPath(companyId)}/count`);
export const markNotificationRead = (companyId: string, id: string) =>
  api.post<AppNotification>(`${notificationPath(companyId, id)}/read`);
export const markNotificationUnread = (companyId: string, id: string) =>
  api.post<AppNotification>(`${notificationPath(companyId, id)}/unread`);
export const archiveNotification = (companyId: string, id: string) =>
  api.post<AppNotification>(`${notificationPath(companyId, id)}/archive`);
/** Every unread one, or only those of one type. */
export const markAllNotificationsRead = (companyId: string, type?: string) =>
  api.post<{ updated: number }>(`${notificationsPath(companyId)}/read-all`, type ? { type } : {});

export const getNotificationPreferences = (companyId: string) =>
  api.get<NotificationPreferences>(`/companies/${enc(companyId)}/notification-preferences`);
export const updateNotificationPreferences = (companyId: string, body: NotificationPreferences) =>
  api.put<NotificationPreferences>(`/companies/${enc(companyId)}/notification-preferences`, body);
