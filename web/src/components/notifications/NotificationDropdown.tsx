import { BellOff, CheckCheck, Settings2 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { toast } from 'sonner';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatRelative } from '../../lib/format.ts';
import { useLatestNotifications, useNotificationActions } from '../../lib/notificationQueries.ts';
import { safeLink, useNotificationText } from '../../lib/notificationText.ts';
import type { AppNotification } from '../../lib/types.ts';
import { Spinner } from '../ui/Spinner.tsx';
import { NotificationTypeIcon, UnreadDot } from './NotificationVisuals.tsx';

type Props = { align: 'left' | 'right'; unread: number; onClose: () => void };

/** The 5 latest notifications; a click marks one read and follows its link. */
export function NotificationDropdown({ align, unread, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { companyId } = useCompanyContext();
  const latest = useLatestNotifications(companyId);
  const { setRead, markAllRead } = useNotificationActions(companyId);
  const text = useNotificationText();

  const openItem = (n: AppNotification) => {
    if (!n.readAt) setRead.mutate({ id: n.id, read: true }, { onError: (err) => toast.error(errorMessage(err, t)) });
    const link = safeLink(n.link);
    onClose();
    if (link) void navigate(link);
  };
  const readAll = () =>
    markAllRead.mutate(undefined, {
      onSuccess: () => toast.success(t('notificationCenter.allRead')),
      onError: (err) => toast.error(errorMessage(err, t)),
    });

  const items = latest.data ?? [];
  return (
    <div
      className={`absolute top-full z-40 mt-2 w-[min(22rem,calc(100vw-1rem))] overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xl ${
        align === 'right' ? 'right-0' : 'left-0'
      }`}
      data-testid="notification-dropdown"
    >
      <div className="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">{t('notificationCenter.title')}</h2>
        <div className="flex items-center gap-1">
          <button
            type="button"
            onClick={readAll}
            disabled={unread === 0 || markAllRead.isPending}
            className="inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs font-medium text-teal-700 hover:bg-teal-50 disabled:cursor-not-allowed disabled:text-slate-400 disabled:hover:bg-transparent"
            data-testid="mark-all-read"
          >
            <CheckCheck className="size-3.5" aria-hidden="true" />
            {t('notificationCenter.markAllRead')}
          </button>
          <Link
            to={`/c/${companyId}/notifications/preferences`}
            onClick={onClose}
            className="rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800"
            aria-label={t('notificationCenter.preferences.title')}
            title={t('notificationCenter.preferences.title')}
            data-testid="notification-preferences-link"
          >
            <Settings2 className="size-4" aria-hidden="true" />
          </Link>
        </div>
      </div>
      {latest.isPending ? (
        <div className="flex justify-center py-8" role="status" aria-label={t('common.loading')}>
          <Spinner />
        </div>
      ) : latest.isError ? (
        <p className="px-4 py-6 text-center text-sm text-red-700">{errorMessage(latest.error, t)}</p>
      ) : items.length === 0 ? (
        <div className="flex flex-col items-center gap-2 px-4 py-8 text-center text-sm text-slate-500">
          <BellOff className="size-6 text-slate-300" aria-hidden="true" />
          <p data-testid="notification-dropdown-empty">{t('notificationCenter.emptyDropdown')}</p>
        </div>
      ) : (
        <ul className="max-h-[60vh] divide-y divide-slate-100 overflow-y-auto">
          {items.map((n) => {
            const { title, message } = text(n);
            const unreadItem = !n.readAt;
            return (
              <li key={n.id}>
                <button
                  type="button"
                  onClick={() => openItem(n)}
                  className={`flex w-full items-start gap-3 px-4 py-3 text-left hover:bg-slate-50 ${unreadItem ? 'bg-teal-50/40' : ''}`}
                  data-testid="notification-item"
                  data-notification-id={n.id}
                  data-read={unreadItem ? 'false' : 'true'}
                  data-type={n.type}
                  data-priority={n.priority}
                >
                  <NotificationTypeIcon type={n.type} priority={n.priority} />
                  <span className="min-w-0 flex-1">
                    <span
                      className={`block truncate text-sm ${unreadItem ? 'font-semibold text-slate-900' : 'text-slate-700'}`}
                      data-testid="notification-title"
                    >
                      {title}
                    </span>
                    {message && (
                      <span className="line-clamp-2 text-xs text-slate-500" data-testid="notification-message">
                        {message}
                      </span>
                    )}
                    <time dateTime={n.createdAt} className="mt-0.5 block text-xs text-slate-400">
                      {formatRelative(n.createdAt, i18n.language)}
                    </time>
                  </span>
                  {unreadItem && <UnreadDot />}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="border-t border-slate-100 px-4 py-2.5 text-center">
        <Link
          to={`/c/${companyId}/notifications`}
          onClick={onClose}
          className="text-sm font-medium text-teal-700 hover:text-teal-800 hover:underline"
          data-testid="notification-see-all"
        >
          {t('notificationCenter.seeAll')}
        </Link>
      </div>
    </div>
  );
}
