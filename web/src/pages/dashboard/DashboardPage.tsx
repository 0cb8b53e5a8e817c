import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Card, CardBody, CardHeader, PageHeader } from '../../components/ui/Card.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import { PageLoader, Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage, fieldErrorMessage, isApiError } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useCompany } from '../../lib/companyQueries.ts';
import { formatLocalDate, shiftDate, todayIn } from '../../lib/localDates.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import type { DateRange } from '../../lib/insights.ts';
import { DASHBOARD_EVENTS, useDashboard, useDashboardDaily } from '../../lib/insightsQueries.ts';
import { iqk } from '../../lib/insightsKeys.ts';
import { hasRole } from '../../lib/session.ts';
import { useUrlFilters } from '../../lib/useUrlFilters.ts';
import { useStreamEvents } from '../../live/LiveStreamProvider.tsx';
import { DASHBOARD_READERS, LIVE_RUNNERS } from '../../nav.ts';
import { ActivityFeed } from './ActivityFeed.tsx';
import { FigureCards } from './FigureCards.tsx';
import { LiveSellingPanel } from './LiveSellingPanel.tsx';
import { RecentErrors } from './RecentErrors.tsx';

/** recharts is loaded with the chart only, never with the staff app's main chunk. */
const DailyChart = lazy(() => import('./DailyChart.tsx'));

const CHART_DAYS = 30;
/** Events come in bursts (a sale paid moves sessions, payments, tables…): refetch once. */
const COALESCE_MS = 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMPTY_RANGE: { from: string; to: string } = { from: '', to: '' };

type RangeValues = { from: string; to: string };
const readRange = (p: URLSearchParams): RangeValues => {
  const from = p.get('from') ?? '';
  const to = p.get('to') ?? '';
  return { from: DATE.test(from) ? from : '', to: DATE.test(to) ? to : '' };
};
const writeRange = (v: RangeValues) => {
  const p = new URLSearchParams();
  if (v.from) p.set('from', v.from);
  if (v.to) p.set('to', v.to);
  return p;
};

/** /c/:companyId/dashboard — the managers' dashboard (notifications of summaries and errors link here). */
export function DashboardPage() {
  usePageTitle('dashboard.title');
  return (
    <RequireRole roles={DASHBOARD_READERS}>
      <Dashboard />
    </RequireRole>
  );
}

/** Refetches the dashboard queries (figures, series, errors) after business events, coalesced. */
function useDashboardSync(companyId: string) {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useStreamEvents(DASHBOARD_EVENTS, () => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      void queryClient.invalidateQueries({ queryKey: iqk.dashboard(companyId) });
    }, COALESCE_MS);
  });
}

const QUICK_RANGES = [
  { key: 'today', days: 1 },
  { key: 'week', days: 7 },
  { key: 'month', days: 30 },
] as const;

function RangePicker({ range, today, set }: { range: RangeValues; today: string; set: (next: RangeValues) => void }) {
  const { t } = useTranslation();
  const from = range.from || range.to || today;
  const to = range.to || range.from || today;
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="dashboard-range">
      <fieldset className="flex gap-1 rounded-lg border border-slate-200 bg-white p-1 shadow-sm">
        <legend className="sr-only">{t('dashboard.range.quick')}</legend>
        {QUICK_RANGES.map(({ key, days }) => {
          const start = shiftDate(today, -(days - 1));
          const active = from === start && to === today;
          return (
            <button
              key={key}
              type="button"
              aria-pressed={active}
              onClick={() => set(days === 1 ? EMPTY_RANGE : { from: start, to: today })}
              className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-teal-600 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
              data-testid={`dashboard-range-${key}`}
            >
              {t(`dashboard.range.${key}`)}
            </button>
          );
        })}
      </fieldset>
      <Field label={t('dashboard.range.from')} className="w-40">
        {(c) => (
          <TextInput
            {...c}
            type="date"
            value={from}
            max={to}
            onChange={(e) => e.target.value && set({ from: e.target.value, to })}
            data-testid="dashboard-range-from"
          />
        )}
      </Field>
      <Field label={t('dashboard.range.to')} className="w-40">
        {(c) => (
          <TextInput
            {...c}
            type="date"
            value={to}
            min={from}
            max={today}
            onChange={(e) => e.target.value && set({ from, to: e.target.value })}
            data-testid="dashboard-range-to"
          />
        )}
      </Field>
    </div>
  );
}

