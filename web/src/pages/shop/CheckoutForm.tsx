import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/Button.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import type { Customer } from '../../lib/shop.ts';

/** Name (required), phone, e-mail → "Procéder au paiement". */
export function CheckoutForm({
  onSubmit,
  pending,
  holdMinutes,
}: {
  onSubmit: (customer: Customer) => void | Promise<void>;
  pending: boolean;
  holdMinutes?: number;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [nameError, setNameError] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError(true);
      return;
    }
    setNameError(false);
    const customer: Customer = { name: name.trim() };
    if (phone.trim()) customer.phone = phone.trim();
    if (email.trim()) customer.email = email.trim();
    void onSubmit(customer);
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-4"
      data-testid="checkout-form"
    >
      <h2 className="text-base font-semibold">{t('shop.checkoutTitle')}</h2>
      <Field label={t('shop.customerName')} error={nameError ? t('shop.nameRequired') : undefined}>
        {(control) => (
          <TextInput
            {...control}
            name="name"
            autoComplete="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="checkout-name"
          />
        )}
      </Field>
      <Field label={t('shop.customerPhone')} optional>
        {(control) => (
          <TextInput
            {...control}
            name="phone"
            type="tel"
            autoComplete="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            data-testid="checkout-phone"
          />
        )}
      </Field>
      <Field label={t('shop.customerEmail')} optional>
        {(control) => (
          <TextInput
            {...control}
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="checkout-email"
          />
        )}
      </Field>
      {holdMinutes ? <p className="text-xs text-slate-500">{t('shop.holdHint', { minutes: holdMinutes })}</p> : null}
      <Button type="submit" className="h-11 w-full" loading={pending} data-testid="checkout-submit">
        {t('shop.proceed')}
      </Button>
    </form>
  );
}
