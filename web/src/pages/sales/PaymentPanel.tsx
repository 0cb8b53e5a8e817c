import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Banknote, CreditCard, Smartphone } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { Field, Select, TextInput } from '../../components/ui/Field.tsx';
import { ApiError, fieldErrorMessage, isApiError } from '../../lib/api.ts';
import { useOpenCashSessions } from '../../lib/cashQueries.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useCompany } from '../../lib/companyQueries.ts';
import { formatDateTime } from '../../lib/format.ts';
import { formatMoney, moneyInputValue, parseMoneyInput } from '../../lib/money.ts';
import { qk } from '../../lib/queryKeys.ts';
import { PAYMENT_METHODS, type PaymentInput, type PaymentMethod, type Sale } from '../../lib/sales.ts';
import { useOffline } from '../../lib/offline/hooks.ts';
import { pay as payOrQueue } from '../../lib/offline/tillActions.ts';
import { PendingSyncMark } from '../../components/offline/PendingSyncMark.tsx';
import { useSaleChanged } from '../../lib/salesQueries.ts';
import { hasRole } from '../../lib/session.ts';
import { CASH_SESSION_RUNNERS } from '../../nav.ts';
import { CompleteSale } from './CompleteSale.tsx';
import { PaymentRequestPanel } from './PaymentRequestPanel.tsx';
import { saleErrorText } from './saleUi.tsx';

const METHOD_ICONS = { cash: Banknote, card: CreditCard, mobile_money: Smartphone } as const;
type Errors = { form?: string; amount?: string; tendered?: string; reference?: string; tip?: string };

