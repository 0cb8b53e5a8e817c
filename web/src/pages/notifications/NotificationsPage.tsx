import { CheckCheck, Settings2 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { Button, buttonClass } from '../../components/ui/Button.tsx';
import { PageHeader } from '../../components/ui/Card.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useCompany } from '../../lib/companyQueries.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { useNotificationActions, useNotificationCount } from '../../lib/notificationQueries.ts';
import { NotificationFilterBar } from './NotificationFilterBar.tsx';
import { NotificationsList } from './NotificationsList.tsx';
import { useNotificationFilters } from './useNotificationFilters.ts';

/** /c/:companyId/notifications — the signed-in user's notifications; every role. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const company = useCompany(companyId);
  const count = useNotificationCount(companyId);
  const { values, filters, set, clear, active } = useNotificationFilters();
  const { markAllRead } = useNotificationActions(companyId);
  usePageTitle('notificationCenter.title');

  const unread = count.data?.unread ?? 0;
  const type = values.type || undefined;
  const readAll = () =>
    markAllRead.mutate(type, {
      onSuccess: (res) => toast.success(t('notificationCenter.markedRead', { count: res?.updated ?? 0 })),
      onError: (err) => toast.error(errorMessage(err, t)),
    });

  return (
    <>
      <PageHeader
        title={t('notificationCenter.title')}
        description={
          unread > 0 ? t('notificationCenter.unreadCount', { count: unread }) : t('notificationCenter.subtitle')
        }
        actions={
          <>
            <Button
              variant="secondary"
              onClick={readAll}
              loading={markAllRead.isPending}
              disabled={!type && unread === 0}
              icon={<CheckCheck className="size-4" aria-hidden="true" />}
              data-testid="notifications-mark-all-read"
            >
              {type
                ? t('notificationCenter.markTypeRead', { type: t(`events.${type}`) })
                : t('notificationCenter.markAllRead')}
            </Button>
            <Link
              to={`/c/${companyId}/notifications/preferences`}
              className={buttonClass('ghost')}
              data-testid="notification-preferences-button"
            >
              <Settings2 className="size-4" aria-hidden="true" />
              {t('notificationCenter.preferences.title')}
            </Link>
          </>
        }
      />
      <div className="space-y-4">
        <NotificationFilterBar values={values} set={set} clear={clear} active={active} />
        <NotificationsList
          companyId={companyId}
          filters={filters}
          filtered={active}
          timeZone={company.data?.timezone}
        />
      </div>
    </>
  );
}
