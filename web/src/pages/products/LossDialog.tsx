import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Field, Select, TextInput } from '../../components/ui/Field.tsx';
import { Modal } from '../../components/ui/Modal.tsx';
import { reportStockLoss } from '../../lib/catalog.ts';
import { LOSS_REASONS, type LossReason } from '../../lib/types.ts';
import { DialogButtons, type DialogProps, parseInteger, useStockAction } from './stockAction.tsx';

const EMPTY_LOSS = { quantity: '', reason: 'broken' as LossReason, note: '' };

/** "Déclarer une perte": broken, expired, stolen… (owners, managers and cashiers). */
export function LossDialog({ companyId, product, open, onClose }: DialogProps) {
  const { t } = useTranslation();
  const [form, setForm] = useState(EMPTY_LOSS);
  const close = () => {
    setForm(EMPTY_LOSS);
    errors.reset();
    onClose();
  };
  const { errors, mutation } = useStockAction(
    companyId,
    ['quantity', 'reason', 'note'],
    { 'stock.insufficient': 'quantity' },
    async (body: { quantity: number; reason: LossReason; note?: string }) =>
      (await reportStockLoss(companyId, { productId: product.id, ...body })).product,
    'products.loss.done',
    close,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    const quantity = parseInteger(form.quantity);
    if (quantity === null || quantity < 1) return errors.setField('quantity', t('products.invalidQuantity'));
    mutation.mutate({ quantity, reason: form.reason, note: form.note.trim() || undefined });
  };
  return (
    <Modal open={open} onClose={close} title={t('products.loss.title', { name: product.name })}>
      <form onSubmit={submit} noValidate className="space-y-4" data-testid="loss-form">
        {errors.formError && <Alert>{errors.formError}</Alert>}
        <Field
          label={t('products.loss.quantity')}
          error={errors.field('quantity')}
          hint={t('products.loss.quantityHint', { available: product.available })}
        >
          {(c) => (
            <TextInput
              {...c}
              name="quantity"
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              value={form.quantity}
              onChange={(e) => setForm((f) => ({ ...f, quantity: e.target.value }))}
            />
          )}
        </Field>
        <Field label={t('products.loss.reason')} error={errors.field('reason')}>
          {(c) => (
            <Select
              {...c}
              name="reason"
              value={form.reason}
              onChange={(e) => setForm((f) => ({ ...f, reason: e.target.value as LossReason }))}
            >
              {LOSS_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`products.lossReasons.${r}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t('products.loss.note')} error={errors.field('note')} optional>
          {(c) => (
            <TextInput
              {...c}
              name="note"
              value={form.note}
              onChange={(e) => setForm((f) => ({ ...f, note: e.target.value }))}
            />
          )}
        </Field>
        <DialogButtons
          onClose={close}
          busy={mutation.isPending}
          submitLabel={t('products.loss.submit')}
          testId="loss-submit"
        />
      </form>
    </Modal>
  );
}
