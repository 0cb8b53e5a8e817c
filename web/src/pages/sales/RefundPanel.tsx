import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Check, Undo2, X } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import { isApiError } from '../../lib/api.ts';
import { listCashSessions } from '../../lib/cashSessions.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatDateTime } from '../../lib/format.ts';
import { formatMoney, moneyInputValue, parseMoneyInput } from '../../lib/money.ts';
import { qk } from '../../lib/queryKeys.ts';
import { decideRefund, type Refund, type RefundInput, requestRefund } from '../../lib/refunds.ts';
import type { Sale, SaleItem } from '../../lib/sales.ts';
import { useSaleChanged } from '../../lib/salesQueries.ts';
import { hasRole } from '../../lib/session.ts';
import { REFUND_APPROVERS, REFUND_REQUESTERS } from '../../nav.ts';
import { RefundStatusBadge, saleErrorText } from './saleUi.tsx';

/** Sale statuses that accept a refund request. */
export const REFUNDABLE_STATUSES: readonly string[] = ['paid', 'partially_refunded'];

type Mode = 'amount' | 'items';
type Errors = { form?: string; amount?: string; items?: string; reason?: string };

/** Stores a refund in the cached sale (added or replaced). */
function storeRefund(sale: Sale | undefined, refund: Refund): Sale | undefined {
  if (!sale) return sale;
  const refunds = sale.refunds ?? [];
  const exists = refunds.some((r) => r.id === refund.id);
  return { ...sale, refunds: exists ? refunds.map((r) => (r.id === refund.id ? refund : r)) : [...refunds, refund] };
}

/**
 * Approve or reject a pending refund (owners and managers). Refreshes the sale, the
 * pending list, the stock (restock) and the cash sessions (cash refunds).
 */
export function useRefundDecision(companyId: string, currency: string) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const changed = useSaleChanged(companyId);
  const refresh = (saleId: string) => {
    changed();
    void queryClient.invalidateQueries({ queryKey: qk.sale(companyId, saleId) });
    void queryClient.invalidateQueries({ queryKey: qk.pendingRefunds(companyId) });
    void queryClient.invalidateQueries({ queryKey: qk.cashSessions(companyId) });
  };
  return useMutation({
    mutationFn: async ({ refund, action }: { refund: Refund; action: 'approve' | 'reject' }) => {
      // Cash handed back comes out of a drawer: the most recently opened session.
      let cashSessionId: string | undefined;
      if (action === 'approve' && refund.method === 'cash') {
        const open = await queryClient
          .fetchQuery({
            queryKey: qk.cashSessionList(companyId, 'open'),
            queryFn: () => listCashSessions(companyId, { status: 'open', limit: 100 }),
            staleTime: 10_000,
          })
          .catch(() => null);
        cashSessionId = [...(open?.items ?? [])].sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0]?.id;
      }
      return decideRefund(companyId, refund.id, action, cashSessionId ? { cashSessionId } : {});
    },
    onSuccess: (refund, { action }) => {
      queryClient.setQueryData<Sale>(qk.sale(companyId, refund.saleId), (sale) => storeRefund(sale, refund));
      queryClient.setQueryData<{ items: Refund[] }>(qk.pendingRefunds(companyId), (page) =>
        page ? { ...page, items: page.items.filter((r) => r.id !== refund.id) } : page,
      );
      const amount = formatMoney(refund.amount, currency, i18n.language);
      toast.success(t(action === 'approve' ? 'sales.refund.approved' : 'sales.refund.rejected', { amount }));
      refresh(refund.saleId);
    },
    onError: (err, { refund }) => {
      toast.error(saleErrorText(err, t, currency, i18n.language));
      if (isApiError(err, 'refund.already_decided') || isApiError(err, 'sale.illegal_transition')) refresh(refund.saleId);
    },
  });
}

