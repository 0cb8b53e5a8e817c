import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { changePassword } from '../../lib/endpoints.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';
import { Alert } from '../ui/Alert.tsx';
import { Button } from '../ui/Button.tsx';
import { Field, PasswordInput } from '../ui/Field.tsx';
import { Modal } from '../ui/Modal.tsx';

const FIELDS = ['currentPassword', 'newPassword'];

export function ChangePasswordDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const errors = useFormErrors(FIELDS);
  const close = () => {
    setCurrent('');
    setNew('');
    errors.reset();
    onClose();
  };
  const mutation = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      toast.success(t('changePassword.done'));
      close();
    },
    onError: errors.capture,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    mutation.mutate({ currentPassword, newPassword });
  };

  return (
    <Modal open={open} onClose={close} title={t('changePassword.title')}>
      <form onSubmit={submit} noValidate className="space-y-4" data-testid="change-password-form">
        {errors.formError && <Alert>{errors.formError}</Alert>}
        <Field label={t('changePassword.current')} error={errors.field('currentPassword')}>
          {(c) => (
            <PasswordInput
              {...c}
              name="currentPassword"
              autoComplete="current-password"
              value={currentPassword}
              onChange={(e) => setCurrent(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('changePassword.new')} error={errors.field('newPassword')} hint={t('password.hint')}>
          {(c) => (
            <PasswordInput
              {...c}
              name="newPassword"
              autoComplete="new-password"
              value={newPassword}
              onChange={(e) => setNew(e.target.value)}
            />
          )}
        </Field>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="change-password-submit">
            {t('changePassword.submit')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
