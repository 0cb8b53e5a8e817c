import { useMutation } from '@tanstack/react-query';
import { BadgePercent, Trash2 } from 'lucide-react';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Field, Select, TextInput } from '../../components/ui/Field.tsx';
import { Modal } from '../../components/ui/Modal.tsx';
import { ApiError, isApiError } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useCompany } from '../../lib/companyQueries.ts';
import { formatMoney, moneyInputValue, parseMoneyInput } from '../../lib/money.ts';
import { parsePercentInput, percentInputValue } from '../../lib/percent.ts';
import {
  DISCOUNT_KINDS,
  type DiscountInput,
  type DiscountKind,
  discountItem,
  discountSale,
  removeItemDiscount,
  removeSaleDiscount,
  type Sale,
  type SaleDiscount,
  type SaleItem,
} from '../../lib/sales.ts';
import { useSaleChanged } from '../../lib/salesQueries.ts';
import { hasRole } from '../../lib/session.ts';
import { saleErrorText } from './saleUi.tsx';

const APPROVERS = ['owner', 'manager'] as const;
const DEFAULT_LIMIT = 20;

/** What a discount takes off its base, as the server computes it (percent: basis points, rounded half up). */
export function discountPreview(kind: DiscountKind, value: number, base: number): number {
  if (base <= 0 || value <= 0) return 0;
  if (kind === 'amount') return Math.min(value, base);
  return Number((2n * BigInt(base) * BigInt(Math.min(value, 10_000)) + 10_000n) / 20_000n);
}

/** The line's gross (before its discount), or the sale before its whole-sale discount. */
const baseOf = (sale: Sale, item?: SaleItem) =>
  item ? item.unitPrice * item.quantity : sale.items.reduce((sum, i) => sum + i.lineTotal, 0);

type Errors = { form?: string; value?: string; reason?: string; pin?: string };

/**
 * A discount on a line (item) or on the whole sale: an amount or a percentage, with a
 * reason. Above the company's limit a manager types their PIN here (asked up front
 * when the limit is known, or when the server answers discount.approval_required).
 */
export function DiscountDialog({ companyId, sale, item, currency, open, onClose }: {
  companyId: string;
  sale: Sale;
  item?: SaleItem;
  currency: string;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={item ? t('sales.discount.titleLine', { name: item.name }) : t('sales.discount.titleSale')}
      testId="discount-dialog"
    >
      {open && <DiscountForm companyId={companyId} sale={sale} item={item} currency={currency} onDone={onClose} />}
    </Modal>
  );
}

