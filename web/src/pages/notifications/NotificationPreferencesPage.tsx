import { ArrowLeft } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { PageHeader } from '../../components/ui/Card.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { useNotificationPreferences } from '../../lib/notificationQueries.ts';
import { NotificationPreferencesForm } from './NotificationPreferencesForm.tsx';

/** /c/:companyId/notifications/preferences — what pops up, sound, daily e-mail; every role, for themselves. */
export function NotificationPreferencesPage() {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const prefs = useNotificationPreferences(companyId);
  usePageTitle('notificationCenter.preferences.title');

  return (
    <>
      <Link
        to={`/c/${companyId}/notifications`}
        className="mb-3 inline-flex items-center gap-1 text-sm font-medium text-slate-600 hover:text-slate-900"
        data-testid="notification-preferences-back"
      >
        <ArrowLeft className="size-4" aria-hidden="true" />
        {t('notificationCenter.preferences.back')}
      </Link>
      <PageHeader title={t('notificationCenter.preferences.title')} description={t('notificationCenter.preferences.subtitle')} />
      {prefs.isPending ? (
        <PageLoader />
      ) : prefs.isError ? (
        <div className="space-y-3">
          <Alert>{errorMessage(prefs.error, t)}</Alert>
          <Button variant="secondary" onClick={() => void prefs.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : (
        <NotificationPreferencesForm companyId={companyId} preferences={prefs.data} />
      )}
    </>
  );
}
