import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader } from '../../components/ui/Card.tsx';
import { CurrencySelect } from '../../components/ui/CurrencySelect.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import { TimezoneSelect } from '../../components/ui/TimezoneSelect.tsx';
import { updateCompany } from '../../lib/endpoints.ts';
import { formatMoney, parseMoneyInput } from '../../lib/money.ts';
import { qk } from '../../lib/queryKeys.ts';
import type { Company } from '../../lib/types.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';
import { InvalidAmountError, NUMBER_SETTINGS, type SettingsFormState, toFormState, toPatch } from './settingsForm.ts';

const SETTING_KEYS = [...NUMBER_SETTINGS, 'defaultTaxRate', 'largeSaleThreshold', 'requireCashSession', 'dailySummaryTime'];
const FIELDS = [
  'name',
  'slug',
  'externalRef',
  'currency',
  'timezone',
  ...SETTING_KEYS,
  ...SETTING_KEYS.map((k) => `settings.${k}`),
];
const CODE_FIELDS = {
  'company.slug_taken': 'slug',
  'company.external_ref_taken': 'externalRef',
  'company.currency_frozen': 'currency',
};

/** Company fields and operating rules; PATCH sends only what changed. */
export function SettingsForm({ company }: { company: Company }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<SettingsFormState>(() => toFormState(company));
  const errors = useFormErrors(FIELDS, CODE_FIELDS);
  // The server may name nested fields "settings.x" or just "x".
  const fieldError = (key: string) => errors.field(key) ?? errors.field(`settings.${key}`);

  const mutation = useMutation({
    mutationFn: (patch: ReturnType<typeof toPatch>) => updateCompany(company.id, patch),
    onSuccess: (updated) => {
      queryClient.setQueryData(qk.companyDetail(company.id), updated);
      void queryClient.invalidateQueries({ queryKey: qk.me });
      setForm(toFormState(updated));
      toast.success(t('settings.saved'));
    },
    onError: errors.capture,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    try {
      mutation.mutate(toPatch(company, form));
    } catch (err) {
      if (!(err instanceof InvalidAmountError)) throw err;
      errors.setField(err.field, t(err.field === 'defaultTaxRate' ? 'settings.invalidRate' : 'settings.invalidAmount'));
    }
  };

  const threshold = parseMoneyInput(form.largeSaleThreshold, form.currency);
  const thresholdHint =
    threshold === null
      ? t('settings.largeSaleThresholdHint')
      : t('settings.largeSaleThresholdPreview', { amount: formatMoney(threshold, form.currency, i18n.language) });

  const text = (key: 'name' | 'slug' | 'externalRef') => ({
    name: key,
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })),
  });

  return (
    <form onSubmit={submit} noValidate className="space-y-6" data-testid="settings-form">
      {errors.formError && <Alert>{errors.formError}</Alert>}
      <Card>
        <CardHeader title={t('settings.company')} />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          <Field label={t('settings.name')} error={fieldError('name')}>
            {(c) => <TextInput {...c} {...text('name')} />}
          </Field>
          <Field label={t('settings.slug')} error={fieldError('slug')}>
            {(c) => <TextInput {...c} {...text('slug')} autoCapitalize="none" spellCheck={false} />}
          </Field>
          <Field label={t('settings.externalRef')} error={fieldError('externalRef')} optional>
            {(c) => <TextInput {...c} {...text('externalRef')} />}
          </Field>
          <Field label={t('settings.currency')} error={fieldError('currency')} hint={t('settings.currencyHint')}>
            {(c) => (
              <CurrencySelect
                {...c}
                name="currency"
                value={form.currency}
                onChange={(e) => setForm((f) => ({ ...f, currency: e.target.value }))}
              />
            )}
          </Field>
          <Field label={t('settings.timezone')} error={fieldError('timezone')}>
            {(c) => (
              <TimezoneSelect
                {...c}
                name="timezone"
                value={form.timezone}
                onChange={(e) => setForm((f) => ({ ...f, timezone: e.target.value }))}
              />
            )}
          </Field>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title={t('settings.rules')} />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          {NUMBER_SETTINGS.map((key) => (
            <Field key={key} label={t(`settings.${key}`)} error={fieldError(key)}>
              {(c) => (
                <TextInput
                  {...c}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  step={1}
                  name={key}
                  value={form.numbers[key]}
                  onChange={(e) => setForm((f) => ({ ...f, numbers: { ...f.numbers, [key]: e.target.value } }))}
                />
              )}
            </Field>
          ))}
          <Field label={t('settings.defaultTaxRate')} error={fieldError('defaultTaxRate')} hint={t('settings.defaultTaxRateHint')}>
            {(c) => (
              <TextInput
                {...c}
                inputMode="decimal"
                name="defaultTaxRate"
                value={form.defaultTaxRate}
                onChange={(e) => setForm((f) => ({ ...f, defaultTaxRate: e.target.value }))}
              />
            )}
          </Field>
          <Field
            label={t('settings.largeSaleThreshold', { currency: form.currency })}
            error={fieldError('largeSaleThreshold')}
            hint={thresholdHint}
            optional
          >
            {(c) => (
              <TextInput
                {...c}
                inputMode="decimal"
                name="largeSaleThreshold"
                value={form.largeSaleThreshold}
                onChange={(e) => setForm((f) => ({ ...f, largeSaleThreshold: e.target.value }))}
              />
            )}
          </Field>
          <Field label={t('settings.dailySummaryTime')} error={fieldError('dailySummaryTime')}>
            {(c) => (
              <TextInput
                {...c}
                type="time"
                name="dailySummaryTime"
                value={form.dailySummaryTime}
                onChange={(e) => setForm((f) => ({ ...f, dailySummaryTime: e.target.value }))}
              />
            )}
          </Field>
          <label className="flex items-start gap-3 rounded-lg border border-slate-200 px-3 py-3 sm:col-span-2">
            <input
              type="checkbox"
              name="requireCashSession"
              checked={form.requireCashSession}
              onChange={(e) => setForm((f) => ({ ...f, requireCashSession: e.target.checked }))}
              className="mt-0.5 size-4 rounded border-slate-300 accent-teal-600"
            />
            <span className="text-sm text-slate-700">{t('settings.requireCashSession')}</span>
          </label>
          {fieldError('requireCashSession') && (
            <p className="text-xs font-medium text-red-600">{fieldError('requireCashSession')}</p>
          )}
        </CardBody>
      </Card>

      <div className="flex justify-end">
        <Button type="submit" loading={mutation.isPending} data-testid="settings-submit">
          {t('common.save')}
        </Button>
      </div>
    </form>
  );
}
