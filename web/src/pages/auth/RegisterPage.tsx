import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/layout/AuthLayout.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { Field, PasswordInput, TextInput } from '../../components/ui/Field.tsx';
import { register } from '../../lib/endpoints.ts';
import { qk } from '../../lib/queryKeys.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const FIELDS = ['name', 'email', 'password'];

/** /register — signs in on success; PublicOnly then sends the user to company creation. */
export function RegisterPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const errors = useFormErrors(FIELDS);
  const mutation = useMutation({
    mutationFn: register,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.me }),
    onError: errors.capture,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    mutation.mutate({ name: form.name.trim(), email: form.email.trim(), password: form.password });
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const suffix = params.toString() ? `?${params.toString()}` : '';

  return (
    <AuthLayout
      titleKey="register.title"
      subtitleKey="register.subtitle"
      footer={
        <>
          {t('register.hasAccount')}{' '}
          <Link to={`/login${suffix}`} className={linkClass} data-testid="to-login">
            {t('register.toLogin')}
          </Link>
        </>
      }
    >
      <form onSubmit={submit} noValidate className="space-y-4" data-testid="register-form">
        {errors.formError && <Alert>{errors.formError}</Alert>}
        <Field label={t('register.name')} error={errors.field('name')}>
          {(c) => <TextInput {...c} name="name" autoComplete="name" value={form.name} onChange={set('name')} />}
        </Field>
        <Field label={t('register.email')} error={errors.field('email')}>
          {(c) => (
            <TextInput
              {...c}
              type="email"
              name="email"
              autoComplete="email"
              inputMode="email"
              value={form.email}
              onChange={set('email')}
            />
          )}
        </Field>
        <Field label={t('register.password')} error={errors.field('password')} hint={t('password.hint')}>
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
        <Button type="submit" className="w-full" loading={mutation.isPending} data-testid="register-submit">
          {t('register.submit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
