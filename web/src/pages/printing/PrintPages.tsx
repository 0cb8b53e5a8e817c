import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Alert } from '../../components/ui/Alert.tsx';
import { linkClass } from '../../components/ui/Button.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { printingApi, printingKeys, printingPdf } from '../../lib/printing.ts';
import { PrintFrame, usePaperFormat } from './PrintFrame.tsx';
import { ReceiptDocument } from './ReceiptDocument.tsx';
import { ReportDocument } from './ReportDocument.tsx';

function Failure({ error, back }: { error: unknown; back: { to: string; label: string } }) {
  const { t } = useTranslation();
  return (
    <main className="mx-auto max-w-md space-y-3 p-6">
      <Alert>{errorMessage(error, t)}</Alert>
      <Link to={back.to} className={linkClass}>
        {back.label}
      </Link>
    </main>
  );
}

/**
 * /c/:companyId/sales/:saleId/receipt?format=80mm|a4 — the receipt (a bill while the
 * sale is open) ready for the printer, outside the app's layout so that only it prints.
 */
export function SaleReceiptPrintPage() {
  const { t, i18n } = useTranslation();
  const { companyId = '', saleId = '' } = useParams();
  const [format, setFormat] = usePaperFormat();
  const query = useQuery({ queryKey: printingKeys.saleReceipt(companyId, saleId), queryFn: () => printingApi.saleReceipt(companyId, saleId) });
  usePageTitle('printed.receiptTitle', { reference: query.data?.reference ?? '' });
  const back = { to: `/c/${companyId}/sales/${saleId}`, label: t('printed.backToSale') };

  if (query.isPending) return <PageLoader fullScreen />;
  if (query.isError) return <Failure error={query.error} back={back} />;
  return (
    <PrintFrame format={format} onFormat={setFormat} pdfUrl={printingPdf.sale(companyId, saleId, format, i18n.language)} back={back}>
      <ReceiptDocument receipt={query.data} format={format} />
    </PrintFrame>
  );
}

/** /c/:companyId/cash-sessions/:sessionId/report — the X (open) or Z (closed) report, ready for the printer. */
export function CashReportPrintPage() {
  const { t, i18n } = useTranslation();
  const { companyId = '', sessionId = '' } = useParams();
  const [format, setFormat] = usePaperFormat();
  const query = useQuery({ queryKey: printingKeys.cashReport(companyId, sessionId), queryFn: () => printingApi.cashReport(companyId, sessionId) });
  const r = query.data?.report;
  usePageTitle('printed.reportTitle', { kind: r?.kind ?? '', register: r?.session.register ?? '' });
  const back = { to: `/c/${companyId}/cash-sessions`, label: t('printed.backToCash') };

  if (query.isPending) return <PageLoader fullScreen />;
  if (query.isError) return <Failure error={query.error} back={back} />;
  return (
    <PrintFrame format={format} onFormat={setFormat} pdfUrl={printingPdf.cashReport(companyId, sessionId, format, i18n.language)} back={back}>
      <ReportDocument report={query.data} format={format} />
    </PrintFrame>
  );
}