function ChartCard({ currency }: { currency: string }) {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const daily = useDashboardDaily(companyId, CHART_DAYS);
  const days = daily.data?.days ?? [];
  return (
    <Card data-testid="dashboard-chart" data-days={days.length}>
      <CardHeader
        title={
          <span className="inline-flex items-center gap-2">
            {t('dashboard.chart.title', { days: CHART_DAYS })}
            {daily.isFetching && <Spinner className="size-3.5" />}
          </span>
        }
        description={t('dashboard.chart.description')}
      />
      <CardBody>
        {daily.isError ? (
          <Alert>{errorMessage(daily.error, t)}</Alert>
        ) : daily.isPending ? (
          <div className="h-[280px]">
            <PageLoader />
          </div>
        ) : (
          <Suspense
            fallback={
              <div className="h-[280px]">
                <PageLoader />
              </div>
            }
          >
            <DailyChart
              days={days}
              currency={daily.data.currency || currency}
              locale={i18n.language}
              labels={{
                revenue: t('dashboard.chart.revenue'),
                sessions: t('dashboard.chart.sessions'),
                paidSessions: t('dashboard.chart.paidSessions'),
              }}
            />
          </Suspense>
        )}
      </CardBody>
    </Card>
  );
}

function Dashboard() {
  const { t, i18n } = useTranslation();
  const { companyId, membership, role } = useCompanyContext();
  const company = useCompany(companyId);
  const timeZone = company.data?.timezone;
  const today = todayIn(timeZone);
  const { values, set } = useUrlFilters(readRange, writeRange, EMPTY_RANGE);
  const range: DateRange = useMemo(
    () => (values.from || values.to ? { from: values.from || values.to, to: values.to || values.from } : {}),
    [values],
  );
  const dashboard = useDashboard(companyId, range);
  useDashboardSync(companyId);
  const data = dashboard.data;
  const period =
    data && data.from === data.to
      ? formatLocalDate(data.from, i18n.language, { dateStyle: 'full' })
      : data
        ? t('dashboard.range.period', {
            from: formatLocalDate(data.from, i18n.language),
            to: formatLocalDate(data.to, i18n.language),
          })
        : '';

  return (
    <div data-testid="dashboard">
      <PageHeader
        title={t('dashboard.title')}
        description={
          <span className="inline-flex items-center gap-2" data-testid="dashboard-period">
            {period || t('dashboard.subtitle')}
            {dashboard.isFetching && <Spinner className="size-3.5" />}
          </span>
        }
      />
      <div className="space-y-6">
        <RangePicker
          range={values}
          today={today}
          set={(next) => {
            set('from', next.from);
            set('to', next.to);
          }}
        />
        {dashboard.isPending ? (
          <PageLoader />
        ) : dashboard.isError ? (
          <Alert testId="dashboard-error">
            {isApiError(dashboard.error, 'validation') && dashboard.error.errors.length > 0
              ? dashboard.error.errors.map((e) => fieldErrorMessage(e.code, t)).join(' ')
              : errorMessage(dashboard.error, t)}
          </Alert>
        ) : (
          <div aria-busy={dashboard.isPlaceholderData}>
            <FigureCards data={dashboard.data} />
          </div>
        )}
        <ChartCard currency={data?.currency ?? membership.currency} />
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          {hasRole(role, LIVE_RUNNERS) && <LiveSellingPanel />}
          <ActivityFeed timeZone={timeZone} />
        </div>
        <RecentErrors timeZone={timeZone} />
      </div>
    </div>
  );
}
