import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type ExternalToast, toast } from 'sonner';
import { useCompanyContext } from '../lib/companyContext.ts';
import {
  setNotificationCount,
  useNotificationActions,
  useNotificationPreferences,
  useRefreshNotifications,
} from '../lib/notificationQueries.ts';
import { notificationText, safeLink } from '../lib/notificationText.ts';
import { playBeep, unlockAudioOnGesture } from '../lib/sound.ts';
import type { AppNotification, NotificationCount } from '../lib/types.ts';
import { useStreamEvents, useStreamStatus } from './LiveStreamProvider.tsx';

const FRAMES = ['notification', 'notification_count'] as const;

function asNotification(data: unknown): AppNotification | null {
  const n = data as Partial<AppNotification> | null;
  return n && typeof n.id === 'string' && typeof n.type === 'string' ? (n as AppNotification) : null;
}

function asCount(data: unknown): NotificationCount | null {
  const c = data as Partial<NotificationCount> | null;
  return c && typeof c.unread === 'number' ? { unread: c.unread, byPriority: c.byPriority ?? { low: 0, medium: 0, high: 0, urgent: 0 } } : null;
}

const TOAST_BY_PRIORITY = {
  urgent: { show: toast.error, duration: 15_000 },
  high: { show: toast.warning, duration: 8_000 },
  medium: { show: toast.info, duration: undefined },
  low: { show: toast, duration: undefined },
} as const;

/**
 * Mounted once in the company layout. `notification_count` frames write the bell's
 * count; `notification` frames refresh the count and lists and, when the
 * notification says toast, pop it up (styled by priority) with a beep if the user
 * keeps sound on.
 */
export function NotificationsLiveSync() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { companyId } = useCompanyContext();
  const prefs = useNotificationPreferences(companyId);
  const refresh = useRefreshNotifications(companyId);
  const { setRead } = useNotificationActions(companyId);
  const status = useStreamStatus();
  const sound = prefs.data?.sound === true;
  // A frame replayed after a reconnection must not pop up twice.
  const toasted = useRef(new Set<string>());

  useEffect(() => (sound ? unlockAudioOnGesture() : undefined), [sound]);

  // A reconnected stream resumes where it stopped; refresh once anyway in case a
  // per-user frame was lost while it was down.
  const previous = useRef(status);
  useEffect(() => {
    if (status === 'live' && previous.current === 'reconnecting') refresh();
    previous.current = status;
  }, [status, refresh]);

  useStreamEvents(FRAMES, (frame) => {
    if (frame.type === 'notification_count') {
      const count = asCount(frame.data);
      if (count) setNotificationCount(queryClient, companyId, count);
      else refresh();
      return;
    }
    refresh();
    const n = asNotification(frame.data);
    if (!n?.toast || n.readAt || toasted.current.has(n.id)) return;
    toasted.current.add(n.id);
    const { title, message } = notificationText(n, t, i18n.language);
    const link = safeLink(n.link);
    const style = TOAST_BY_PRIORITY[n.priority] ?? TOAST_BY_PRIORITY.medium;
    const options: ExternalToast = {
      id: `notification-${n.id}`,
      testId: 'notification-toast',
      description: message || undefined,
      duration: style.duration,
      action: link
        ? {
            label: t('notificationCenter.view'),
            onClick: () => {
              if (!n.readAt) setRead.mutate({ id: n.id, read: true });
              void navigate(link);
            },
          }
        : undefined,
    };
    style.show(title, options);
    if (sound) playBeep();
  });
  return null;
}
