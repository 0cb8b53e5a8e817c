import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/layout/AuthLayout.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { Field, PasswordInput, TextInput } from '../../components/ui/Field.tsx';
import { login } from '../../lib/endpoints.ts';
import { qk } from '../../lib/queryKeys.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const FIELDS = ['email', 'password'];

/** /login — on success `me` is refetched and PublicOnly redirects to ?next= or home. */
export function LoginPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errors = useFormErrors(FIELDS);
  const mutation = useMutation({
    mutationFn: login,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.me }),
    onError: errors.capture,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    mutation.mutate({ email: email.trim(), password });
  };
  const suffix = params.toString() ? `?${params.toString()}` : '';

  return (
    <AuthLayout
      titleKey="login.title"
      subtitleKey="login.subtitle"
      footer={
        <>
          {t('login.noAccount')}{' '}
          <Link to={`/register${suffix}`} className={linkClass} data-testid="to-register">
            {t('login.toRegister')}
          </Link>
        </>
      }
    >
      <form onSubmit={submit} noValidate className="space-y-4" data-testid="login-form">
        {errors.formError && <Alert>{errors.formError}</Alert>}
        <Field label={t('login.email')} error={errors.field('email')}>
          {(c) => (
            <TextInput
              {...c}
              type="email"
              name="email"
              autoComplete="username"
              inputMode="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('login.password')} error={errors.field('password')}>
          {(c) => (
            <PasswordInput
              {...c}
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <div className="flex justify-end">
          <Link to="/forgot-password" className={`text-sm ${linkClass}`} data-testid="to-forgot-password">
            {t('login.forgot')}
          </Link>
        </div>
        <Button type="submit" className="w-full" loading={mutation.isPending} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
