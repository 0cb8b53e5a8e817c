import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Lock, Plus, Wallet } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader, PageHeader } from '../../components/ui/Card.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import { PageLoader, Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { CASH_EVENTS, useClosedCashSessions, useOpenCashSessions } from '../../lib/cashQueries.ts';
import { type CashSession, closeCashSession, openCashSession } from '../../lib/cashSessions.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { formatMoney, parseMoneyInput } from '../../lib/money.ts';
import { qk } from '../../lib/queryKeys.ts';
import { useStreamEvents } from '../../live/LiveStreamProvider.tsx';
import { rolesFor } from '../../nav.ts';
import { ReportButton } from '../printing/PrintLinks.tsx';
import { XReportToggle, ZReport } from './CashReport.tsx';

const th = 'px-4 py-2 font-medium';

/** /c/:companyId/cash-sessions — open a register session, follow its expected cash, count and close it. */
export function CashSessionsPage() {
  usePageTitle('cashSessions.title');
  return (
    <RequireRole roles={rolesFor('cash-sessions')}>
      <CashSessions />
    </RequireRole>
  );
}

function useMoney() {
  const { i18n } = useTranslation();
  const { membership } = useCompanyContext();
  return { currency: membership.currency, money: (n: number) => formatMoney(n, membership.currency, i18n.language) };
}

