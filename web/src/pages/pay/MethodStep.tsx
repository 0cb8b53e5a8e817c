import { Banknote, CreditCard, type LucideIcon, Smartphone } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import type { PayMethod, PublicSession } from '../../lib/pay.ts';

const icons: Record<PayMethod, LucideIcon> = { cash: Banknote, card: CreditCard, mobile_money: Smartphone };

/**
 * "Comment souhaitez-vous payer ?": one button per method; a method the business
 * does not offer right now is shown disabled with the reason. Mobile money asks
 * for the number to charge (prefilled with the phone typed at identification).
 */
export function MethodStep({
  methods,
  notice,
  initialPhone,
  busy,
  onPay,
}: {
  methods: PublicSession['methods'];
  /** The failure or cancellation that brought the client back here. */
  notice: string | null;
  initialPhone: string;
  /** `pay:<method>` while a choice is being sent. */
  busy: string | null;
  onPay: (method: PayMethod, phone?: string) => void;
}) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState(initialPhone);
  const [phoneError, setPhoneError] = useState(false);

  const payMobile = (e: FormEvent) => {
    e.preventDefault();
    if (!phone.trim()) {
      setPhoneError(true);
      return;
    }
    setPhoneError(false);
    onPay('mobile_money', phone.trim());
  };

  return (
    <section className="space-y-3" data-testid="pay-methods">
      <h1 className="text-lg font-semibold">{t('pay.methodTitle')}</h1>
      {notice && (
        <Alert tone="info" testId="pay-notice">
          {notice}
        </Alert>
      )}
      <ul className="space-y-3">
        {methods.map(({ method, available }) => {
          const Icon = icons[method];
          const button = (
            <Button
              type={method === 'mobile_money' ? 'submit' : 'button'}
              variant={available ? 'primary' : 'secondary'}
              className="h-14 w-full justify-start text-base"
              disabled={!available || busy !== null}
              loading={busy === `pay:${method}`}
              icon={<Icon className="size-5" aria-hidden="true" />}
              onClick={method === 'mobile_money' ? undefined : () => onPay(method)}
              aria-describedby={available ? undefined : `pay-unavailable-${method}`}
              data-testid={`pay-method-${method}`}
            >
              <span className="flex-1 text-left">{t(`pay.methods.${method}`)}</span>
            </Button>
          );
          return (
            <li key={method} className="rounded-xl border border-slate-200 bg-white p-3" data-method={method}>
              {method === 'mobile_money' && available ? (
                <form onSubmit={payMobile} noValidate className="space-y-3">
                  {button}
                  <Field label={t('pay.mobilePhone')} error={phoneError ? t('pay.phoneRequired') : undefined}>
                    {(control) => (
                      <TextInput
                        {...control}
                        name="mobilePhone"
                        type="tel"
                        inputMode="tel"
                        autoComplete="tel"
                        value={phone}
                        onChange={(e) => setPhone(e.target.value)}
                        className="h-11 text-base"
                        data-testid="pay-mobile-phone"
                      />
                    )}
                  </Field>
                </form>
              ) : (
                button
              )}
              <p
                id={available ? undefined : `pay-unavailable-${method}`}
                className={`mt-2 text-xs ${available ? 'text-slate-500' : 'text-orange-700'}`}
              >
                {available ? t(`pay.methodHints.${method}`) : t('pay.unavailable')}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
