import { Clock, Coins, ShieldCheck } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Card, CardBody } from '../../components/ui/Card.tsx';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useCompany } from '../../lib/companyQueries.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { currencyName } from '../../lib/money.ts';
import { LiveFeed } from './LiveFeed.tsx';

function Fact({ icon, label, value, testId }: { icon: ReactNode; label: string; value: ReactNode; testId: string }) {
  return (
    <div className="flex items-center gap-3 rounded-lg bg-slate-50 px-3 py-2.5">
      <span className="text-teal-700">{icon}</span>
      <div className="min-w-0">
        <dt className="text-xs text-slate-500">{label}</dt>
        <dd className="truncate text-sm font-medium text-slate-900" data-testid={testId}>
          {value}
        </dd>
      </div>
    </div>
  );
}

/** /c/:companyId — welcome card and the live activity panel. */
export function HomePage() {
  const { t, i18n } = useTranslation();
  const { companyId, membership, role } = useCompanyContext();
  const company = useCompany(companyId);
  usePageTitle('nav.home');
  const name = company.data?.name ?? membership.companyName;
  const currency = company.data?.currency ?? membership.currency;

  return (
    <div className="space-y-6">
      <Card data-testid="welcome-card">
        <CardBody className="py-6">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900" data-testid="welcome-title">
            {t('home.welcome', { name })}
          </h1>
          <p className="mt-1 text-sm text-slate-500">{t('home.intro')}</p>
          <dl className="mt-5 grid gap-3 sm:grid-cols-3">
            <Fact
              icon={<Coins className="size-5" aria-hidden="true" />}
              label={t('home.currency')}
              value={`${currency} — ${currencyName(currency, i18n.language)}`}
              testId="company-currency"
            />
            <Fact
              icon={<Clock className="size-5" aria-hidden="true" />}
              label={t('home.timezone')}
              value={company.data?.timezone ?? '…'}
              testId="company-timezone"
            />
            <Fact
              icon={<ShieldCheck className="size-5" aria-hidden="true" />}
              label={t('home.role')}
              value={t(`roles.${role}`)}
              testId="company-role"
            />
          </dl>
        </CardBody>
      </Card>
      <LiveFeed timeZone={company.data?.timezone} />
    </div>
  );
}
