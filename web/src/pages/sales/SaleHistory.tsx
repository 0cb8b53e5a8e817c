import { useTranslation } from 'react-i18next';
import { formatTime } from '../../lib/format.ts';
import type { Sale } from '../../lib/sales.ts';

/** The sale's story from the event log: who did what, when. */
export function SaleHistory({ sale }: { sale: Sale }) {
  const { t, i18n } = useTranslation();
  if (!sale.events?.length) return null;
  return (
    <section className="space-y-2 border-t border-slate-100 pt-4" data-testid="sale-history">
      <h3 className="text-sm font-semibold text-slate-700">{t('sales.history.title')}</h3>
      <ol className="space-y-1 text-sm">
        {sale.events.map((e) => (
          <li key={e.position} className="flex items-baseline justify-between gap-3" data-testid="sale-event" data-event-type={e.type}>
            <span className="text-slate-700">{t(`events.${e.type}`, { defaultValue: e.type })}</span>
            <time className="tabular-nums text-xs text-slate-500" dateTime={e.at}>
              {formatTime(e.at, i18n.language)}
            </time>
          </li>
        ))}
      </ol>
    </section>
  );
}
