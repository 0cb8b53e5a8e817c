import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Button } from '../../components/ui/Button.tsx';
import { useProductChanged } from '../../lib/catalogQueries.ts';
import type { Product } from '../../lib/types.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

export type DialogProps = { companyId: string; product: Product; open: boolean; onClose: () => void };

/** "12" → 12; "" or "1.5" → null. */
export function parseInteger(text: string): number | null {
  const trimmed = text.trim().replace(/^\+/, '');
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/** Mutation + error state shared by the three dialogs: toast, cache update, close. */
export function useStockAction<V>(
  companyId: string,
  fields: string[],
  codeFields: Record<string, string>,
  run: (v: V) => Promise<Product>,
  doneKey: string,
  onDone: () => void,
) {
  const { t } = useTranslation();
  const changed = useProductChanged(companyId);
  const errors = useFormErrors(fields, codeFields);
  const mutation = useMutation({
    mutationFn: run,
    onSuccess: (product) => {
      changed(product);
      toast.success(t(doneKey, { name: product.name, available: product.available }));
      errors.reset();
      onDone();
    },
    onError: errors.capture,
  });
  return { errors, mutation };
}

export function DialogButtons({
  onClose,
  busy,
  submitLabel,
  testId,
}: {
  onClose: () => void;
  busy: boolean;
  submitLabel: string;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="flex justify-end gap-2">
      <Button variant="secondary" onClick={onClose}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={busy} data-testid={testId}>
        {submitLabel}
      </Button>
    </div>
  );
}
