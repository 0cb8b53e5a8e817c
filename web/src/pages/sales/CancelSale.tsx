import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleX } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { inputClass } from '../../components/ui/Field.tsx';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { cancelSale } from '../../lib/offline/tillActions.ts';
import type { Sale } from '../../lib/sales.ts';
import { useSaleChanged } from '../../lib/salesQueries.ts';
import { saleErrorText } from './saleUi.tsx';

/**
 * "Annuler la vente": the reason field is always shown (required when the sale has
 * items); the button cancels at once with it (queued offline: lib/offline).
 */
export function CancelSale({ companyId, sale, currency }: { companyId: string; sale: Sale; currency: string }) {
  const { t, i18n } = useTranslation();
  const changed = useSaleChanged(companyId);
  const { user } = useCompanyContext();
  const queryClient = useQueryClient();
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const needsReason = sale.items.length > 0;
  const mutation = useMutation({
    // Offline (or behind the sale's queued work), queued like the till's other operations.
    mutationFn: (text: string) => cancelSale({ companyId, userId: user.id, userName: user.name, queryClient }, sale, text),
    onSuccess: (updated) => {
      changed(updated);
      setError(undefined);
      toast.success(t('sales.cancel.done', { reference: updated.reference }));
    },
    onError: (err) => setError(saleErrorText(err, t, currency, i18n.language)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (needsReason && !reason.trim()) {
      setError(t('errors.field.required'));
      document.getElementById(id)?.focus();
      return;
    }
    mutation.mutate(reason.trim());
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-2 border-t border-slate-100 pt-4" data-testid="cancel-sale-form">
      {error && <Alert testId="cancel-error">{error}</Alert>}
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {t('sales.cancel.reason')}
        {!needsReason && <span className="ml-1 font-normal text-slate-400">({t('common.optional')})</span>}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id={id}
          value={reason}
          maxLength={200}
          onChange={(e) => setReason(e.target.value)}
          className={inputClass}
          aria-invalid={error && needsReason && !reason.trim() ? true : undefined}
          data-testid="cancel-reason"
        />
        <Button
          type="submit"
          variant="danger"
          loading={mutation.isPending}
          icon={<CircleX className="size-4" aria-hidden="true" />}
          className="shrink-0"
          data-testid="cancel-sale"
        >
          {t('sales.cancel.button')}
        </Button>
      </div>
      {needsReason && <p className="text-xs text-slate-500">{t('sales.cancel.reasonHint')}</p>}
    </form>
  );
}
