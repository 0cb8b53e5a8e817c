import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import type { Identity } from '../../lib/pay.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const FIELDS = ['name', 'phone', 'email'] as const;

/** Name (required), phone and e-mail (optional) → "Continuer". Server field errors show under their field. */
export function IdentifyStep({
  initialName,
  initialPhone,
  pending,
  onSubmit,
}: {
  initialName: string;
  initialPhone: string;
  pending: boolean;
  onSubmit: (identity: Identity, capture: (err: unknown) => void) => void;
}) {
  const { t } = useTranslation();
  const errors = useFormErrors(FIELDS);
  const [name, setName] = useState(initialName);
  const [phone, setPhone] = useState(initialPhone);
  const [email, setEmail] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    if (!name.trim()) {
      errors.setField('name', t('pay.nameRequired'));
      return;
    }
    const identity: Identity = { name: name.trim() };
    if (phone.trim()) identity.phone = phone.trim();
    if (email.trim()) identity.email = email.trim();
    onSubmit(identity, errors.capture);
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-4"
      data-testid="pay-identify"
    >
      <div>
        <h1 className="text-lg font-semibold">{t('pay.identifyTitle')}</h1>
        <p className="text-sm text-slate-600">{t('pay.identifyHint')}</p>
      </div>
      {errors.formError && <Alert>{errors.formError}</Alert>}
      <Field label={t('pay.name')} error={errors.field('name')}>
        {(control) => (
          <TextInput
            {...control}
            name="name"
            autoComplete="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            className="h-11 text-base"
            data-testid="pay-identify-name"
          />
        )}
      </Field>
      <Field label={t('pay.phone')} optional error={errors.field('phone')}>
        {(control) => (
          <TextInput
            {...control}
            name="phone"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            className="h-11 text-base"
            data-testid="pay-identify-phone"
          />
        )}
      </Field>
      <Field label={t('pay.email')} optional error={errors.field('email')}>
        {(control) => (
          <TextInput
            {...control}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            className="h-11 text-base"
            data-testid="pay-identify-email"
          />
        )}
      </Field>
      <Button type="submit" className="h-12 w-full text-base" loading={pending} data-testid="pay-identify-submit">
        {t('pay.continue')}
      </Button>
    </form>
  );
}
