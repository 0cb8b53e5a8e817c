import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Field, PasswordInput } from '../../components/ui/Field.tsx';
import { Modal } from '../../components/ui/Modal.tsx';
import { setMemberPassword } from '../../lib/endpoints.ts';
import type { Member } from '../../lib/types.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const FIELDS = ['password'];

/** Owner only: sets a member's password (PUT …/members/{userId}/password). */
export function SetPasswordDialog({ companyId, member, onClose }: { companyId: string; member: Member | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const errors = useFormErrors(FIELDS);
  const close = () => {
    setPassword('');
    errors.reset();
    onClose();
  };
  const mutation = useMutation({
    mutationFn: (m: Member) => setMemberPassword(companyId, m.userId, password),
    onSuccess: () => {
      toast.success(t('members.passwordSet'));
      close();
    },
    onError: errors.capture,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    if (member) mutation.mutate(member);
  };

  return (
    <Modal open={member !== null} onClose={close} title={t('members.setPasswordFor', { name: member?.name ?? '' })}>
      <form onSubmit={submit} noValidate className="space-y-4" data-testid="set-password-form">
        {errors.formError && <Alert>{errors.formError}</Alert>}
        <Field label={t('changePassword.new')} error={errors.field('password')} hint={t('password.hint')}>
          {(c) => (
            <PasswordInput
              {...c}
              name="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="set-password-submit">
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
