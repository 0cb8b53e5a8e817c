import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { isApiError } from '../../lib/api.ts';
import { printingApi, printingKeys, printingPdf } from '../../lib/printing.ts';
import { PrintFrame, usePaperFormat } from '../printing/PrintFrame.tsx';
import { ReceiptDocument, useReceiptTitle } from '../printing/ReceiptDocument.tsx';
import { PayFrame, PayMessage, PaySkeleton } from './PayFrame.tsx';

/**
 * /r/:token — the online copy of a printed receipt (its QR code leads here): no
 * account, the token is the key. Shown as printed, with its PDF.
 */
export function ReceiptLinkPage() {
  const { t, i18n } = useTranslation();
  const { token = '' } = useParams();
  const [format, setFormat] = usePaperFormat();
  const title = useReceiptTitle();
  const query = useQuery({
    queryKey: printingKeys.publicReceipt(token),
    queryFn: () => printingApi.publicReceipt(token),
    retry: (count, err) => count < 2 && !(isApiError(err) && err.status < 500),
  });
  const r = query.data;
  useEffect(() => {
    if (r) document.title = `${title(r.status)} ${r.reference} · ${r.business.name}`;
  }, [r, title]);

  if (query.isPending) {
    return (
      <PayFrame>
        <PaySkeleton />
      </PayFrame>
    );
  }
  if (query.isError) {
    const missing = isApiError(query.error) && (query.error.status === 404 || query.error.status === 400);
    return (
      <PayFrame>
        <PayMessage
          title={missing ? t('printed.notFoundTitle') : t('errors.generic')}
          body={missing ? t('printed.notFoundBody') : undefined}
          testId="receipt-link-error"
        />
      </PayFrame>
    );
  }
  return (
    <PrintFrame format={format} onFormat={setFormat} pdfUrl={printingPdf.publicReceipt(token, format, i18n.language)}>
      <ReceiptDocument receipt={query.data} format={format} />
    </PrintFrame>
  );
}
