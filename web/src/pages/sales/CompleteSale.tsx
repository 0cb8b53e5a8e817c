import { useMutation } from '@tanstack/react-query';
import { CircleCheck } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { completeSale, type Sale } from '../../lib/sales.ts';
import { useSaleChanged } from '../../lib/salesQueries.ts';
import { saleErrorText } from './saleUi.tsx';

/**
 * An open sale with items and nothing left to pay (offered in full, or discounted down
 * to what was already paid) closes without another payment.
 */
export function CompleteSale({ companyId, sale, currency }: { companyId: string; sale: Sale; currency: string }) {
  const { t, i18n } = useTranslation();
  const changed = useSaleChanged(companyId);
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: () => completeSale(companyId, sale.id),
    onSuccess: (updated) => {
      setError(null);
      changed(updated);
      toast.success(t('sales.payment.completed', { reference: updated.reference }));
    },
    onError: (err) => setError(saleErrorText(err, t, currency, i18n.language)),
  });
  if (sale.status !== 'open' || sale.due !== 0 || sale.items.length === 0 || sale.pendingSync) return null;
  return (
    <div className="space-y-2 rounded-lg border border-emerald-200 bg-emerald-50 p-3" data-testid="complete-sale">
      <p className="text-sm text-emerald-900">{t('sales.payment.nothingLeft')}</p>
      {error && <Alert testId="complete-sale-error">{error}</Alert>}
      <Button
        className="w-full"
        loading={mutation.isPending}
        icon={<CircleCheck className="size-4" aria-hidden="true" />}
        onClick={() => mutation.mutate()}
        data-testid="complete-sale-submit"
      >
        {t('sales.payment.complete')}
      </Button>
    </div>
  );
}
