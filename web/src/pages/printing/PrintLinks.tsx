import { FileText, ReceiptText } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { buttonClass } from '../../components/ui/Button.tsx';

/** "Reçu": the sale's receipt (its bill while open), ready to print or download. */
export function ReceiptButton({ companyId, saleId }: { companyId: string; saleId: string }) {
  const { t } = useTranslation();
  return (
    <Link to={`/c/${companyId}/sales/${saleId}/receipt?format=80mm`} className={buttonClass('secondary', 'sm')} data-testid="sale-receipt">
      <ReceiptText className="size-4" aria-hidden="true" />
      {t('printed.openReceipt')}
    </Link>
  );
}

/** "Rapport Z" once a session is closed, "Rapport X" while it is open. */
export function ReportButton({ companyId, sessionId, closed }: { companyId: string; sessionId: string; closed: boolean }) {
  const { t } = useTranslation();
  return (
    <Link
      to={`/c/${companyId}/cash-sessions/${sessionId}/report`}
      className={buttonClass('secondary', 'sm')}
      data-testid={closed ? 'session-report-z' : 'session-report-x'}
    >
      <FileText className="size-4" aria-hidden="true" />
      {closed ? t('printed.openReportZ') : t('printed.openReportX')}
    </Link>
  );
}
