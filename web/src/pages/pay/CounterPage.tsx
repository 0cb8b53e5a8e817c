import { useQuery } from '@tanstack/react-query';
import { QrCode } from 'lucide-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { payApi, payKeys } from '../../lib/pay.ts';
import { uuid } from '../../lib/uuid.ts';
import { PayFrame, PayMessage, PaySkeleton } from './PayFrame.tsx';

/**
 * /pay/c/:code — the QR code printed on a counter: the business and counter name,
 * and "Commencer", which opens a fresh payment session (never on page load).
 */
export function CounterPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Same key until a session is created: a tap retried after a lost answer opens one session, not two.
  const key = useRef(uuid());

  const counter = useQuery({ queryKey: payKeys.counter(code), queryFn: () => payApi.counter(code), staleTime: 60_000 });

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      const { token } = await payApi.startAtCounter(code, key.current);
      key.current = uuid();
      navigate(`/pay/${encodeURIComponent(token)}`);
    } catch (err) {
      if (isApiError(err) && err.status > 0) key.current = uuid();
      setError(errorMessage(err, t));
      setStarting(false);
    }
  };

  if (counter.isPending) {
    return (
      <PayFrame>
        <PaySkeleton />
      </PayFrame>
    );
  }
  if (counter.isError) {
    const unknown = isApiError(counter.error) && counter.error.status === 404;
    return (
      <PayFrame>
        {unknown ? (
          <PayMessage title={t('pay.counterNotFoundTitle')} body={t('pay.counterNotFoundBody')} testId="pay-not-found" />
        ) : (
          <div className="space-y-3 pt-6">
            <Alert>{errorMessage(counter.error, t)}</Alert>
            <Button variant="secondary" className="w-full" onClick={() => void counter.refetch()}>
              {t('common.retry')}
            </Button>
          </div>
        )}
      </PayFrame>
    );
  }

  const { business, counter: desk } = counter.data;
  return (
    <PayFrame business={business.name}>
      <div className="flex flex-col items-center gap-4 pt-8 text-center" data-testid="pay-counter">
        <QrCode className="size-12 text-teal-600" aria-hidden="true" />
        <div>
          <h1 className="text-2xl font-semibold">{business.name}</h1>
          <p className="text-slate-600" data-testid="pay-counter-name">
            {desk.name}
          </p>
        </div>
        <p className="text-sm text-slate-600">{t('pay.counterHint')}</p>
        {error && <Alert>{error}</Alert>}
        <Button
          className="h-16 w-full text-lg"
          loading={starting}
          onClick={() => void start()}
          data-testid="pay-counter-start"
        >
          {t('pay.start')}
        </Button>
      </div>
    </PayFrame>
  );
}
