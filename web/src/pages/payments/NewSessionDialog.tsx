import { useMutation } from '@tanstack/react-query';
import { CircleCheck, ExternalLink, Printer, X } from 'lucide-react';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, buttonClass } from '../../components/ui/Button.tsx';
import { Field, Select, TextInput } from '../../components/ui/Field.tsx';
import { Modal } from '../../components/ui/Modal.tsx';
import { Spinner } from '../../components/ui/Spinner.tsx';
import { useProducts } from '../../lib/catalogQueries.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { formatMoney, parseMoneyInput } from '../../lib/money.ts';
import { useClients, usePaymentCounters, usePaymentSession, usePaymentSessionChanged } from '../../lib/paymentQueries.ts';
import { createPaymentSession, type NewPaymentSession, type PaymentSession } from '../../lib/payments.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';
import { CopyField, ServerQr, SessionStatusBadge, usePrintQr } from './paymentUi.tsx';

type Mode = 'service' | 'amount' | 'open';
const MODES: Mode[] = ['service', 'amount', 'open'];
const FIELDS = ['serviceId', 'amount', 'clientId', 'counterId'];
const SEARCH_DELAY_MS = 250;

/** "Nouvelle session": choose what is paid (a service, a fixed amount, or the client's choice), then show the QR. */
export function NewSessionDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} onClose={onClose} title={t('payments.create.title')} testId="payment-session-dialog">
      <NewSessionContent onClose={onClose} />
    </Modal>
  );
}

function NewSessionContent({ onClose }: { onClose: () => void }) {
  const [created, setCreated] = useState<PaymentSession | null>(null);
  return created ? (
    <CreatedSession session={created} onAnother={() => setCreated(null)} onClose={onClose} />
  ) : (
    <NewSessionForm onCreated={setCreated} />
  );
}

function NewSessionForm({ onCreated }: { onCreated: (s: PaymentSession) => void }) {
  const { t, i18n } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const currency = membership.currency;
  const changed = usePaymentSessionChanged(companyId);
  const [mode, setMode] = useState<Mode>('service');
  const [serviceId, setServiceId] = useState('');
  const [amountText, setAmountText] = useState('');
  const [client, setClient] = useState<{ id: string; name: string } | null>(null);
  const [counterId, setCounterId] = useState('');
  const errors = useFormErrors(FIELDS, { 'product.not_found': 'serviceId' });
  const services = useProducts(companyId, { kind: 'service', active: true });
  const serviceList = services.data?.pages.flatMap((p) => p.items) ?? [];
  const counters = usePaymentCounters(companyId);
  const money = (n: number) => formatMoney(n, currency, i18n.language);

  const mutation = useMutation({
    mutationFn: (body: NewPaymentSession) => createPaymentSession(companyId, body),
    onSuccess: (session) => {
      changed(session);
      onCreated(session);
    },
    onError: errors.capture,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    const body: NewPaymentSession = {};
    if (mode === 'service') {
      if (!serviceId) return errors.setField('serviceId', t('payments.create.serviceRequired'));
      body.serviceId = serviceId;
    } else if (mode === 'amount') {
      const amount = parseMoneyInput(amountText, currency);
      if (amount === null || amount <= 0) return errors.setField('amount', t('payments.create.invalidAmount'));
      body.amount = amount;
    }
    if (client) body.clientId = client.id;
    if (counterId) body.counterId = counterId;
    mutation.mutate(body);
  };

  const amount = parseMoneyInput(amountText, currency);
  return (
    <form onSubmit={submit} noValidate className="space-y-4" data-testid="payment-session-form">
      {errors.formError && <Alert>{errors.formError}</Alert>}
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium text-slate-700">{t('payments.create.what')}</legend>
        <div className="grid grid-cols-3 gap-2" role="radiogroup">
          {MODES.map((m) => (
            <label
              key={m}
              className={`flex cursor-pointer items-center justify-center rounded-lg border px-2 py-2 text-center text-sm font-medium ${
                mode === m ? 'border-teal-600 bg-teal-50 text-teal-900' : 'border-slate-300 text-slate-700 hover:bg-slate-50'
              }`}
            >
              <input
                type="radio"
                name="mode"
                value={m}
                checked={mode === m}
                onChange={() => {
                  setMode(m);
                  errors.reset();
                }}
                className="sr-only"
                data-testid={`payment-session-mode-${m}`}
              />
              {t(`payments.create.modes.${m}`)}
            </label>
          ))}
        </div>
      </fieldset>

      {mode === 'service' && (
        <Field label={t('payments.create.service')} error={errors.field('serviceId')}>
          {(c) => (
            <Select {...c} value={serviceId} onChange={(e) => setServiceId(e.target.value)} data-testid="payment-session-service">
              <option value="">{services.isPending ? t('common.loading') : t('payments.create.pickService')}</option>
              {serviceList.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} — {money(p.price)}
                </option>
              ))}
            </Select>
          )}
        </Field>
      )}
      {mode === 'service' && services.isSuccess && serviceList.length === 0 && (
        <Alert tone="info" testId="payment-session-no-service">{t('payments.create.noService')}</Alert>
      )}
      {mode === 'amount' && (
        <Field
          label={t('payments.create.amount', { currency })}
          error={errors.field('amount')}
          hint={amount !== null && amount > 0 ? money(amount) : undefined}
        >
          {(c) => (
            <TextInput {...c} inputMode="decimal" value={amountText} onChange={(e) => setAmountText(e.target.value)} data-testid="payment-session-amount" />
          )}
        </Field>
      )}
      {mode === 'open' && <p className="text-sm text-slate-600">{t('payments.create.openHint')}</p>}

      <ClientPicker client={client} onChange={setClient} error={errors.field('clientId')} />

      {counters.isSuccess && counters.data.length > 0 && (
        <Field label={t('payments.create.counter')} error={errors.field('counterId')} optional>
          {(c) => (
            <Select {...c} value={counterId} onChange={(e) => setCounterId(e.target.value)} data-testid="payment-session-counter">
              <option value="">{t('payments.create.noCounter')}</option>
              {counters.data.map((counter) => (
                <option key={counter.id} value={counter.id}>{counter.name}</option>
              ))}
            </Select>
          )}
        </Field>
      )}

      <Button type="submit" className="w-full" loading={mutation.isPending} data-testid="payment-session-create">
        {t('payments.create.submit')}
      </Button>
    </form>
  );
}

