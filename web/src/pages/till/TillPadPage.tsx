import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Delete, LockKeyhole } from 'lucide-react';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { safeNext } from '../../components/guards.tsx';
import { Brand } from '../../components/layout/Brand.tsx';
import { LanguageSwitch } from '../../components/layout/LanguageSwitch.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage, isApiError } from '../../lib/api.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { switchTillUser, type TillState, useTillState } from '../../lib/till.ts';

const MAX_DIGITS = 6;
const MIN_DIGITS = 4;

function Screen({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col bg-slate-900 text-white">
      <header className="flex items-center justify-between px-4 py-3 sm:px-8">
        <Brand compact />
        <div className="rounded-lg bg-white px-1 py-0.5">
          <LanguageSwitch />
        </div>
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pb-10 sm:items-center">{children}</main>
    </div>
  );
}

/** Too many wrong PINs: the device left till mode; a manager signs in again with their password. */
function LockedOut() {
  const { t } = useTranslation();
  return (
    <Screen>
      <div className="w-full max-w-sm rounded-2xl bg-white p-6 text-center text-slate-900 shadow-xl" data-testid="till-locked">
        <LockKeyhole className="mx-auto size-10 text-red-600" aria-hidden="true" />
        <h1 className="mt-3 text-xl font-semibold">{t('till.locked.title')}</h1>
        <p className="mt-2 text-sm text-slate-600">{t('till.locked.body')}</p>
        {/* A full reload: nothing of the till (cache, stream) survives into the sign-in. */}
        <Button className="mt-5 w-full" onClick={() => window.location.assign('/login')} data-testid="till-locked-sign-in">
          {t('till.locked.signIn')}
        </Button>
      </div>
    </Screen>
  );
}

type PadProps = { companyId: string; state: TillState & { till: NonNullable<TillState['till']> }; next: string; onLocked: () => void };