function DiscountForm({ companyId, sale, item, currency, onDone }: { companyId: string; sale: Sale; item?: SaleItem; currency: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const money = (n: number) => formatMoney(n, currency, i18n.language);
  const { role } = useCompanyContext();
  const company = useCompany(companyId);
  const changed = useSaleChanged(companyId);
  const existing: SaleDiscount | null | undefined = item ? item.discount : sale.discount;
  const [kind, setKind] = useState<DiscountKind>(existing?.kind ?? 'percent');
  const [valueText, setValueText] = useState(() =>
    existing ? (existing.kind === 'amount' ? moneyInputValue(existing.value, currency) : percentInputValue(existing.value)) : '',
  );
  const [reason, setReason] = useState(existing?.reason ?? '');
  const [pin, setPin] = useState('');
  /** The server asked for a manager's approval (limit from its answer). */
  const [askedLimit, setAskedLimit] = useState<number | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const pinRef = useRef<HTMLInputElement>(null);

  const base = baseOf(sale, item);
  const value = kind === 'amount' ? parseMoneyInput(valueText, currency) : parsePercentInput(valueText);
  const amount = value === null ? 0 : discountPreview(kind, value, base);
  const limit = askedLimit ?? company.data?.settings.discountApprovalPercent ?? DEFAULT_LIMIT;
  const approves = hasRole(role, APPROVERS);
  const needsPin = askedLimit !== null || (!approves && amount * 100 > limit * base);

  const done = (updated: Sale, message: string) => {
    changed(updated);
    toast.success(message);
    onDone();
  };
  const apply = useMutation({
    mutationFn: (body: DiscountInput) => (item ? discountItem(companyId, sale.id, item.id, body) : discountSale(companyId, sale.id, body)),
    onSuccess: (updated) => done(updated, t('sales.discount.applied', { amount: money(amount) })),
    onError: (err) => {
      if (isApiError(err, 'discount.approval_required')) {
        const asked = Number(err.params.limitPercent);
        setAskedLimit(Number.isFinite(asked) ? asked : limit);
        setErrors({});
        setTimeout(() => pinRef.current?.focus(), 0);
        return;
      }
      if (isApiError(err, 'discount.approval_refused')) {
        setPin('');
        setErrors({ pin: saleErrorText(err, t, currency, i18n.language) });
        setTimeout(() => pinRef.current?.focus(), 0);
        return;
      }
      const next: Errors = {};
      if (err instanceof ApiError && err.errors.length > 0) {
        for (const e of err.errors) {
          if (e.field === 'value') next.value ??= e.code === 'too_big' ? t('sales.discount.tooBig', { amount: money(base) }) : t('sales.discount.invalidValue');
          else if (e.field === 'reason') next.reason ??= t('sales.discount.reasonRequired');
          else if (e.field === 'managerPin') next.pin ??= t('sales.discount.pinRequired');
          else next.form = saleErrorText(err, t, currency, i18n.language);
        }
      } else next.form = saleErrorText(err, t, currency, i18n.language);
      setErrors(next);
    },
  });
  const remove = useMutation({
    mutationFn: () => (item ? removeItemDiscount(companyId, sale.id, item.id) : removeSaleDiscount(companyId, sale.id)),
    onSuccess: (updated) => done(updated, t('sales.discount.removed')),
    onError: (err) => setErrors({ form: saleErrorText(err, t, currency, i18n.language) }),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Errors = {};
    if (value === null || value <= 0 || amount <= 0) next.value = t('sales.discount.invalidValue');
    else if (kind === 'percent' && value > 10_000) next.value = t('sales.discount.percentTooBig');
    else if (kind === 'amount' && value > base) next.value = t('sales.discount.tooBig', { amount: money(base) });
    if (!reason.trim()) next.reason = t('sales.discount.reasonRequired');
    if (needsPin && !/^\d{4,6}$/.test(pin)) next.pin = t('sales.discount.pinRequired');
    setErrors(next);
    if (Object.keys(next).length > 0 || value === null) return;
    apply.mutate({ kind, value, reason: reason.trim(), ...(needsPin ? { managerPin: pin } : {}) });
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-3" data-testid="discount-form" data-target={item ? 'item' : 'sale'}>
      {errors.form && <Alert testId="discount-error">{errors.form}</Alert>}
      <p className="text-sm text-slate-600">{t('sales.discount.base', { amount: money(base) })}</p>
      <div className="grid grid-cols-2 gap-3">
        <Field label={t('sales.discount.kind')}>
          {(c) => (
            <Select {...c} value={kind} onChange={(e) => { setKind(e.target.value as DiscountKind); setValueText(''); setErrors({}); }} data-testid="discount-kind">
              {DISCOUNT_KINDS.map((k) => (
                <option key={k} value={k}>{t(`sales.discount.kinds.${k}`)}</option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={kind === 'amount' ? t('sales.discount.valueAmount', { currency }) : t('sales.discount.valuePercent')} error={errors.value}>
          {(c) => <TextInput {...c} inputMode="decimal" value={valueText} onChange={(e) => setValueText(e.target.value)} data-testid="discount-value" />}
        </Field>
      </div>
      <Field label={t('sales.discount.reason')} error={errors.reason}>
        {(c) => (
          <TextInput {...c} value={reason} maxLength={300} placeholder={t('sales.discount.reasonPlaceholder')} onChange={(e) => setReason(e.target.value)} data-testid="discount-reason" />
        )}
      </Field>
      {amount > 0 && (
        <p className="text-sm font-semibold text-slate-900" data-testid="discount-preview" data-amount={amount}>
          {t('sales.discount.preview', { amount: `−${money(amount)}` })}
        </p>
      )}
      {needsPin && (
        <div className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-3">
          <p className="text-sm text-amber-900" data-testid="discount-approval-needed">{t('sales.discount.approvalNeeded', { limit })}</p>
          <Field label={t('sales.discount.managerPin')} error={errors.pin}>
            {(c) => (
              <TextInput
                {...c}
                ref={pinRef}
                type="password"
                inputMode="numeric"
                autoComplete="off"
                maxLength={6}
                value={pin}
                onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
                data-testid="discount-pin"
              />
            )}
          </Field>
        </div>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2 pt-1">
        {existing ? (
          <Button
            variant="secondary"
            size="sm"
            loading={remove.isPending}
            icon={<Trash2 className="size-4" aria-hidden="true" />}
            onClick={() => remove.mutate()}
            data-testid="discount-remove"
          >
            {t('sales.discount.remove')}
          </Button>
        ) : (
          <span />
        )}
        <div className="flex gap-2">
          <Button variant="secondary" onClick={onDone}>{t('sales.discount.cancel')}</Button>
          <Button type="submit" loading={apply.isPending} data-testid="discount-submit">{t('sales.discount.submit')}</Button>
        </div>
      </div>
    </form>
  );
}

/** The per-line "Remise" button (opens the dialog for that line). */
export function LineDiscountButton({ companyId, sale, item, currency }: { companyId: string; sale: Sale; item: SaleItem; currency: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const label = t('sales.discount.lineButton', { name: item.name });
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="shrink-0 rounded-md p-2 text-teal-700 hover:bg-teal-50 focus-visible:outline-2 focus-visible:outline-teal-600"
        aria-label={label}
        title={label}
        data-testid="sale-item-discount"
      >
        <BadgePercent className="size-4" aria-hidden="true" />
      </button>
      {open && <DiscountDialog companyId={companyId} sale={sale} item={item} currency={currency} open onClose={() => setOpen(false)} />}
    </>
  );
}

/** "Remise sur la vente": opens the dialog for the whole sale (open sales with items). */
export function SaleDiscountButton({ companyId, sale, currency }: { companyId: string; sale: Sale; currency: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (sale.status !== 'open' || sale.items.length === 0) return null;
  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        icon={<BadgePercent className="size-4" aria-hidden="true" />}
        onClick={() => setOpen(true)}
        data-testid="sale-discount-button"
      >
        {t('sales.discount.saleButton')}
      </Button>
      {open && <DiscountDialog companyId={companyId} sale={sale} currency={currency} open onClose={() => setOpen(false)} />}
    </>
  );
}
