import { ChevronRight } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../components/ui/Spinner.tsx';
import { formatMoney } from '../../lib/money.ts';
import type { PayService } from '../../lib/pay.ts';

/** The services to choose from, with their price; one tap chooses. */
export function ServiceStep({
  services,
  currency,
  busy,
  onChoose,
}: {
  services: PayService[];
  currency: string;
  /** `service:<id>` while a choice is being sent. */
  busy: string | null;
  onChoose: (serviceId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <section className="space-y-3" data-testid="pay-services">
      <h1 className="text-lg font-semibold">{t('pay.serviceTitle')}</h1>
      {services.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white p-4 text-sm text-slate-600">{t('pay.servicesEmpty')}</p>
      ) : (
        <ul className="divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white">
          {services.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                onClick={() => onChoose(s.id)}
                disabled={busy !== null}
                aria-busy={busy === `service:${s.id}` || undefined}
                className="flex min-h-14 w-full items-center gap-3 px-4 py-3 text-left hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-60"
                data-testid={`pay-service-${s.id}`}
              >
                <span className="min-w-0 flex-1">
                  <span className="block font-medium text-slate-900">{s.name}</span>
                  {s.category && <span className="block text-xs text-slate-500">{s.category}</span>}
                </span>
                <span className="shrink-0 font-semibold tabular-nums">{formatMoney(s.price, currency, i18n.language)}</span>
                {busy === `service:${s.id}` ? (
                  <Spinner className="size-4" />
                ) : (
                  <ChevronRight className="size-4 shrink-0 text-slate-400" aria-hidden="true" />
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
