import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { CounterPage } from './CounterPage.tsx';
import { PayFrame, PayMessage } from './PayFrame.tsx';
import { PaySessionPage } from './PaySessionPage.tsx';

/** The online copy of a printed receipt (/r/:token), in this chunk too. */
export { ReceiptLinkPage } from './ReceiptLinkPage.tsx';

/**
 * The public QR payment pages under /pay — their own lazily loaded chunk
 * (routes.tsx imports it with React.lazy), outside the staff guards and layout,
 * with the public dictionary only.
 */
export default function PayApp() {
  return (
    <Routes>
      <Route path="c/:code" element={<CounterPage />} />
      <Route path=":token" element={<PaySessionPage />} />
      <Route path="*" element={<PayNotFound />} />
    </Routes>
  );
}

function PayNotFound() {
  const { t } = useTranslation();
  return (
    <PayFrame>
      <PayMessage title={t('pay.notFoundTitle')} body={t('pay.notFoundBody')} testId="pay-not-found" />
    </PayFrame>
  );
}
