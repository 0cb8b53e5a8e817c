import { useQuery } from '@tanstack/react-query';
import { CircleCheck, Download } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, buttonClass } from '../../components/ui/Button.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { formatMoney } from '../../lib/money.ts';
import { payApi, payKeys, payReceiptHtmlUrl, type PublicSession } from '../../lib/pay.ts';
import { printingPdf } from '../../lib/printing.ts';

/** Paid: the receipt (business, lines, total, local date, reference, method) and its download. */
export function ReceiptStep({ token, session }: { token: string; session: PublicSession }) {
  const { t, i18n } = useTranslation();
  const receipt = useQuery({
    queryKey: payKeys.receipt(token),
    queryFn: () => payApi.receipt(token),
    staleTime: Number.POSITIVE_INFINITY,
    // The receipt may be written a moment after the session says paid.
    retry: (count, err) => count < 5 && (isApiError(err, 'receipt.not_found') || !isApiError(err) || err.status >= 500),
    retryDelay: 1_500,
  });
  const r = receipt.data;
  const money = (n: number) => formatMoney(n, r?.currency ?? session.business.currency, i18n.language);

  return (
    <section className="space-y-4" data-testid="pay-receipt">
      <div className="flex flex-col items-center gap-2 rounded-xl border border-emerald-200 bg-emerald-50 p-5 text-center">
        <CircleCheck className="size-10 text-emerald-600" aria-hidden="true" />
        <h1 className="text-xl font-semibold text-emerald-900">{t('pay.paidTitle')}</h1>
        <p className="text-sm text-emerald-900">{t('pay.reference')}</p>
        <p className="font-mono text-2xl font-bold tracking-wider" data-testid="pay-receipt-reference">
          {r?.reference ?? session.receipt?.reference ?? ''}
        </p>
      </div>

      {receipt.isPending ? (
        <div className="h-40 animate-pulse rounded-xl bg-slate-200" role="status">
          <span className="sr-only">{t('common.loading')}</span>
        </div>
      ) : receipt.isError ? (
        <div className="space-y-3">
          <Alert>{errorMessage(receipt.error, t)}</Alert>
          <Button variant="secondary" className="w-full" onClick={() => void receipt.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : (
        r && (
          <article className="rounded-xl border border-slate-200 bg-white text-sm" data-testid="pay-receipt-details">
            <header className="border-b border-slate-200 px-4 py-3">
              <h2 className="font-semibold">{r.business.name}</h2>
              {r.business.address && <p className="text-xs whitespace-pre-line text-slate-500">{r.business.address}</p>}
            </header>
            <ul className="divide-y divide-slate-100">
              {r.lines.map((l, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: receipt lines have no id and never change
                <li key={i} className="flex items-baseline justify-between gap-3 px-4 py-2">
                  <span className="min-w-0">
                    {l.quantity > 1 && <span className="font-medium">{l.quantity} × </span>}
                    {l.name}
                  </span>
                  <span className="shrink-0 tabular-nums">{money(l.total)}</span>
                </li>
              ))}
            </ul>
            <p className="flex justify-between border-t border-slate-200 px-4 py-3 text-base font-semibold">
              <span>{t('pay.total')}</span>
              <span className="tabular-nums" data-testid="pay-receipt-total">
                {money(r.total)}
              </span>
            </p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 border-t border-slate-200 px-4 py-3 text-slate-600">
              <dt>{t('pay.date')}</dt>
              <dd className="text-right text-slate-900">{r.paidAtLocal}</dd>
              <dt>{t('pay.method')}</dt>
              <dd className="text-right text-slate-900" data-testid="pay-receipt-method">
                {t(`pay.methods.${r.method}`)}
              </dd>
              {r.clientName && (
                <>
                  <dt>{t('pay.client')}</dt>
                  <dd className="text-right text-slate-900">{r.clientName}</dd>
                </>
              )}
            </dl>
          </article>
        )
      )}

      <a
        href={payReceiptHtmlUrl(token)}
        download
        className={buttonClass('primary', 'md', 'h-12 w-full text-base')}
        data-testid="pay-receipt-download"
      >
        <Download className="size-5" aria-hidden="true" />
        {t('pay.download')}
      </a>
      <a href={printingPdf.payReceipt(token, i18n.language)} download className={buttonClass('secondary', 'md', 'h-12 w-full text-base')} data-testid="pay-receipt-pdf">
        <Download className="size-5" aria-hidden="true" />
        {t('printed.pdf')}
      </a>
    </section>
  );
}
