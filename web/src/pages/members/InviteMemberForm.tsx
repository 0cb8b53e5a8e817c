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

const FIELDS = ['email', 'name', 'role', 'password', 'pin'];
const CODE_FIELDS = { 'member.exists': 'email', 'member.password_existing_account': 'password', 'member.pin_taken': 'pin' };
const EMPTY = { email: '', name: '', role: 'cashier' as Role, password: '', pin: '' };

/**
 * "Inviter un membre": adds a member, creating the account when the e-mail is unknown;
 * or, "Code PIN seulement", a member without e-mail who uses a shared till with a PIN.
 */
export function InviteMemberForm({ companyId }: { companyId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const [pinOnly, setPinOnly] = useState(false);
  const errors = useFormErrors(FIELDS, CODE_FIELDS);
  const mutation = useMutation({
    mutationFn: () =>
      addMember(
        companyId,
        pinOnly
          ? { role: form.role, name: form.name.trim(), pin: form.pin }
          : {
              email: form.email.trim(),
              role: form.role,
              name: form.name.trim() || undefined,
              password: form.password || undefined,
              pin: form.pin || undefined,
            },
      ),
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
  const set = (key: 'email' | 'name' | 'password' | 'pin') => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: key === 'pin' ? e.target.value.replace(/\D/g, '').slice(0, 6) : e.target.value }));
  const mode = (v: boolean) => `rounded-md px-3 py-1.5 text-sm font-medium ${pinOnly === v ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900'}`;

  return (
    <Card>
      <CardHeader title={t('members.invite.title')} />
      <CardBody>
        <form onSubmit={submit} noValidate className="space-y-4" data-testid="invite-member-form">
          {errors.formError && <Alert>{errors.formError}</Alert>}
          <fieldset>
            <legend className="sr-only">{t('till.members.modeLabel')}</legend>
            <div className="inline-flex rounded-lg bg-slate-100 p-1" data-testid="invite-mode">
              <button type="button" className={mode(false)} aria-pressed={!pinOnly} onClick={() => setPinOnly(false)} data-testid="invite-mode-email">
                {t('till.members.modeEmail')}
              </button>
              <button type="button" className={mode(true)} aria-pressed={pinOnly} onClick={() => setPinOnly(true)} data-testid="invite-mode-pin">
                {t('till.members.modePin')}
              </button>
            </div>
            {pinOnly && <p className="mt-2 text-xs text-slate-500">{t('till.members.modePinHint')}</p>}
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-2">
            {!pinOnly && (
              <Field label={t('members.invite.email')} error={errors.field('email')}>
                {(c) => (
                  <TextInput {...c} type="email" name="email" autoComplete="off" value={form.email} onChange={set('email')} />
                )}
              </Field>
            )}
            <Field label={t('members.invite.name')} error={errors.field('name')} optional={!pinOnly}>
              {(c) => <TextInput {...c} name="name" autoComplete="off" value={form.name} onChange={set('name')} />}
            </Field>
            <Field label={t('members.invite.role')} error={errors.field('role')}>
              {(c) => (
                <RoleSelect {...c} name="role" value={form.role} onChange={(role) => setForm((f) => ({ ...f, role }))} />
              )}
            </Field>
            {!pinOnly && (
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
            )}
            <Field label={t('till.members.pin')} error={errors.field('pin')} hint={t('till.members.pinHint')} optional={!pinOnly}>
              {(c) => (
                <PasswordInput
                  {...c}
                  name="pin"
                  inputMode="numeric"
                  autoComplete="off"
                  value={form.pin}
                  onChange={set('pin')}
                  data-testid="invite-pin"
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
