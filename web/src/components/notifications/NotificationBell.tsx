import { Bell } from 'lucide-react';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useDismiss } from '../../lib/hooks.ts';
import { useNotificationCount } from '../../lib/notificationQueries.ts';
import { NotificationDropdown } from './NotificationDropdown.tsx';
import { badgeLabel } from './NotificationVisuals.tsx';

/**
 * The bell of the sidebar (desktop) and the top bar (mobile): unread count in a red
 * badge (hidden at 0, "99+" above 99), and a dropdown of the latest notifications.
 */
export function NotificationBell({ align = 'left' }: { align?: 'left' | 'right' }) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const count = useNotificationCount(companyId);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  const unread = count.data?.unread ?? 0;
  const urgent = (count.data?.byPriority?.urgent ?? 0) > 0;

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        onClick={() => setOpen((v) => !v)}
        aria-expanded={open}
        aria-haspopup="true"
        aria-label={unread > 0 ? t('notificationCenter.bellUnread', { count: unread }) : t('notificationCenter.bell')}
        data-testid="notification-bell"
        data-unread={unread}
        className="relative rounded-full p-2 text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-teal-600"
      >
        <Bell className={`size-5 ${urgent ? 'text-red-600' : ''}`} aria-hidden="true" />
        {unread > 0 && (
          <span
            className="absolute -top-0.5 -right-0.5 flex h-4.5 min-w-4.5 items-center justify-center rounded-full bg-red-600 px-1 text-[0.65rem] leading-none font-semibold text-white tabular-nums ring-2 ring-white"
            data-testid="notification-badge"
            aria-hidden="true"
          >
            {badgeLabel(unread)}
          </span>
        )}
      </button>
      {open && <NotificationDropdown align={align} unread={unread} onClose={close} />}
    </div>
  );
}
