import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, Banknote, Check, Copy, CreditCard, Route, Smartphone } from 'lucide-react';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { Field, inputClass, Select } from '../../components/ui/Field.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useOpenCashSessions } from '../../lib/cashQueries.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useRefreshPayments } from '../../lib/paymentQueries.ts';
import {
  apiAssetUrl,
  confirmPayment,
  type PaymentStatus,
  type ProviderPayment,
  type ReceiptDelivery,
  type SessionStatus,
} from '../../lib/payments.ts';
import { qk } from '../../lib/queryKeys.ts';
import { hasRole } from '../../lib/session.ts';
import { AUDIT_READERS, CASH_SESSION_RUNNERS, PAYMENT_RUNNERS } from '../../nav.ts';

const badge = 'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap';

const SESSION_STYLES: Record<SessionStatus, string> = {
  created: 'bg-slate-100 text-slate-700',
  scanned: 'bg-sky-100 text-sky-800',
  identified: 'bg-indigo-100 text-indigo-800',
  service_selected: 'bg-violet-100 text-violet-800',
  payment_initiated: 'bg-amber-100 text-amber-900',
  paid: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  abandoned: 'bg-slate-200 text-slate-600',
  expired: 'bg-slate-200 text-slate-600',
};

/** A QR payment session's state; `data-status` carries the raw status for tests. */
export function SessionStatusBadge({ status, testId }: { status: SessionStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`${badge} ${SESSION_STYLES[status] ?? SESSION_STYLES.created}`} data-testid={testId} data-status={status}>
      {t(`payments.sessionStatuses.${status}`, { defaultValue: status })}
    </span>
  );
}

const PAYMENT_STYLES: Record<PaymentStatus, string> = {
  pending: 'bg-amber-100 text-amber-900',
  succeeded: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  expired: 'bg-slate-200 text-slate-600',
  refunded: 'bg-violet-100 text-violet-800',
};

export function PaymentStatusBadge({ status, testId }: { status: PaymentStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`${badge} ${PAYMENT_STYLES[status] ?? PAYMENT_STYLES.expired}`} data-testid={testId} data-status={status}>
      {t(`payments.paymentStatuses.${status}`, { defaultValue: status })}
    </span>
  );
}

const DELIVERY_STYLES: Record<ReceiptDelivery['status'], string> = {
  pending: 'bg-amber-100 text-amber-900',
  sent: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
};

export function DeliveryStatusBadge({ status }: { status: ReceiptDelivery['status'] }) {
  const { t } = useTranslation();
  return (
    <span className={`${badge} ${DELIVERY_STYLES[status] ?? DELIVERY_STYLES.pending}`} data-testid="receipt-delivery-status" data-status={status}>
      {t(`payments.receipt.deliveryStatuses.${status}`, { defaultValue: status })}
    </span>
  );
}

export const METHOD_ICONS = { cash: Banknote, card: CreditCard, mobile_money: Smartphone } as const;

/** "Espèces", "Carte"… with its icon. */
export function MethodLabel({ method }: { method: ProviderPayment['method'] }) {
  const { t } = useTranslation();
  const Icon = METHOD_ICONS[method] ?? Banknote;
  return (
    <span className="inline-flex items-center gap-1.5">
      <Icon className="size-4 text-slate-500" aria-hidden="true" />
      {t(`sales.methods.${method}`, { defaultValue: method })}
    </span>
  );
}

/**
 * A QR code the server drew: its inline SVG markup when we have it (the POST
 * answer), else its staff image URL (cookie auth, same origin).
 */
