import { BellOff } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card } from '../../components/ui/Card.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useNotificationActions, useNotifications } from '../../lib/notificationQueries.ts';
import type { NotificationFilters } from '../../lib/types.ts';
import { NotificationRow } from './NotificationRow.tsx';

type Props = { companyId: string; filters: NotificationFilters; filtered: boolean; timeZone?: string };

/** The user's notifications matching the filters, newest first, 30 at a time. */
export function NotificationsList({ companyId, filters, filtered, timeZone }: Props) {
  const { t } = useTranslation();
  const list = useNotifications(companyId, filters);
  const actions = useNotificationActions(companyId);

  if (list.isPending) return <PageLoader />;
  if (list.isError) return <Alert>{errorMessage(list.error, t)}</Alert>;
  const items = list.data.pages.flatMap((p) => p.items);

  return (
    <Card data-testid="notifications-card">
      {items.length === 0 ? (
        <div
          className="flex flex-col items-center gap-2 px-5 py-12 text-center text-sm text-slate-500"
          data-testid="notifications-empty"
        >
          <BellOff className="size-6 text-slate-300" aria-hidden="true" />
          <p>{filtered ? t('notificationCenter.emptyFiltered') : t('notificationCenter.empty')}</p>
        </div>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="notifications-list" aria-busy={list.isPlaceholderData}>
          {items.map((n) => (
            <NotificationRow key={n.id} notification={n} actions={actions} timeZone={timeZone} />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <div className="border-t border-slate-100 px-5 py-3 text-center">
          <Button
            variant="secondary"
            size="sm"
            loading={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
            data-testid="notifications-load-more"
          >
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </Card>
  );
}