function PinPad({ companyId, state, next, onLocked }: PadProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [digits, setDigits] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const till = state.till;

  const mutation = useMutation({
    mutationFn: (pin: string) => switchTillUser(companyId, pin),
    onSuccess: () => {
      // Someone else acts now: nothing cached for the previous person may show.
      queryClient.removeQueries();
      navigate(next, { replace: true });
    },
    onError: (err) => {
      setDigits('');
      if (isApiError(err, 'till.locked')) return onLocked();
      if (isApiError(err, 'till.wrong_pin')) {
        setMessage(t('till.pad.wrong', { count: Number(err.params.failuresLeft ?? 0) }));
        return;
      }
      setMessage(errorMessage(err, t));
    },
  });

  const submit = useCallback(
    (pin: string) => {
      if (pin.length < MIN_DIGITS || mutation.isPending) return;
      setMessage(null);
      mutation.mutate(pin);
    },
    [mutation],
  );
  const press = useCallback(
    (d: string) => {
      if (mutation.isPending || digits.length >= MAX_DIGITS) return;
      setMessage(null);
      const nextDigits = digits + d;
      setDigits(nextDigits);
      // Six digits is the longest PIN: no need for "Valider".
      if (nextDigits.length === MAX_DIGITS) submit(nextDigits);
    },
    [mutation.isPending, digits, submit],
  );
  const erase = useCallback(() => setDigits((cur) => cur.slice(0, -1)), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (/^\d$/.test(e.key)) press(e.key);
      else if (e.key === 'Backspace') erase();
      else if (e.key === 'Enter') submit(digits);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [press, erase, submit, digits]);

  const key = 'flex h-16 items-center justify-center rounded-xl text-2xl font-semibold transition-colors select-none disabled:opacity-50';
  return (
    <Screen>
      <div className="w-full max-w-sm" data-testid="till-pad">
        <p className="text-center text-sm text-slate-300">
          {t('till.pad.subtitle', { label: till.label, company: state.companyName })}
        </p>
        <h1 className="mt-1 text-center text-2xl font-semibold">{t('till.pad.title')}</h1>
        {till.acting && (
          <div className="mt-3 flex items-center justify-center gap-2 text-sm text-slate-300">
            <span>{t('till.pad.acting', { name: till.acting.name })}</span>
            <button type="button" className="font-medium text-teal-300 underline" onClick={() => navigate(next, { replace: true })}>
              {t('till.pad.continue')}
            </button>
          </div>
        )}
        <div
          className="mt-6 flex justify-center gap-3"
          role="status"
          aria-label={t('till.pad.entered', { count: digits.length })}
          data-testid="till-pad-dots"
          data-count={digits.length}
        >
          {Array.from({ length: Math.max(MIN_DIGITS, Math.min(MAX_DIGITS, digits.length + 1)) }, (_, i) => (
            <span
              // biome-ignore lint/suspicious/noArrayIndexKey: positions of the PIN's digits
              key={i}
              className={`size-4 rounded-full border-2 border-white ${i < digits.length ? 'bg-white' : ''}`}
            />
          ))}
        </div>
        <div className="mt-4 min-h-12" aria-live="assertive">
          {message && (
            <p className="rounded-lg bg-red-600/90 px-3 py-2 text-center text-sm font-medium" data-testid="till-pad-error">
              {message}
            </p>
          )}
        </div>
        <div className="mt-2 grid grid-cols-3 gap-3">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
            <button
              key={d}
              type="button"
              className={`${key} bg-slate-700 hover:bg-slate-600 active:bg-slate-500`}
              onClick={() => press(d)}
              disabled={mutation.isPending}
              data-testid={`till-key-${d}`}
            >
              {d}
            </button>
          ))}
          <button
            type="button"
            className={`${key} bg-slate-800 hover:bg-slate-700`}
            onClick={erase}
            aria-label={t('till.pad.erase')}
            disabled={mutation.isPending || digits.length === 0}
            data-testid="till-key-erase"
          >
            <Delete className="size-6" aria-hidden="true" />
          </button>
          <button
            type="button"
            className={`${key} bg-slate-700 hover:bg-slate-600 active:bg-slate-500`}
            onClick={() => press('0')}
            disabled={mutation.isPending}
            data-testid="till-key-0"
          >
            0
          </button>
          <button
            type="button"
            className={`${key} bg-teal-600 text-lg hover:bg-teal-500`}
            onClick={() => submit(digits)}
            disabled={mutation.isPending || digits.length < MIN_DIGITS}
            data-testid="till-key-ok"
          >
            {t('till.pad.submit')}
          </button>
        </div>
        <p className="mt-6 text-center text-xs text-slate-400" data-testid="till-pad-holders">
          {till.pinHolders.length
            ? t('till.pad.holders', { names: till.pinHolders.map((h) => h.name).join(', ') })
            : t('till.pad.noHolders')}
        </p>
      </div>
    </Screen>
  );
}

/**
 * /c/:companyId/till — the PIN pad of a shared till: the member whose PIN is typed
 * acts on the device from then on (one request), then back to ?next=.
 */
export function TillPadPage() {
  const { t } = useTranslation();
  const { companyId = '' } = useParams();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next')) ?? `/c/${companyId}`;
  const state = useTillState(companyId);
  const [locked, setLocked] = useState(false);
  usePageTitle('till.pad.title');

  if (locked || isApiError(state.error, 'till.locked')) return <LockedOut />;
  if (state.isPending) return <PageLoader fullScreen />;
  if (state.isError) {
    if (state.error && isApiError(state.error) && state.error.status === 401) return <Navigate to="/login" replace />;
    return (
      <Screen>
        <div className="w-full max-w-sm space-y-3">
          <Alert>{errorMessage(state.error, t)}</Alert>
          <Button variant="secondary" onClick={() => void state.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      </Screen>
    );
  }
  const data = state.data;
  if (!data.enabled || !data.till) return <Navigate to={`/c/${companyId}`} replace />;
  return <PinPad companyId={companyId} state={{ ...data, till: data.till }} next={next} onLocked={() => setLocked(true)} />;
}
