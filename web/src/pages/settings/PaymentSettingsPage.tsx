import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, CircleX, Download, PlugZap, Plus, Printer, QrCode, Trash2 } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader, PageHeader } from '../../components/ui/Card.tsx';
import { ConfirmDialog } from '../../components/ui/ConfirmDialog.tsx';
import { Field, PasswordInput, TextInput } from '../../components/ui/Field.tsx';
import { Modal } from '../../components/ui/Modal.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { usePaymentCounters, usePaymentProviders } from '../../lib/paymentQueries.ts';
import {
  apiAssetUrl,
  archiveCounter,
  type Counter,
  createCounter,
  deleteProvider,
  type ProviderName,
  type ProviderState,
  type ProviderTest,
  type Providers,
  saveMobileMoney,
  saveStripe,
  testProvider,
} from '../../lib/payments.ts';
import { qk } from '../../lib/queryKeys.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';
import { rolesFor } from '../../nav.ts';
import { BackTo, CopyField, ServerQr, usePrintQr } from '../payments/paymentUi.tsx';

/** /c/:companyId/settings/payments — payment providers (write-only secrets) and counters; owners and managers. */
export function PaymentSettingsPage() {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  usePageTitle('payments.settings.title');
  return (
    <RequireRole roles={rolesFor('settings')}>
      <div className="mb-2">
        <BackTo to={`/c/${companyId}/settings`} label={t('payments.settings.back')} />
      </div>
      <PageHeader title={t('payments.settings.title')} description={t('payments.settings.subtitle')} />
      <div className="space-y-6">
        <ProvidersSection />
        <CountersSection />
      </div>
    </RequireRole>
  );
}

/** Form fields of each provider, as the PUT body names them. */
const PROVIDER_FORMS = {
  stripe: { fields: ['secretKey', 'webhookSecret'], testId: 'stripe' },
  mobile_money: { fields: ['apiKey', 'webhookSecret'], testId: 'mm' },
} as const satisfies Record<ProviderName, { fields: readonly string[]; testId: string }>;

function ProvidersSection() {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const providers = usePaymentProviders(companyId);
  if (providers.isPending) return <PageLoader />;
  if (providers.isError) return <Alert>{errorMessage(providers.error, t)}</Alert>;
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <ProviderCard provider="stripe" state={providers.data.stripe} />
      <ProviderCard provider="mobile_money" state={providers.data.mobile_money} />
    </div>
  );
}

