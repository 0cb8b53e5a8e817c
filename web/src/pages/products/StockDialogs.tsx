import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import { Modal } from '../../components/ui/Modal.tsx';
import { adjustStock, restockProduct } from '../../lib/catalog.ts';
import { DialogButtons, type DialogProps, parseInteger, useStockAction } from './stockAction.tsx';

/** "Réapprovisionner": goods received (owners and managers). */
export function RestockDialog({ companyId, product, open, onClose }: DialogProps) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ quantity: '', note: '' });
  const close = () => {
    setForm({ quantity: '', note: '' });
    errors.reset();
    onClose();
  };
  const { errors, mutation } = useStockAction(
    companyId,
    ['quantity', 'note'],
    {},
    (body: { quantity: number; note?: string }) => restockProduct(companyId, product.id, body),
    'products.restock.done',
    close,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    const quantity = parseInteger(form.quantity);
    if (quantity === null || quantity < 1) return errors.setField('quantity', t('products.invalidQuantity'));
    mutation.mutate({ quantity, note: form.note.trim() || undefined });
  };
  return (
    <Modal open={open} onClose={close} title={t('products.restock.title', { name: product.name })}>
      <form onSubmit={submit} noValidate className="space-y-4" data-testid="restock-form">
        {errors.formError && <Alert>{errors.formError}</Alert>}
        <Field label={t('products.restock.quantity')} error={errors.field('quantity')}>
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
        <Field
          label={t('products.restock.note')}
          error={errors.field('note')}
          hint={t('products.restock.noteHint')}
          optional
        >
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
          submitLabel={t('products.restock.submit')}
          testId="restock-submit"
        />
      </form>
    </Modal>
  );
}

/** "Ajuster": a counted correction, up or down, with a reason (owners and managers). */
export function AdjustDialog({ companyId, product, open, onClose }: DialogProps) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ delta: '', reason: '' });
  const close = () => {
    setForm({ delta: '', reason: '' });
    errors.reset();
    onClose();
  };
  const { errors, mutation } = useStockAction(
    companyId,
    ['delta', 'reason'],
    { 'stock.insufficient': 'delta' },
    (body: { delta: number; reason: string }) => adjustStock(companyId, product.id, body),
    'products.adjust.done',
    close,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    const delta = parseInteger(form.delta);
    if (delta === null || delta === 0) return errors.setField('delta', t('products.adjust.invalidDelta'));
    if (!form.reason.trim()) return errors.setField('reason', t('errors.field.required'));
    mutation.mutate({ delta, reason: form.reason.trim() });
  };
  return (
    <Modal open={open} onClose={close} title={t('products.adjust.title', { name: product.name })}>
      <form onSubmit={submit} noValidate className="space-y-4" data-testid="adjust-form">
        {errors.formError && <Alert>{errors.formError}</Alert>}
        <Field
          label={t('products.adjust.delta')}
          error={errors.field('delta')}
          hint={t('products.adjust.deltaHint', { onHand: product.onHand })}
        >
          {(c) => (
            <TextInput
              {...c}
              name="delta"
              type="number"
              inputMode="numeric"
              step={1}
              value={form.delta}
              onChange={(e) => setForm((f) => ({ ...f, delta: e.target.value }))}
            />
          )}
        </Field>
        <Field
          label={t('products.adjust.reason')}
          error={errors.field('reason')}
          hint={t('products.adjust.reasonHint')}
        >
          {(c) => (
            <TextInput
              {...c}
              name="reason"
              value={form.reason}
              onChange={(e) => setForm((f) => ({ ...f, reason: e.target.value }))}
            />
          )}
        </Field>
        <DialogButtons
          onClose={close}
          busy={mutation.isPending}
          submitLabel={t('products.adjust.submit')}
          testId="adjust-submit"
        />
      </form>
    </Modal>
  );
}