/** Approve / Reject buttons of one pending refund. */
export function RefundDecisionButtons({
  refund,
  decision,
}: {
  refund: Refund;
  decision: ReturnType<typeof useRefundDecision>;
}) {
  const { t } = useTranslation();
  const busy = decision.isPending && decision.variables?.refund.id === refund.id;
  return (
    <div className="flex gap-2">
      <Button
        size="sm"
        variant="secondary"
        disabled={busy}
        loading={busy && decision.variables?.action === 'approve'}
        icon={<Check className="size-4 text-emerald-600" aria-hidden="true" />}
        onClick={() => decision.mutate({ refund, action: 'approve' })}
        data-testid="refund-approve"
      >
        {t('sales.refund.approve')}
      </Button>
      <Button
        size="sm"
        variant="danger-ghost"
        disabled={busy}
        loading={busy && decision.variables?.action === 'reject'}
        icon={<X className="size-4" aria-hidden="true" />}
        onClick={() => decision.mutate({ refund, action: 'reject' })}
        data-testid="refund-reject"
      >
        {t('sales.refund.reject')}
      </Button>
    </div>
  );
}

/** The sale's refunds (with their status) and, on a paid sale, the "Rembourser" form. */
export function RefundPanel({ companyId, sale, currency }: { companyId: string; sale: Sale; currency: string }) {
  const { t, i18n } = useTranslation();
  const { role } = useCompanyContext();
  const money = (n: number) => formatMoney(n, currency, i18n.language);
  const decision = useRefundDecision(companyId, currency);
  const refunds = [...(sale.refunds ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const canRequest = REFUNDABLE_STATUSES.includes(sale.status) && hasRole(role, REFUND_REQUESTERS);
  const canDecide = hasRole(role, REFUND_APPROVERS);
  const names = new Map(sale.items.map((i) => [i.id, i.name]));

  if (!canRequest && refunds.length === 0) return null;
  return (
    <section className="space-y-3 border-t border-slate-100 pt-4" aria-labelledby="refunds-title" data-testid="refunds">
      {refunds.length > 0 && (
        <>
          <h2 id="refunds-title" className="text-sm font-semibold text-slate-900">{t('sales.refund.list')}</h2>
          {(sale.refunded ?? 0) > 0 && (
            <p className="text-sm text-slate-600" data-testid="sale-refunded">{t('sales.refund.refunded', { amount: money(sale.refunded ?? 0) })}</p>
          )}
          <ul className="divide-y divide-slate-100 text-sm">
            {refunds.map((r) => (
              <li key={r.id} className="space-y-1.5 py-2" data-testid="refund-row" data-status={r.status} data-refund-id={r.id}>
                <div className="flex items-center gap-2">
                  <RefundStatusBadge status={r.status} testId="refund-status" />
                  <span className="min-w-0 flex-1 truncate text-slate-700" title={r.reason}>{r.reason}</span>
                  <span className="font-semibold tabular-nums" data-testid="refund-row-amount">{money(r.amount)}</span>
                </div>
                <p className="text-xs text-slate-500">
                  {formatDateTime(r.createdAt, i18n.language)}
                  {r.items.length > 0 &&
                    ` · ${r.items.map((i) => `${i.quantity} × ${names.get(i.itemId) ?? ''}`.trim()).join(', ')}`}
                  {r.restock && ` · ${t('sales.refund.restocked')}`}
                </p>
                {canDecide && r.status === 'pending' && <RefundDecisionButtons refund={r} decision={decision} />}
              </li>
            ))}
          </ul>
        </>
      )}
      {canRequest && <RefundForm companyId={companyId} sale={sale} currency={currency} />}
    </section>
  );
}

function RefundForm({ companyId, sale, currency }: { companyId: string; sale: Sale; currency: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const money = (n: number) => formatMoney(n, currency, i18n.language);
  const restockId = useId();
  const [mode, setMode] = useState<Mode>('amount');
  const [amountText, setAmountText] = useState('');
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [reason, setReason] = useState('');
  const [restock, setRestock] = useState(false);
  const [errors, setErrors] = useState<Errors>({});

  const live = (sale.refunds ?? []).filter((r) => r.status !== 'rejected');
  const pending = live.filter((r) => r.status === 'pending').reduce((sum, r) => sum + r.amount, 0);
  const refundable = Math.max(0, sale.paid - (sale.refunded ?? 0) - pending);
  const claimed = new Map<string, number>();
  for (const r of live) for (const i of r.items) claimed.set(i.itemId, (claimed.get(i.itemId) ?? 0) + i.quantity);
  const items = sale.items.map((item) => ({ item, left: Math.max(0, item.quantity - (claimed.get(item.id) ?? 0)) }));
  const picked = items.filter(({ item, left }) => (quantities[item.id] ?? 0) > 0 && left > 0);
  // As the server refunds items: at what they really cost after discounts (a whole line exactly, part of it rounded down).
  const refundOf = (item: SaleItem, quantity: number) => {
    const net = item.netTotal ?? item.unitPrice * item.quantity;
    return quantity >= item.quantity ? net : Math.floor((net * quantity) / item.quantity);
  };
  const itemsTotal = picked.reduce((sum, { item, left }) => sum + refundOf(item, Math.min(quantities[item.id] ?? 0, left)), 0);

  const mutation = useMutation({
    mutationFn: (body: RefundInput) => requestRefund(companyId, sale.id, body),
    onSuccess: (refund) => {
      queryClient.setQueryData<Sale>(qk.sale(companyId, sale.id), (cached) => storeRefund(cached, refund));
      void queryClient.invalidateQueries({ queryKey: qk.sale(companyId, sale.id) });
      void queryClient.invalidateQueries({ queryKey: qk.pendingRefunds(companyId) });
      toast.success(t('sales.refund.requested', { amount: money(refund.amount) }));
      setAmountText('');
      setQuantities({});
      setReason('');
      setRestock(false);
      setErrors({});
    },
    onError: (err) => {
      const next: Errors = {};
      if (isApiError(err, 'sale.illegal_transition')) {
        const status = typeof err.params.status === 'string' ? err.params.status : sale.status;
        next.form = t('sales.refund.notRefundable', { status: t(`sales.statuses.${status}`, { defaultValue: status }) });
        void queryClient.invalidateQueries({ queryKey: qk.sale(companyId, sale.id) });
      } else if (isApiError(err, 'refund.exceeds_paid')) {
        next[mode === 'amount' ? 'amount' : 'items'] = saleErrorText(err, t, currency, i18n.language);
        void queryClient.invalidateQueries({ queryKey: qk.sale(companyId, sale.id) });
      } else if (isApiError(err) && err.errors.length > 0) {
        for (const e of err.errors) {
          if (e.field === 'reason') next.reason = t('sales.refund.reasonRequired');
          else if (e.field === 'amount' || e.field === 'items' || e.field.startsWith('items.'))
            next[mode === 'amount' ? 'amount' : 'items'] ??= t(mode === 'amount' ? 'sales.refund.invalidAmount' : 'sales.refund.pickItems');
          else next.form = saleErrorText(err, t, currency, i18n.language);
        }
      } else next.form = saleErrorText(err, t, currency, i18n.language);
      setErrors(next);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Errors = {};
    const body: RefundInput = { reason: reason.trim(), restock };
    if (mode === 'amount') {
      const amount = parseMoneyInput(amountText, currency);
      if (amount === null || amount <= 0) next.amount = t('sales.refund.invalidAmount');
      else body.amount = amount;
    } else {
      if (picked.length === 0) next.items = t('sales.refund.pickItems');
      else body.items = picked.map(({ item, left }) => ({ itemId: item.id, quantity: Math.min(quantities[item.id] ?? 0, left) }));
    }
    if (!body.reason) next.reason = t('sales.refund.reasonRequired');
    setErrors(next);
    if (Object.keys(next).length === 0) mutation.mutate(body);
  };

  const switchMode = (m: Mode) => {
    setMode(m);
    setErrors({});
  };
  const modeButton = (m: Mode) =>
    `flex-1 rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${
      mode === m ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900'
    }`;

  return (
    <form onSubmit={submit} noValidate className="space-y-3 rounded-lg border border-slate-200 bg-slate-50 p-3" data-testid="refund-form">
      <h3 className="flex items-center gap-2 text-sm font-semibold text-slate-900">
        <Undo2 className="size-4 text-slate-500" aria-hidden="true" />
        {t('sales.refund.title')}
      </h3>
      {errors.form && <Alert testId="refund-error">{errors.form}</Alert>}
      <fieldset>
        <legend className="sr-only">{t('sales.refund.mode')}</legend>
        <div className="flex gap-1 rounded-lg bg-slate-200 p-1">
          <button type="button" className={modeButton('amount')} aria-pressed={mode === 'amount'} onClick={() => switchMode('amount')} data-testid="refund-mode-amount">
            {t('sales.refund.byAmount')}
          </button>
          <button type="button" className={modeButton('items')} aria-pressed={mode === 'items'} onClick={() => switchMode('items')} data-testid="refund-mode-items">
            {t('sales.refund.byItems')}
          </button>
        </div>
      </fieldset>

      {mode === 'amount' ? (
        <Field label={t('sales.refund.amount')} error={errors.amount} hint={t('sales.refund.refundable', { amount: money(refundable) })}>
          {(c) => (
            <TextInput
              {...c}
              inputMode="decimal"
              value={amountText}
              placeholder={moneyInputValue(refundable, currency)}
              onChange={(e) => setAmountText(e.target.value)}
              data-testid="refund-amount"
            />
          )}
        </Field>
      ) : (
        <div className="space-y-2" data-testid="refund-items">
          {items.every(({ left }) => left === 0) ? (
            <p className="text-sm text-slate-500">{t('sales.refund.noItems')}</p>
          ) : (
            <ul className="space-y-1.5">
              {items.map(({ item, left }) => (
                <li key={item.id} className="flex items-center gap-2 text-sm">
                  <label htmlFor={`refund-qty-${item.id}`} className="min-w-0 flex-1 truncate text-slate-700">
                    {item.name}
                    <span className="ml-1 text-xs text-slate-500">({money(refundOf(item, 1))} · max {left})</span>
                  </label>
                  <div className="w-20 shrink-0">
                  <TextInput
                    id={`refund-qty-${item.id}`}
                    type="number"
                    min={0}
                    max={left}
                    step={1}
                    disabled={left === 0}
                    className="text-right"
                    aria-label={t('sales.refund.quantity', { name: item.name })}
                    value={quantities[item.id] ?? 0}
                    onChange={(e) => {
                      const n = Math.max(0, Math.min(left, Math.floor(Number(e.target.value) || 0)));
                      setQuantities((q) => ({ ...q, [item.id]: n }));
                    }}
                    data-testid="refund-qty"
                    data-item-id={item.id}
                  />
                  </div>
                </li>
              ))}
            </ul>
          )}
          <p className="text-xs text-slate-500" data-testid="refund-items-total" data-amount={itemsTotal}>
            {t('sales.refund.itemsTotal', { amount: money(itemsTotal) })} · {t('sales.refund.refundable', { amount: money(refundable) })}
          </p>
          {errors.items && (
            <p className="text-xs font-medium text-red-600" data-testid="field-error">{errors.items}</p>
          )}
        </div>
      )}

      <Field label={t('sales.refund.reason')} error={errors.reason}>
        {(c) => (
          <TextInput
            {...c}
            value={reason}
            maxLength={300}
            placeholder={t('sales.refund.reasonPlaceholder')}
            onChange={(e) => setReason(e.target.value)}
            data-testid="refund-reason"
          />
        )}
      </Field>
      <div className="flex items-start gap-2">
        <input
          id={restockId}
          type="checkbox"
          checked={restock}
          onChange={(e) => setRestock(e.target.checked)}
          className="mt-0.5 size-4 rounded border-slate-300 text-teal-600 focus:ring-teal-500"
          data-testid="refund-restock"
        />
        <label htmlFor={restockId} className="text-sm text-slate-700">
          {t('sales.refund.restock')}
          <span className="block text-xs text-slate-500">{t('sales.refund.restockHint')}</span>
        </label>
      </div>
      <Button type="submit" variant="secondary" className="w-full" loading={mutation.isPending} data-testid="refund-submit">
        {t('sales.refund.submit')}
      </Button>
    </form>
  );
}
