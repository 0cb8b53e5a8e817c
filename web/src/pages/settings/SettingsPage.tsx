import { CreditCard } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { buttonClass } from '../../components/ui/Button.tsx';
import { PageHeader } from '../../components/ui/Card.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useCompany } from '../../lib/companyQueries.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { rolesFor } from '../../nav.ts';
import { SettingsForm } from './SettingsForm.tsx';

/** /c/:companyId/settings — owners and managers. */
export function SettingsPage() {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const company = useCompany(companyId);
  usePageTitle('settings.title');
  return (
    <RequireRole roles={rolesFor('settings')}>
      <PageHeader
        title={t('settings.title')}
        description={t('settings.subtitle')}
        actions={
          <Link to={`/c/${companyId}/settings/payments`} className={buttonClass('secondary')} data-testid="settings-payments-link">
            <CreditCard className="size-4" aria-hidden="true" />
            {t('payments.settings.link')}
          </Link>
        }
      />
      {company.isPending ? (
        <PageLoader />
      ) : company.isError ? (
        <Alert>{errorMessage(company.error, t)}</Alert>
      ) : (
        <SettingsForm key={company.data.id} company={company.data} />
      )}
    </RequireRole>
  );
}
