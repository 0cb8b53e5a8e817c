import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UserPlus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader } from '../../components/ui/Card.tsx';
import { Field, PasswordInput, TextInput } from '../../components/ui/Field.tsx';
import { RoleSelect } from '../../components/ui/RoleSelect.tsx';
import { addMember } from '../../lib/endpoints.ts';
import { qk } from '../../lib/queryKeys.ts';
import type { Role } from '../../lib/types.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const FIELDS = ['email', 'name', 'role', 'password'];
const CODE_FIELDS = { 'member.exists': 'email', 'member.password_existing_account': 'password' };
const EMPTY = { email: '', name: '', role: 'cashier' as Role, password: '' };

/** "Inviter un membre": adds a member, creating the account when the e-mail is unknown. */
export function InviteMemberForm({ companyId }: { companyId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const errors = useFormErrors(FIELDS, CODE_FIELDS);
  const mutation = useMutation({
    mutationFn: () =>
      addMember(companyId, {
        email: form.email.trim(),
        role: form.role,
        name: form.name.trim() || undefined,
        password: form.password || undefined,
      }),
    onSuccess: () => {
      toast.success(t('members.invite.done'));
      setForm(EMPTY);
      void queryClient.invalidateQueries({ queryKey: qk.members(companyId) });
    },
    onError: errors.capture,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    mutation.mutate();
  };
  const set = (key: 'email' | 'name' | 'password') => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  return (
    <Card>
      <CardHeader title={t('members.invite.title')} />
      <CardBody>
        <form onSubmit={submit} noValidate className="space-y-4" data-testid="invite-member-form">
          {errors.formError && <Alert>{errors.formError}</Alert>}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('members.invite.email')} error={errors.field('email')}>
              {(c) => (
                <TextInput {...c} type="email" name="email" autoComplete="off" value={form.email} onChange={set('email')} />
              )}
            </Field>
            <Field label={t('members.invite.name')} error={errors.field('name')} optional>
              {(c) => <TextInput {...c} name="name" autoComplete="off" value={form.name} onChange={set('name')} />}
            </Field>
            <Field label={t('members.invite.role')} error={errors.field('role')}>
              {(c) => (
                <RoleSelect {...c} name="role" value={form.role} onChange={(role) => setForm((f) => ({ ...f, role }))} />
              )}
            </Field>
            <Field
              label={t('members.invite.password')}
              error={errors.field('password')}
              hint={t('members.invite.passwordHint')}
              optional
            >
              {(c) => (
                <PasswordInput
                  {...c}
                  name="password"
                  autoComplete="new-password"
                  value={form.password}
                  onChange={set('password')}
                />
              )}
            </Field>
          </div>
          <div className="flex justify-end">
            <Button
              type="submit"
              loading={mutation.isPending}
              icon={<UserPlus className="size-4" aria-hidden="true" />}
              data-testid="invite-member-submit"
            >
              {t('members.invite.submit')}
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