export function ServerQr({ svg, src, alt, className, testId }: { svg?: string; src?: string; alt: string; className?: string; testId?: string }) {
  const url = svg ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` : src ? apiAssetUrl(src) : undefined;
  if (!url) return null;
  return <img src={url} alt={alt} className={`bg-white [image-rendering:pixelated] ${className ?? ''}`} data-testid={testId} />;
}

async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API outside secure contexts: select the text for a manual copy.
    input?.select();
    return false;
  }
}

/** A read-only value (URL, webhook URL) with a copy button. */
export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  return (
    <div className="flex gap-2">
      <input
        ref={ref}
        readOnly
        value={value}
        aria-label={label}
        onFocus={(e) => e.target.select()}
        className={`${inputClass} font-mono text-xs`}
        data-testid={testId}
      />
      <Button
        variant="secondary"
        onClick={async () => setCopied(await copyText(value, ref.current))}
        icon={copied ? <Check className="size-4" aria-hidden="true" /> : <Copy className="size-4" aria-hidden="true" />}
      >
        {copied ? t('common.copied') : t('common.copy')}
      </Button>
    </div>
  );
}

/**
 * "Confirmer l'encaissement" of a pending cash payment (payments.run), for the
 * session and payment pages. The cash goes into the most recently opened cash
 * session (or the one chosen when several are open).
 */
export function ConfirmCashButton({ payment, currencyAmount }: { payment: ProviderPayment; currencyAmount: string }) {
  const { t, i18n } = useTranslation();
  const { companyId, role } = useCompanyContext();
  const queryClient = useQueryClient();
  const refresh = useRefreshPayments(companyId);
  const shown = payment.method === 'cash' && payment.status === 'pending' && hasRole(role, PAYMENT_RUNNERS);
  const sessions = useOpenCashSessions(companyId, shown && hasRole(role, CASH_SESSION_RUNNERS));
  const open = sessions.data ?? [];
  const [choice, setChoice] = useState<string | null>(null);
  const cashSessionId = open.some((s) => s.id === choice) ? (choice as string) : open[0]?.id;
  const mutation = useMutation({
    mutationFn: () => confirmPayment(companyId, payment.id, cashSessionId ? { cashSessionId } : {}),
    onSuccess: (updated) => {
      queryClient.setQueryData(qk.payment(companyId, updated.id), (old: object | undefined) => (old ? { ...old, ...updated } : old));
      refresh();
      void queryClient.invalidateQueries({ queryKey: qk.sales(companyId) });
      void queryClient.invalidateQueries({ queryKey: qk.cashSessions(companyId) });
      toast.success(t('payments.confirm.done', { amount: currencyAmount }));
    },
    onError: (err) => {
      toast.error(errorMessage(err, t));
      refresh();
    },
  });
  if (!shown) return null;
  return (
    <div className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-3" data-testid="payment-confirm-cash-panel">
      <p className="text-sm text-amber-900">{t('payments.confirm.hint', { amount: currencyAmount })}</p>
      {open.length > 1 && (
        <Field label={t('sales.payment.session')}>
          {(c) => (
            <Select {...c} value={cashSessionId ?? ''} onChange={(e) => setChoice(e.target.value)} data-testid="payment-confirm-cash-session">
              {open.map((s) => (
                <option key={s.id} value={s.id}>
                  {t('sales.payment.sessionOption', { register: s.register, date: formatDateTime(s.openedAt, i18n.language) })}
                </option>
              ))}
            </Select>
          )}
        </Field>
      )}
      <Button loading={mutation.isPending} onClick={() => mutation.mutate()} data-testid="payment-confirm-cash">
        <Banknote className="size-4" aria-hidden="true" />
        {t('payments.confirm.button')}
      </Button>
    </div>
  );
}

/** "12 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** `qrSrc`: the server's QR image of `url` (or `qrSvg`, its markup, when already at hand). */
export type PrintableQr = { business: string; title: string; subtitle?: string; url: string; qrSrc: string; qrSvg?: string };

/**
 * A print-friendly sheet (business name, title, big QR, "Scannez pour payer",
 * the URL): `print(sheet)` puts it in a portal that is the only thing printed
 * (see .print-sheet in index.css), then opens the print dialog.
 */
export function usePrintQr() {
  const { t } = useTranslation();
  const [sheet, setSheet] = useState<(PrintableQr & { key: number }) | null>(null);

  useEffect(() => {
    if (!sheet) return;
    document.body.classList.add('printing');
    const done = () => document.body.classList.remove('printing');
    window.addEventListener('afterprint', done);
    // Let the portal render and its QR image decode before the dialog freezes the page.
    const timer = setTimeout(async () => {
      const img = document.querySelector<HTMLImageElement>('.print-sheet img');
      await img?.decode().catch(() => {});
      window.print();
    }, 50);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('afterprint', done);
      done();
    };
  }, [sheet]);

  const portal: ReactNode = sheet
    ? createPortal(
        <div className="print-sheet" data-testid="print-sheet">
          <p className="print-sheet-business">{sheet.business}</p>
          <p className="print-sheet-title">{sheet.title}</p>
          {sheet.subtitle && <p className="print-sheet-subtitle">{sheet.subtitle}</p>}
          <ServerQr svg={sheet.qrSvg} src={sheet.qrSrc} alt={t('payments.print.scan')} className="print-sheet-qr" />
          <p className="print-sheet-scan">{t('payments.print.scan')}</p>
          <p className="print-sheet-url">{sheet.url}</p>
        </div>,
        document.body,
      )
    : null;
  return { print: (next: PrintableQr) => setSheet({ ...next, key: Date.now() }), portal };
}

/** "Voir la piste d'audit" of a payment or a session, for those who may read the audit trail. */
export function AuditTrailLink({ to }: { to: string }) {
  const { t } = useTranslation();
  const { role } = useCompanyContext();
  if (!hasRole(role, AUDIT_READERS)) return null;
  return (
    <Link to={to} className={`${linkClass} inline-flex items-center gap-1 text-sm`} data-testid="audit-trail-link">
      <Route className="size-4" aria-hidden="true" />
      {t('trail.view')}
    </Link>
  );
}

export function BackTo({ to, label }: { to: string; label: string }) {
  return (
    <Link to={to} className={`${linkClass} inline-flex items-center gap-1 text-sm`}>
      <ArrowLeft className="size-4" aria-hidden="true" />
      {label}
    </Link>
  );
}

/** A label and its value in a detail list. */
export function Row({ label, children, testId }: { label: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-1.5" data-testid={testId}>
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="text-right text-sm text-slate-900">{children}</dd>
    </div>
  );
}
