import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AuthLayout } from '../../components/layout/AuthLayout.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import { requestPasswordReset } from '../../lib/endpoints.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const FIELDS = ['email'];

/** /forgot-password — the server always answers 202, so the message never reveals accounts. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const errors = useFormErrors(FIELDS);
  const mutation = useMutation({ mutationFn: requestPasswordReset, onError: errors.capture });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    mutation.mutate(email.trim());
  };

  return (
    <AuthLayout
      titleKey="forgot.title"
      subtitleKey="forgot.subtitle"
      footer={
        <Link to="/login" className={linkClass}>
          {t('forgot.backToLogin')}
        </Link>
      }
    >
      {mutation.isSuccess ? (
        <Alert tone="success" testId="forgot-sent">
          {t('forgot.sent')}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate className="space-y-4" data-testid="forgot-password-form">
          {errors.formError && <Alert>{errors.formError}</Alert>}
          <Field label={t('forgot.email')} error={errors.field('email')}>
            {(c) => (
              <TextInput
                {...c}
                type="email"
                name="email"
                autoComplete="email"
                inputMode="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <Button type="submit" className="w-full" loading={mutation.isPending} data-testid="forgot-password-submit">
            {t('forgot.submit')}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