/** The difference counted − expected: green when balanced, amber when over, red when short. */
function Difference({ value, testId }: { value: number; testId?: string }) {
  const { t } = useTranslation();
  const { money } = useMoney();
  const tone = value === 0 ? 'balanced' : value > 0 ? 'over' : 'short';
  const styles = {
    balanced: 'bg-emerald-100 text-emerald-800',
    over: 'bg-amber-100 text-amber-900',
    short: 'bg-red-100 text-red-800',
  } as const;
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap tabular-nums ${styles[tone]}`}
      data-testid={testId}
      data-difference={value}
      data-tone={tone}
    >
      {value > 0 ? '+' : ''}
      {money(value)}
      <span className="font-normal">· {t(`cashSessions.${tone}`)}</span>
    </span>
  );
}

function CashSessions() {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const queryClient = useQueryClient();
  const open = useOpenCashSessions(companyId);
  /** The session closed last on this page: its result stays in view. */
  const [closed, setClosed] = useState<CashSession | null>(null);
  useStreamEvents(CASH_EVENTS, () => void queryClient.invalidateQueries({ queryKey: qk.cashSessions(companyId) }));

  return (
    <div>
      <PageHeader title={t('cashSessions.title')} description={t('cashSessions.subtitle')} />
      <div className="space-y-6">
        <OpenSessionForm onOpened={() => setClosed(null)} />
        {closed && <ClosedResult session={closed} />}
        <section className="space-y-3" aria-labelledby="open-sessions-title">
          <h2 id="open-sessions-title" className="flex items-center gap-2 text-base font-semibold text-slate-900">
            {t('cashSessions.openList')}
            {open.isFetching && !open.isPending && <Spinner className="size-3.5" />}
          </h2>
          {open.isPending ? (
            <PageLoader />
          ) : open.isError ? (
            <Alert>{errorMessage(open.error, t)}</Alert>
          ) : open.data.length === 0 ? (
            <p className="text-sm text-slate-500" data-testid="no-open-session">{t('cashSessions.noneOpen')}</p>
          ) : (
            <div className="grid gap-4 lg:grid-cols-2">
              {open.data.map((s) => (
                <OpenSession key={s.id} session={s} onClosed={setClosed} />
              ))}
            </div>
          )}
        </section>
        <History />
      </div>
    </div>
  );
}

function OpenSessionForm({ onOpened }: { onOpened: () => void }) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const { currency } = useMoney();
  const queryClient = useQueryClient();
  const [register, setRegister] = useState(() => t('cashSessions.open.defaultRegister'));
  const [floatText, setFloatText] = useState('');
  const [errors, setErrors] = useState<{ form?: string; register?: string; openingFloat?: string }>({});

  const mutation = useMutation({
    mutationFn: (body: { register: string; openingFloat: number }) => openCashSession(companyId, body),
    onSuccess: (session) => {
      queryClient.setQueryData(qk.cashSessionList(companyId, 'open'), (page: { items: CashSession[]; nextCursor: string | null } | undefined) =>
        page ? { ...page, items: [session, ...page.items.filter((s) => s.id !== session.id)] } : page,
      );
      void queryClient.invalidateQueries({ queryKey: qk.cashSessions(companyId) });
      toast.success(t('cashSessions.open.done', { register: session.register }));
      setFloatText('');
      setErrors({});
      onOpened();
    },
    onError: (err) => {
      if (isApiError(err, 'cash_session.already_open')) {
        setErrors({ register: errorMessage(err, t) });
        void queryClient.invalidateQueries({ queryKey: qk.cashSessions(companyId) });
      } else if (isApiError(err) && err.errors.some((e) => e.field === 'register' || e.field === 'openingFloat')) {
        const next: { register?: string; openingFloat?: string } = {};
        for (const e of err.errors) {
          if (e.field === 'register') next.register = t('cashSessions.open.registerRequired');
          if (e.field === 'openingFloat') next.openingFloat = t('cashSessions.open.invalidFloat');
        }
        setErrors(next);
      } else setErrors({ form: errorMessage(err, t) });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const name = register.trim();
    const openingFloat = floatText.trim() === '' ? 0 : parseMoneyInput(floatText, currency);
    const next: typeof errors = {};
    if (!name) next.register = t('cashSessions.open.registerRequired');
    if (openingFloat === null || openingFloat < 0) next.openingFloat = t('cashSessions.open.invalidFloat');
    setErrors(next);
    if (Object.keys(next).length === 0 && openingFloat !== null) mutation.mutate({ register: name, openingFloat });
  };

  return (
    <Card>
      <CardHeader title={t('cashSessions.open.title')} />
      <CardBody>
        <form onSubmit={submit} noValidate className="space-y-3" data-testid="open-session-form">
          {errors.form && <Alert testId="open-session-error">{errors.form}</Alert>}
          <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-start">
            <Field label={t('cashSessions.open.register')} error={errors.register}>
              {(c) => (
                <TextInput {...c} value={register} maxLength={60} onChange={(e) => setRegister(e.target.value)} data-testid="session-register" />
              )}
            </Field>
            <Field label={`${t('cashSessions.open.openingFloat')} (${currency})`} error={errors.openingFloat} hint={t('cashSessions.open.openingFloatHint')}>
              {(c) => (
                <TextInput
                  {...c}
                  inputMode="decimal"
                  value={floatText}
                  placeholder="0"
                  onChange={(e) => setFloatText(e.target.value)}
                  data-testid="opening-float"
                />
              )}
            </Field>
            <Button
              type="submit"
              className="sm:mt-6"
              loading={mutation.isPending}
              icon={<Plus className="size-4" aria-hidden="true" />}
              data-testid="open-session-submit"
            >
              {t('cashSessions.open.submit')}
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}

function SessionFigures({ session }: { session: CashSession }) {
  const { t } = useTranslation();
  const { money } = useMoney();
  const row = (key: string, value: number, testId: string, sign = '') => (
    <div className="flex justify-between gap-3">
      <dt className="text-slate-600">{t(`cashSessions.${key}`)}</dt>
      <dd className="tabular-nums" data-testid={testId} data-amount={value}>
        {sign}
        {money(value)}
      </dd>
    </div>
  );
  return (
    <dl className="space-y-1 text-sm">
      {row('openingFloat', session.openingFloat, 'session-opening-float')}
      {row('cashIn', session.cashIn, 'session-cash-in', '+ ')}
      {row('changeGiven', session.changeGiven, 'session-change-given', '− ')}
      {row('cashRefunds', session.cashRefunds, 'session-cash-refunds', '− ')}
      <div className="flex justify-between gap-3 border-t border-slate-100 pt-1 text-base font-semibold text-slate-900">
        <dt>{t('cashSessions.expectedCash')}</dt>
        <dd className="tabular-nums" data-testid="expected-cash" data-amount={session.expectedCash}>{money(session.expectedCash)}</dd>
      </div>
    </dl>
  );
}

function OpenedLine({ session }: { session: CashSession }) {
  const { t, i18n } = useTranslation();
  const date = formatDateTime(session.openedAt, i18n.language);
  return (
    <span>
      {session.openedBy?.name ? t('cashSessions.openedBy', { date, name: session.openedBy.name }) : t('cashSessions.openedAt', { date })}
    </span>
  );
}

function OpenSession({ session, onClosed }: { session: CashSession; onClosed: (s: CashSession) => void }) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const { currency } = useMoney();
  const queryClient = useQueryClient();
  const [countedText, setCountedText] = useState('');
  const [error, setError] = useState<{ form?: string; counted?: string }>({});
  const counted = parseMoneyInput(countedText, currency);

  const mutation = useMutation({
    mutationFn: (countedCash: number) => closeCashSession(companyId, session.id, countedCash),
    onSuccess: (closed) => {
      queryClient.setQueryData(qk.cashSessionList(companyId, 'open'), (page: { items: CashSession[]; nextCursor: string | null } | undefined) =>
        page ? { ...page, items: page.items.filter((s) => s.id !== closed.id) } : page,
      );
      void queryClient.invalidateQueries({ queryKey: qk.cashSessions(companyId) });
      toast.success(t('cashSessions.close.done', { register: closed.register }));
      onClosed(closed);
    },
    onError: (err) => {
      if (isApiError(err, 'cash_session.closed')) void queryClient.invalidateQueries({ queryKey: qk.cashSessions(companyId) });
      if (isApiError(err) && err.errors.some((e) => e.field === 'countedCash')) setError({ counted: t('cashSessions.close.invalidCounted') });
      else setError({ form: errorMessage(err, t) });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (counted === null || counted < 0) return setError({ counted: t('cashSessions.close.invalidCounted') });
    setError({});
    mutation.mutate(counted);
  };

  return (
    <div data-testid="cash-session" data-status={session.status} data-session-id={session.id}>
    <Card className="h-full">
      <div className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-100 px-5 py-4">
        <div className="min-w-0">
          <h3 className="flex items-center gap-2 text-base font-semibold text-slate-900">
            <Wallet className="size-4 text-slate-500" aria-hidden="true" />
            <span data-testid="session-register-name">{session.register}</span>
          </h3>
          <p className="mt-0.5 text-sm text-slate-500"><OpenedLine session={session} /></p>
        </div>
        <div className="flex items-center gap-2">
          <span className="inline-flex items-center rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
            {t(`cashSessions.statuses.${session.status}`)}
          </span>
          <ReportButton companyId={companyId} sessionId={session.id} closed={false} />
        </div>
      </div>
      <CardBody className="space-y-4">
        <SessionFigures session={session} />
        <XReportToggle session={session} />
        <form onSubmit={submit} noValidate className="space-y-2 rounded-lg border border-slate-200 bg-slate-50 p-3" data-testid="close-session-form">
          <h4 className="text-sm font-semibold text-slate-900">{t('cashSessions.close.title')}</h4>
          {error.form && <Alert testId="close-session-error">{error.form}</Alert>}
          <Field label={`${t('cashSessions.close.counted')} (${currency})`} error={error.counted}>
            {(c) => (
              <TextInput {...c} inputMode="decimal" value={countedText} onChange={(e) => setCountedText(e.target.value)} data-testid="counted-cash" />
            )}
          </Field>
          {counted !== null && (
            <p className="flex items-center justify-between gap-2 text-sm" role="status">
              <span className="text-slate-600">{t('cashSessions.difference')}</span>
              <Difference value={counted - session.expectedCash} testId="cash-difference-preview" />
            </p>
          )}
          <Button
            type="submit"
            variant="secondary"
            className="w-full"
            loading={mutation.isPending}
            icon={<Lock className="size-4" aria-hidden="true" />}
            data-testid="close-session-submit"
          >
            {t('cashSessions.close.submit')}
          </Button>
        </form>
      </CardBody>
    </Card>
    </div>
  );
}

/** The result of the close just done: expected, counted and the difference. */
function ClosedResult({ session }: { session: CashSession }) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const { money } = useMoney();
  const difference = session.difference ?? (session.countedCash ?? 0) - session.expectedCash;
  return (
    <div data-testid="cash-session" data-status={session.status} data-session-id={session.id}>
      <Card>
        <CardHeader title={t('cashSessions.close.result', { register: session.register })} actions={<ReportButton companyId={companyId} sessionId={session.id} closed />} />
        <CardBody className="space-y-3">
          <SessionFigures session={session} />
          <dl className="space-y-1 text-sm">
            <div className="flex justify-between gap-3">
              <dt className="text-slate-600">{t('cashSessions.countedCash')}</dt>
              <dd className="font-semibold tabular-nums" data-testid="session-counted-cash">{money(session.countedCash ?? 0)}</dd>
            </div>
            <div className="flex items-center justify-between gap-3">
              <dt className="text-slate-600">{t('cashSessions.difference')}</dt>
              <dd><Difference value={difference} testId="cash-difference" /></dd>
            </div>
          </dl>
          <ZReport session={session} />
        </CardBody>
      </Card>
    </div>
  );
}

function History() {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const { money } = useMoney();
  const history = useClosedCashSessions(companyId);
  const items = history.data?.pages.flatMap((p) => p.items) ?? [];
  const date = (iso: string | null) => formatDateTime(iso, i18n.language);
  return (
    <Card data-testid="session-history">
      <CardHeader title={t('cashSessions.history')} />
      {history.isPending ? (
        <PageLoader />
      ) : history.isError ? (
        <CardBody><Alert>{errorMessage(history.error, t)}</Alert></CardBody>
      ) : items.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-500" data-testid="no-session-history">{t('cashSessions.noHistory')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th scope="col" className={th}>{t('cashSessions.columns.register')}</th>
                <th scope="col" className={`${th} hidden md:table-cell`}>{t('cashSessions.columns.openedAt')}</th>
                <th scope="col" className={th}>{t('cashSessions.columns.closedAt')}</th>
                <th scope="col" className={`${th} hidden sm:table-cell text-right`}>{t('cashSessions.columns.expected')}</th>
                <th scope="col" className={`${th} text-right`}>{t('cashSessions.columns.counted')}</th>
                <th scope="col" className={th}>{t('cashSessions.columns.difference')}</th>
                <th scope="col" className={`${th} hidden lg:table-cell`}>{t('cashSessions.columns.closedBy')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((s) => (
                <tr key={s.id} data-testid="closed-session" data-session-id={s.id}>
                  <td className="px-4 py-3 font-medium text-slate-900">{s.register} <ReportButton companyId={companyId} sessionId={s.id} closed /></td>
                  <td className="hidden px-4 py-3 whitespace-nowrap text-slate-600 md:table-cell">{date(s.openedAt)}</td>
                  <td className="px-4 py-3 whitespace-nowrap text-slate-600">{date(s.closedAt)}</td>
                  <td className="hidden px-4 py-3 text-right tabular-nums sm:table-cell">{money(s.expectedCash)}</td>
                  <td className="px-4 py-3 text-right tabular-nums">{money(s.countedCash ?? 0)}</td>
                  <td className="px-4 py-3">
                    <Difference value={s.difference ?? (s.countedCash ?? 0) - s.expectedCash} testId="closed-difference" />
                  </td>
                  <td className="hidden px-4 py-3 text-slate-700 lg:table-cell">{s.closedBy?.name ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {history.hasNextPage && (
        <div className="border-t border-slate-100 px-5 py-3 text-center">
          <Button variant="secondary" size="sm" loading={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </Card>
  );
}
