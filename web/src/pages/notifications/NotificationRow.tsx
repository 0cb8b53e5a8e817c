import { Archive, Mail, MailOpen } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { NotificationTypeIcon, PriorityBadge, UnreadDot } from '../../components/notifications/NotificationVisuals.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { errorMessage } from '../../lib/api.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import type { useNotificationActions } from '../../lib/notificationQueries.ts';
import { safeLink, useNotificationText } from '../../lib/notificationText.ts';
import type { AppNotification } from '../../lib/types.ts';

type Props = {
  notification: AppNotification;
  actions: ReturnType<typeof useNotificationActions>;
  timeZone?: string;
};

/** One notification: what happened, when, how urgent; read/unread and archive. */
export function NotificationRow({ notification: n, actions, timeZone }: Props) {
  const { t, i18n } = useTranslation();
  const text = useNotificationText();
  const { title, message } = text(n);
  const unread = !n.readAt;
  const link = safeLink(n.link);
  const onError = (err: unknown) => toast.error(errorMessage(err, t));
  const busy =
    (actions.setRead.isPending && actions.setRead.variables?.id === n.id) ||
    (actions.archive.isPending && actions.archive.variables === n.id);

  const toggleRead = () => actions.setRead.mutate({ id: n.id, read: unread }, { onError });
  const archive = () =>
    actions.archive.mutate(n.id, { onSuccess: () => toast.success(t('notificationCenter.archived')), onError });
  const followed = () => {
    if (unread) actions.setRead.mutate({ id: n.id, read: true }, { onError });
  };

  return (
    <li
      className={`flex items-start gap-3 px-4 py-3 sm:px-5 ${unread ? 'bg-teal-50/40' : ''}`}
      data-testid="notification-row"
      data-notification-id={n.id}
      data-read={unread ? 'false' : 'true'}
      data-type={n.type}
      data-priority={n.priority}
      aria-busy={busy || undefined}
    >
      <NotificationTypeIcon type={n.type} priority={n.priority} />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          {unread && <UnreadDot />}
          {link ? (
            <Link
              to={link}
              onClick={followed}
              className={`text-sm hover:text-teal-700 hover:underline ${unread ? 'font-semibold text-slate-900' : 'text-slate-800'}`}
              data-testid="notification-title"
            >
              {title}
            </Link>
          ) : (
            <span className={`text-sm ${unread ? 'font-semibold text-slate-900' : 'text-slate-800'}`} data-testid="notification-title">
              {title}
            </span>
          )}
          {n.priority !== 'low' && <PriorityBadge priority={n.priority} />}
        </div>
        {message && (
          <p className="mt-0.5 text-sm text-slate-600" data-testid="notification-message">
            {message}
          </p>
        )}
        <time
          dateTime={n.createdAt}
          title={formatDateTime(n.createdAt, i18n.language, timeZone)}
          className="mt-1 block text-xs text-slate-400"
        >
          {formatRelative(n.createdAt, i18n.language, timeZone)}
        </time>
      </div>
      <div className="flex shrink-0 items-center gap-1">
        <Button
          variant="ghost"
          size="sm"
          onClick={toggleRead}
          disabled={busy}
          aria-label={unread ? t('notificationCenter.markRead') : t('notificationCenter.markUnread')}
          title={unread ? t('notificationCenter.markRead') : t('notificationCenter.markUnread')}
          data-testid="notification-toggle-read"
          className="px-2"
        >
          {unread ? <MailOpen className="size-4" aria-hidden="true" /> : <Mail className="size-4" aria-hidden="true" />}
          <span className="hidden lg:inline">{unread ? t('notificationCenter.markRead') : t('notificationCenter.markUnread')}</span>
        </Button>
        {!n.archivedAt && (
          <Button
            variant="ghost"
            size="sm"
            onClick={archive}
            disabled={busy}
            aria-label={t('notificationCenter.archive')}
            title={t('notificationCenter.archive')}
            data-testid="notification-archive"
            className="px-2"
          >
            <Archive className="size-4" aria-hidden="true" />
          </Button>
        )}
      </div>
    </li>
  );
}