/** Optional client: search by name, phone or e-mail among known clients. */
function ClientPicker({
  client,
  onChange,
  error,
}: {
  client: { id: string; name: string } | null;
  onChange: (c: { id: string; name: string } | null) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const results = useClients(companyId, search, search.length >= 2 && !client);
  const matches = (results.data?.pages[0]?.items ?? []).slice(0, 5);

  if (client) {
    return (
      <div>
        <p className="mb-1 text-sm font-medium text-slate-700">{t('payments.create.client')}</p>
        <div className="flex items-center justify-between rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 text-sm" data-testid="payment-session-client">
          <span className="font-medium text-slate-900">{client.name}</span>
          <button
            type="button"
            onClick={() => onChange(null)}
            className="rounded-md p-1 text-slate-500 hover:bg-slate-200 hover:text-slate-800"
            aria-label={t('payments.create.removeClient')}
          >
            <X className="size-4" aria-hidden="true" />
          </button>
        </div>
      </div>
    );
  }
  return (
    <div>
      <Field label={t('payments.create.client')} error={error} hint={t('payments.create.clientHint')} optional>
        {(c) => (
          <TextInput
            {...c}
            type="search"
            value={text}
            placeholder={t('clients.searchPlaceholder')}
            onChange={(e) => setText(e.target.value)}
            data-testid="payment-session-client-search"
          />
        )}
      </Field>
      {search.length >= 2 && (
        <div className="mt-1 rounded-lg border border-slate-200">
          {results.isFetching && matches.length === 0 ? (
            <div className="flex justify-center p-2"><Spinner className="size-4" /></div>
          ) : matches.length === 0 ? (
            <p className="px-3 py-2 text-sm text-slate-500">{t('clients.emptySearch')}</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {matches.map((m) => (
                <li key={m.id}>
                  <button
                    type="button"
                    className="flex w-full flex-col items-start px-3 py-2 text-left text-sm hover:bg-slate-50"
                    onClick={() => onChange({ id: m.id, name: m.name })}
                    data-testid={`payment-session-client-option-${m.id}`}
                  >
                    <span className="font-medium text-slate-900">{m.name}</span>
                    <span className="text-xs text-slate-500">{[m.phone, m.email].filter(Boolean).join(' · ')}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** The session just created: its big QR, its URL, its live state, print. */
function CreatedSession({ session, onAnother, onClose }: { session: PaymentSession; onAnother: () => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const live = usePaymentSession(companyId, session.id);
  const current = live.data ?? session;
  const { print, portal } = usePrintQr();
  const what =
    current.service?.name ??
    (current.amount !== null ? formatMoney(current.amount, current.currency || membership.currency, i18n.language) : t('payments.create.modes.open'));
  const amount = current.amount !== null && current.service ? formatMoney(current.amount, current.currency || membership.currency, i18n.language) : undefined;

  return (
    <div className="space-y-4" data-testid="payment-session-created" data-session-id={session.id}>
      <div className="flex items-center justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-semibold text-slate-900">{what}</p>
          {amount && <p className="text-sm text-slate-600">{amount}</p>}
          {current.client && <p className="text-sm text-slate-600">{current.client.name}</p>}
        </div>
        <SessionStatusBadge status={current.status} testId="payment-session-status" />
      </div>
      {current.status === 'paid' ? (
        <Alert tone="success" testId="payment-session-paid">
          <span className="inline-flex items-center gap-1">
            <CircleCheck className="size-4" aria-hidden="true" />
            {t('payments.create.paid')}
          </span>
        </Alert>
      ) : (
        <div className="flex justify-center" data-testid="payment-session-qr">
          <ServerQr svg={session.qrSvg} src={session.qrSvgUrl} alt={t('payments.create.qrAlt')} className="size-64 sm:size-72" />
        </div>
      )}
      <p className="text-center text-sm text-slate-600">{t('payments.create.scanHint')}</p>
      <CopyField value={session.publicUrl} label={t('payments.create.url')} testId="payment-session-url" />
      <div className="flex flex-wrap justify-end gap-2">
        <Button
          variant="secondary"
          onClick={() => print({ business: membership.companyName, title: what, subtitle: amount, url: session.publicUrl, qrSrc: session.qrSvgUrl, qrSvg: session.qrSvg })}
          data-testid="payment-session-print"
        >
          <Printer className="size-4" aria-hidden="true" />
          {t('payments.print.button')}
        </Button>
        <Link to={`/c/${companyId}/payment-sessions/${session.id}`} className={buttonClass('secondary')} onClick={onClose} data-testid="payment-session-open">
          <ExternalLink className="size-4" aria-hidden="true" />
          {t('payments.create.open')}
        </Link>
        <Button variant="secondary" onClick={onAnother} data-testid="payment-session-another">
          {t('payments.create.another')}
        </Button>
        <Button onClick={onClose}>{t('common.close')}</Button>
      </div>
      {portal}
    </div>
  );
}
