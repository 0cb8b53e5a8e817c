import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../components/ui/Alert.tsx';
import { linkClass } from '../../components/ui/Button.tsx';
import { ApiError, errorMessage } from '../../lib/api.ts';
import { formatMoney } from '../../lib/money.ts';
import type { RefundStatus } from '../../lib/refunds.ts';
import type { SaleStatus } from '../../lib/sales.ts';

/** errorMessage with the sales params made readable: `due` as money, `status` translated. */
export function saleErrorText(err: unknown, t: TFunction, currency: string, locale: string): string {
  if (!(err instanceof ApiError)) return errorMessage(err, t);
  const params = { ...err.params };
  for (const key of ['due', 'refundable', 'requested', 'paid', 'total'] as const) {
    if (typeof params[key] === 'number') params[key] = formatMoney(params[key], currency, locale);
  }
  const statuses = err.code.startsWith('refund.') ? 'refunds.statuses' : 'sales.statuses';
  if (typeof params.status === 'string') params.status = t(`${statuses}.${params.status}`, { defaultValue: params.status });
  return errorMessage(
    new ApiError({ status: err.status, code: err.code, params, errors: err.errors, requestId: err.requestId }),
    t,
  );
}

/** A refused sale action; `sale.table_occupied` links to the table's open sale. */
export function SaleErrorAlert({ error, companyId, currency }: { error: unknown; companyId: string; currency: string }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const existing =
    error instanceof ApiError && error.code === 'sale.table_occupied' && typeof error.params.saleId === 'string'
      ? { id: error.params.saleId, reference: String(error.params.reference ?? '') }
      : null;
  return (
    <Alert testId="sale-error">
      <p>{saleErrorText(error, t, currency, i18n.language)}</p>
      {existing && (
        <Link to={`/c/${companyId}/sales/${existing.id}`} className={linkClass} data-testid="existing-sale-link">
          {t('sales.till.openExisting', { reference: existing.reference })}
        </Link>
      )}
    </Alert>
  );
}

const STATUS_STYLES: Record<SaleStatus, string> = {
  open: 'bg-sky-100 text-sky-800',
  paid: 'bg-emerald-100 text-emerald-800',
  cancelled: 'bg-slate-200 text-slate-700',
  partially_refunded: 'bg-amber-100 text-amber-900',
  refunded: 'bg-violet-100 text-violet-800',
};

export function SaleStatusBadge({ status, testId }: { status: SaleStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${STATUS_STYLES[status] ?? STATUS_STYLES.cancelled}`}
      data-testid={testId}
      data-status={status}
    >
      {t(`sales.statuses.${status}`)}
    </span>
  );
}

const REFUND_STYLES: Record<RefundStatus, string> = {
  pending: 'bg-amber-100 text-amber-900',
  approved: 'bg-emerald-100 text-emerald-800',
  rejected: 'bg-slate-200 text-slate-700',
};

export function RefundStatusBadge({ status, testId }: { status: RefundStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${REFUND_STYLES[status] ?? REFUND_STYLES.rejected}`}
      data-testid={testId}
      data-status={status}
    >
      {t(`refunds.statuses.${status}`, { defaultValue: status })}
    </span>
  );
}