/** Payments of a sale: the list, and while something is due, the form (cash with change, card, mobile money). */
export function PaymentPanel({ companyId, sale, currency }: { companyId: string; sale: Sale; currency: string }) {
  const { t, i18n } = useTranslation();
  const money = (n: number) => formatMoney(n, currency, i18n.language);
  const changed = useSaleChanged(companyId);
  const [method, setMethod] = useState<PaymentMethod>('cash');
  /** null: the amount due. */
  const [amountText, setAmountText] = useState<string | null>(null);
  const [tenderedText, setTenderedText] = useState('');
  const [reference, setReference] = useState('');
  /** A tip on top of the amount (any method), outside the total. */
  const [tipText, setTipText] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [lastChange, setLastChange] = useState<number | null>(null);
  const { role, user } = useCompanyContext();
  const queryClient = useQueryClient();
  const offline = useOffline();
  const canPay = sale.status === 'open' && sale.due > 0;
  const sessionsQuery = useOpenCashSessions(companyId, canPay && hasRole(role, CASH_SESSION_RUNNERS));
  const company = useCompany(companyId);
  const sessions = sessionsQuery.data ?? [];
  const requireSession = company.data?.settings.requireCashSession ?? false;
  /** null: the most recently opened session; '': none (only when sessions are optional). */
  const [sessionChoice, setSessionChoice] = useState<string | null>(null);
  const sessionId =
    sessionChoice === '' && !requireSession
      ? ''
      : sessions.some((s) => s.id === sessionChoice)
        ? (sessionChoice as string)
        : (sessions[0]?.id ?? '');
  /** The server refused a cash payment for want of an open session. */
  const [sessionRefused, setSessionRefused] = useState(false);
  const missingSession =
    method === 'cash' && sessions.length === 0 && (sessionRefused || (requireSession && sessionsQuery.isSuccess));

  const amountValue = amountText ?? moneyInputValue(sale.due, currency);
  const amount = parseMoneyInput(amountValue, currency);
  const tendered = parseMoneyInput(tenderedText, currency);
  const tip = tipText.trim() === '' ? 0 : parseMoneyInput(tipText, currency);
  const owed = amount === null ? null : amount + (tip ?? 0);
  const liveChange = method === 'cash' && owed !== null && tendered !== null && tendered >= owed ? tendered - owed : null;

  const mutation = useMutation({
    // Cash and card-terminal payments are queued offline (lib/offline); mobile money is not.
    mutationFn: (body: PaymentInput) => payOrQueue({ companyId, userId: user.id, userName: user.name, queryClient }, sale, body),
    onSuccess: ({ sale: updated, payment, change }) => {
      changed(updated);
      const given = change ?? payment.change ?? 0;
      setLastChange(payment.method === 'cash' ? given : null);
      setAmountText(null);
      setTenderedText('');
      setReference('');
      setTipText('');
      setErrors({});
      setSessionRefused(false);
      if (payment.method === 'cash' && given > 0) toast.success(t('sales.payment.doneChange', { change: money(given) }));
      else toast.success(t('sales.payment.done', { amount: money(payment.amount) }));
      if (updated.status === 'paid') toast.success(t('sales.payment.paidInFull', { reference: updated.reference }));
    },
    onError: (err) => {
      const next: Errors = {};
      if (err instanceof ApiError && err.errors.length > 0) {
        for (const e of err.errors) {
          if (e.field === 'amount' || e.field === 'tendered' || e.field === 'reference' || e.field === 'tip') next[e.field] ??= fieldErrorMessage(e.code, t);
          else next.form = saleErrorText(err, t, currency, i18n.language);
        }
      } else next.form = saleErrorText(err, t, currency, i18n.language);
      setErrors(next);
      if (isApiError(err, 'cash_session.required') || isApiError(err, 'cash_session.closed')) {
        setSessionRefused(true);
        void queryClient.invalidateQueries({ queryKey: qk.cashSessions(companyId) });
      }
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (amount === null || amount <= 0) return setErrors({ amount: t('sales.payment.invalidAmount') });
    if (tip === null || tip < 0) return setErrors({ tip: t('sales.payment.tipInvalid') });
    const body: PaymentInput = { method, amount };
    if (tip > 0) body.tip = tip;
    // The session takes cash into its drawer; other methods are recorded on it for its report.
    if (sessionId) body.cashSessionId = sessionId;
    if (method === 'cash') {
      const cash = tendered ?? amount + tip;
      if (cash < amount + tip) return setErrors({ tendered: t('sales.payment.tenderedTooLow') });
      body.tendered = cash;
    } else {
      if (!reference.trim()) return setErrors({ reference: t('sales.payment.referenceRequired') });
      body.reference = reference.trim();
    }
    setErrors({});
    mutation.mutate(body);
  };

  const changeShown = liveChange ?? (tenderedText === '' ? lastChange : null);

  return (
    <section className="space-y-3" aria-labelledby="payments-title" data-testid="payments">
      <h2 id="payments-title" className="text-sm font-semibold text-slate-900">{t('sales.payment.list')}</h2>
      {sale.payments.length === 0 ? (
        <p className="text-sm text-slate-500">{t('sales.payment.none')}</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {sale.payments.map((p) => {
            const Icon = METHOD_ICONS[p.method] ?? Banknote;
            return (
              <li key={p.id} className="flex items-center gap-2 py-1.5" data-testid="payment-row" data-method={p.method}>
                <Icon className="size-4 shrink-0 text-slate-500" aria-hidden="true" />
                <span className="min-w-0 flex-1">
                  {t(`sales.methods.${p.method}`)}
                  {p.reference && <span className="ml-2 font-mono text-xs text-slate-500">{p.reference}</span>}
                  <span className="block text-xs text-slate-500">{formatDateTime(p.createdAt, i18n.language)}</span>
                </span>
                {p.pendingSync && <PendingSyncMark compact />}
                <span className="text-right font-semibold tabular-nums">
                  {money(p.amount)}
                  {(p.tip ?? 0) > 0 && (
                    <span className="block text-xs font-normal text-slate-500" data-testid="payment-tip" data-amount={p.tip}>
                      {t('sales.payment.withTip', { amount: money(p.tip ?? 0) })}
                    </span>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}

      {changeShown !== null && changeShown > 0 && (
        <p className="flex justify-between rounded-lg bg-amber-50 px-3 py-2 text-base font-semibold text-amber-900" role="status">
          <span>{t('sales.payment.change')}</span>
          <span className="tabular-nums" data-testid="payment-change" data-amount={changeShown}>{money(changeShown)}</span>
        </p>
      )}

      {canPay && (
        <form onSubmit={submit} noValidate className="space-y-3 rounded-lg border border-slate-200 bg-slate-50 p-3" data-testid="payment-form">
          <h3 className="text-sm font-semibold text-slate-900">{t('sales.payment.title')}</h3>
          {errors.form && <Alert testId="payment-error">{errors.form}</Alert>}
          <div className="grid grid-cols-2 gap-3">
            <Field label={t('sales.payment.method')}>
              {(c) => (
                <Select {...c} value={method} onChange={(e) => { setMethod(e.target.value as PaymentMethod); setErrors({}); }} data-testid="payment-method">
                  {PAYMENT_METHODS.map((m) => (
                    <option key={m} value={m} disabled={offline && m === 'mobile_money'}>
                      {t(`sales.methods.${m}`)}
                      {offline && m === 'mobile_money' ? ` — ${t('offline.unavailableShort')}` : ''}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t('sales.payment.amount')} error={errors.amount}>
              {(c) => (
                <TextInput {...c} inputMode="decimal" value={amountValue} onChange={(e) => setAmountText(e.target.value)} data-testid="payment-amount" />
              )}
            </Field>
          </div>
          {sessions.length > 0 && (
            <Field label={t('sales.payment.session')}>
              {(c) => (
                <Select {...c} value={sessionId} onChange={(e) => setSessionChoice(e.target.value)} data-testid="payment-session">
                  {!requireSession && <option value="">{t('sales.payment.noSession')}</option>}
                  {sessions.map((s) => (
                    <option key={s.id} value={s.id}>
                      {t('sales.payment.sessionOption', { register: s.register, date: formatDateTime(s.openedAt, i18n.language) })}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          )}
          {missingSession && (
            <Alert tone="info" testId="payment-session-required">
              <p>{t('sales.payment.sessionRequired')}</p>
              <Link to={`/c/${companyId}/cash-sessions`} className={linkClass} data-testid="open-session-link">
                {t('sales.payment.openSession')}
              </Link>
            </Alert>
          )}
          {method === 'cash' ? (
            <Field label={t('sales.payment.tendered')} error={errors.tendered} optional>
              {(c) => (
                <TextInput
                  {...c}
                  inputMode="decimal"
                  value={tenderedText}
                  placeholder={tip ? moneyInputValue(owed, currency) : amountValue}
                  onChange={(e) => { setTenderedText(e.target.value); setLastChange(null); }}
                  data-testid="payment-tendered"
                />
              )}
            </Field>
          ) : (
            <Field label={t('sales.payment.reference')} error={errors.reference} hint={t('sales.payment.referenceHint')}>
              {(c) => (
                <TextInput {...c} value={reference} maxLength={100} onChange={(e) => setReference(e.target.value)} data-testid="payment-reference" />
              )}
            </Field>
          )}
          <Field label={t('sales.payment.tip')} error={errors.tip} hint={t('sales.payment.tipHint')} optional>
            {(c) => (
              <TextInput
                {...c}
                inputMode="decimal"
                value={tipText}
                placeholder="0"
                onChange={(e) => { setTipText(e.target.value); setLastChange(null); }}
                data-testid="payment-tip-input"
              />
            )}
          </Field>
          <p className="text-xs text-slate-500">{t('sales.payment.split')}</p>
          <Button type="submit" className="w-full" loading={mutation.isPending} data-testid="payment-submit">
            {t('sales.payment.submit')}
            {amount !== null && amount > 0 && ` ${money(amount)}`}
          </Button>
        </form>
      )}
      <CompleteSale companyId={companyId} sale={sale} currency={currency} />
      <PaymentRequestPanel companyId={companyId} sale={sale} currency={currency} amount={amount ?? 0} />
    </section>
  );
}