function ProviderCard({ provider, state }: { provider: ProviderName; state: ProviderState }) {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const queryClient = useQueryClient();
  const { fields, testId } = PROVIDER_FORMS[provider];
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<ProviderTest | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const errors = useFormErrors(fields, { 'providers.secret_key_missing': fields[0] });

  const store = (next: ProviderState | null) => {
    queryClient.setQueryData<Providers>(qk.paymentProviders(companyId), (old) =>
      old && next ? { ...old, [provider]: next } : old,
    );
    void queryClient.invalidateQueries({ queryKey: qk.paymentProviders(companyId) });
  };

  const save = useMutation({
    mutationFn: () => {
      const v = (k: string) => (values[k] ?? '').trim();
      return provider === 'stripe'
        ? saveStripe(companyId, { secretKey: v('secretKey'), webhookSecret: v('webhookSecret') })
        : saveMobileMoney(companyId, { apiKey: v('apiKey'), webhookSecret: v('webhookSecret') });
    },
    onSuccess: (next) => {
      store(next);
      setValues({});
      setResult(null);
      toast.success(t('payments.settings.saved', { provider: t(`payments.providerNames.${provider}`) }));
    },
    onError: errors.capture,
  });
  const test = useMutation({
    mutationFn: () => testProvider(companyId, provider),
    onSuccess: setResult,
    onError: (err) => {
      setResult(null);
      toast.error(errorMessage(err, t));
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteProvider(companyId, provider),
    onSuccess: () => {
      setConfirmDelete(false);
      setResult(null);
      store({ ...state, configured: false, hint: null, updatedAt: null });
      toast.success(t('payments.settings.deleted', { provider: t(`payments.providerNames.${provider}`) }));
    },
    onError: (err) => {
      setConfirmDelete(false);
      toast.error(errorMessage(err, t));
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    let missing = false;
    for (const f of fields) {
      if (!(values[f] ?? '').trim()) {
        errors.setField(f, t('errors.field.required'));
        missing = true;
      }
    }
    if (!missing) save.mutate();
  };
  const name = t(`payments.providerNames.${provider}`);
  const resultCode = result?.code.replace(/^provider\./, '') ?? '';

  return (
    <Card data-testid={`provider-${testId}`}>
      <CardHeader
        title={name}
        description={t(`payments.settings.${provider}.description`)}
        actions={
          state.configured ? (
            <span className="inline-flex items-center gap-1 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800" data-testid={`provider-${testId}-state`} data-configured="true">
              <CircleCheck className="size-3.5" aria-hidden="true" />
              {t('payments.settings.configured')}
              {state.hint && ` · ${state.hint}`}
            </span>
          ) : (
            <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600" data-testid={`provider-${testId}-state`} data-configured="false">
              {t('payments.settings.notConfigured')}
            </span>
          )
        }
      />
      <CardBody className="space-y-4">
        {state.updatedAt && (
          <p className="text-xs text-slate-500">{t('payments.settings.updatedAt', { date: formatDateTime(state.updatedAt, i18n.language) })}</p>
        )}
        <div>
          <p className="mb-1 text-sm font-medium text-slate-700">{t('payments.settings.webhookUrl')}</p>
          <CopyField value={state.webhookUrl} label={t('payments.settings.webhookUrl')} testId={`provider-${testId}-webhook`} />
          <p className="mt-1 text-xs text-slate-500">{t(`payments.settings.${provider}.webhookHint`)}</p>
        </div>
        <form onSubmit={submit} noValidate className="space-y-3" autoComplete="off">
          {errors.formError && <Alert>{errors.formError}</Alert>}
          {fields.map((f) => (
            <Field
              key={f}
              label={t(`payments.settings.fields.${f}`)}
              error={errors.field(f)}
              hint={state.configured ? t('payments.settings.secretHint') : undefined}
            >
              {(c) => (
                <PasswordInput
                  {...c}
                  name={f}
                  autoComplete="new-password"
                  spellCheck={false}
                  value={values[f] ?? ''}
                  placeholder={state.configured ? t('payments.settings.secretPlaceholder') : undefined}
                  onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}
                  data-testid={`provider-${testId}-${f}`}
                />
              )}
            </Field>
          ))}
          <div className="flex flex-wrap items-center gap-2">
            <Button type="submit" loading={save.isPending} data-testid={`provider-${testId}-save`}>
              {t('common.save')}
            </Button>
            <Button variant="secondary" loading={test.isPending} onClick={() => test.mutate()} data-testid={`provider-${testId}-test`}>
              <PlugZap className="size-4" aria-hidden="true" />
              {t('payments.settings.test')}
            </Button>
            {state.configured && (
              <Button variant="danger-ghost" onClick={() => setConfirmDelete(true)} data-testid={`provider-${testId}-delete`}>
                <Trash2 className="size-4" aria-hidden="true" />
                {t('payments.settings.delete')}
              </Button>
            )}
          </div>
        </form>
        {result && (
          <div
            role="status"
            className={`flex items-start gap-2 rounded-lg border px-3 py-2 text-sm ${
              result.ok ? 'border-emerald-200 bg-emerald-50 text-emerald-800' : 'border-red-200 bg-red-50 text-red-800'
            }`}
            data-testid={`provider-${testId}-test-result`}
            data-ok={result.ok}
            data-code={result.code}
          >
            {result.ok ? <CircleCheck className="mt-0.5 size-4 shrink-0" aria-hidden="true" /> : <CircleX className="mt-0.5 size-4 shrink-0" aria-hidden="true" />}
            <span>
              {t(`payments.settings.testResults.${resultCode}`, { defaultValue: result.ok ? t('payments.settings.testResults.ok') : t('payments.settings.testResults.failed') })}{' '}
              <code className="text-xs opacity-75">{result.code}</code>
            </span>
          </div>
        )}
      </CardBody>
      <ConfirmDialog
        open={confirmDelete}
        title={t('payments.settings.deleteTitle', { provider: name })}
        body={t('payments.settings.deleteBody', { provider: name })}
        confirmLabel={t('payments.settings.delete')}
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirmDelete(false)}
      />
    </Card>
  );
}

function CountersSection() {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const queryClient = useQueryClient();
  const counters = usePaymentCounters(companyId);
  const [name, setName] = useState('');
  const [shown, setShown] = useState<Counter | null>(null);
  const [retiring, setRetiring] = useState<Counter | null>(null);
  const errors = useFormErrors(['name']);
  const retire = useMutation({
    mutationFn: (counter: Counter) => archiveCounter(companyId, counter.id),
    onSuccess: (_, counter) => {
      setRetiring(null);
      void queryClient.invalidateQueries({ queryKey: qk.paymentCounters(companyId) });
      toast.success(t('payments.counters.retired', { name: counter.name }));
    },
    onError: (err) => {
      setRetiring(null);
      toast.error(errorMessage(err, t));
    },
  });
  const create = useMutation({
    mutationFn: () => createCounter(companyId, name.trim()),
    onSuccess: (counter) => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: qk.paymentCounters(companyId) });
      toast.success(t('payments.counters.created', { name: counter.name }));
      setShown(counter);
    },
    onError: errors.capture,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    if (!name.trim()) return errors.setField('name', t('errors.field.required'));
    create.mutate();
  };

  return (
    <Card data-testid="counters">
      <CardHeader title={t('payments.counters.title')} description={t('payments.counters.subtitle')} />
      <CardBody className="space-y-4">
        <form onSubmit={submit} noValidate className="flex flex-wrap items-start gap-2">
          <Field label={t('payments.counters.name')} error={errors.field('name')} className="min-w-48 flex-1">
            {(c) => (
              <TextInput
                {...c}
                value={name}
                maxLength={60}
                placeholder={t('payments.counters.namePlaceholder')}
                onChange={(e) => setName(e.target.value)}
                data-testid="counter-name"
              />
            )}
          </Field>
          <Button type="submit" className="mt-6" loading={create.isPending} data-testid="counter-create">
            <Plus className="size-4" aria-hidden="true" />
            {t('payments.counters.create')}
          </Button>
        </form>
        {errors.formError && <Alert>{errors.formError}</Alert>}
        {counters.isPending ? (
          <PageLoader />
        ) : counters.isError ? (
          <Alert>{errorMessage(counters.error, t)}</Alert>
        ) : counters.data.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="counters-empty">{t('payments.counters.empty')}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {counters.data.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 py-2" data-testid={`counter-row-${c.id}`}>
                <div className="min-w-0">
                  <p className="font-medium text-slate-900">{c.name}</p>
                  <p className="truncate font-mono text-xs text-slate-500">{c.url}</p>
                  <p className="text-xs text-slate-500">{t('payments.counters.createdAt', { date: formatDateTime(c.createdAt, i18n.language) })}</p>
                </div>
                <div className="flex gap-2">
                  <Button variant="secondary" size="sm" onClick={() => setShown(c)} data-testid={`counter-qr-${c.id}`}>
                    <QrCode className="size-4" aria-hidden="true" />
                    {t('payments.counters.showQr')}
                  </Button>
                  <Button variant="danger-ghost" size="sm" onClick={() => setRetiring(c)} data-testid={`counter-retire-${c.id}`}>
                    {t('payments.counters.retire')}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </CardBody>
      <CounterQrDialog counter={shown} onClose={() => setShown(null)} />
      <ConfirmDialog
        open={retiring !== null}
        title={t('payments.counters.retireTitle', { name: retiring?.name ?? '' })}
        body={t('payments.counters.retireBody')}
        confirmLabel={t('payments.counters.retire')}
        busy={retire.isPending}
        onConfirm={() => retiring && retire.mutate(retiring)}
        onClose={() => setRetiring(null)}
      />
    </Card>
  );
}

/** A counter's standing QR, to print and stick on the counter. */
function CounterQrDialog({ counter, onClose }: { counter: Counter | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { membership } = useCompanyContext();
  const { print, portal } = usePrintQr();
  return (
    <Modal open={counter !== null} onClose={onClose} title={counter?.name ?? ''} testId="counter-qr-dialog">
      {counter && (
        <div className="space-y-4 text-center">
          <p className="text-sm font-semibold text-slate-900">{membership.companyName}</p>
          <div className="flex justify-center" data-testid="counter-qr">
            <ServerQr src={counter.qrSvgUrl} alt={t('payments.counters.qrAlt', { name: counter.name })} className="size-64" />
          </div>
          <p className="text-lg font-semibold text-slate-900">{t('payments.print.scan')}</p>
          <CopyField value={counter.url} label={t('payments.counters.url')} testId="counter-url" />
          <div className="flex flex-wrap justify-end gap-2">
            <a href={apiAssetUrl(counter.qrPngUrl)} download={`qr-${counter.code}.png`} className={`${linkClass} inline-flex items-center gap-1 self-center text-sm`}>
              <Download className="size-4" aria-hidden="true" />
              {t('payments.counters.downloadPng')}
            </a>
            <Button
              onClick={() => print({ business: membership.companyName, title: counter.name, url: counter.url, qrSrc: counter.qrSvgUrl })}
              data-testid="counter-print"
            >
              <Printer className="size-4" aria-hidden="true" />
              {t('payments.print.button')}
            </Button>
          </div>
        </div>
      )}
      {portal}
    </Modal>
  );
}
