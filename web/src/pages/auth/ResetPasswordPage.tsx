import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { AuthLayout } from '../../components/layout/AuthLayout.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { Field, PasswordInput } from '../../components/ui/Field.tsx';
import { confirmPasswordReset } from '../../lib/endpoints.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const FIELDS = ['password'];

/** /reset-password?token=… — the link e-mailed by the password reset request. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const errors = useFormErrors(FIELDS);
  const mutation = useMutation({
    mutationFn: confirmPasswordReset,
    onSuccess: () => {
      toast.success(t('reset.done'));
      navigate('/login', { replace: true });
    },
    onError: errors.capture,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    mutation.mutate({ token, password });
  };

  return (
    <AuthLayout
      titleKey="reset.title"
      subtitleKey="reset.subtitle"
      footer={
        <Link to="/forgot-password" className={linkClass}>
          {t('reset.requestNew')}
        </Link>
      }
    >
      {!token ? (
        <Alert>{t('reset.missingToken')}</Alert>
      ) : (
        <form onSubmit={submit} noValidate className="space-y-4" data-testid="reset-password-form">
          {errors.formError && <Alert>{errors.formError}</Alert>}
          <Field label={t('reset.password')} error={errors.field('password')} hint={t('password.hint')}>
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
          <Button type="submit" className="w-full" loading={mutation.isPending} data-testid="reset-password-submit">
            {t('reset.submit')}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
