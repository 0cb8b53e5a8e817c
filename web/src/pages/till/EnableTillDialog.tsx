import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import { Modal } from '../../components/ui/Modal.tsx';
import { enableTill, padPath } from '../../lib/till.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const FIELDS = ['label'];

/**
 * "Mode caisse partagée" (managers and owners): this device becomes a shared till of
 * the company, where staff switch user with their PIN.
 */
export function EnableTillDialog({ companyId, open, onClose }: { companyId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [label, setLabel] = useState(() => t('till.enable.labelDefault'));
  const errors = useFormErrors(FIELDS);
  const mutation = useMutation({
    mutationFn: () => enableTill(companyId, label.trim()),
    // A full reload: the manager's cache and live stream do not survive into the till.
    onSuccess: () => window.location.replace(padPath(companyId)),
    onError: errors.capture,
  });
  const close = () => {
    errors.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    mutation.mutate();
  };

  return (
    <Modal open={open} onClose={close} title={t('till.enable.title')} testId="enable-till-dialog">
      <form onSubmit={submit} noValidate className="space-y-4" data-testid="enable-till-form">
        {errors.formError && <Alert>{errors.formError}</Alert>}
        <p className="text-sm text-slate-600">{t('till.enable.body')}</p>
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600">
          <li>{t('till.enable.pointPin')}</li>
          <li>{t('till.enable.pointLock', { max: 5 })}</li>
          <li>{t('till.enable.pointEnd')}</li>
        </ul>
        <Field label={t('till.enable.label')} error={errors.field('label')}>
          {(c) => (
            <TextInput {...c} name="label" maxLength={60} value={label} onChange={(e) => setLabel(e.target.value)} data-testid="till-label" />
          )}
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="enable-till-submit">
            {t('till.enable.submit')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
