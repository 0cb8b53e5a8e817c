import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../lib/money.ts';

type Line = { productId: string; name: string; price: number; quantity: number; lineTotal: number };

/** The lines and total of the order being paid (or just placed). */
export function OrderSummary({ lines, total, currency }: { lines: Line[]; total: number; currency: string }) {
  const { t, i18n } = useTranslation();
  const money = (n: number) => formatMoney(n, currency, i18n.language);
  return (
    <section className="rounded-xl border border-slate-200 bg-white" data-testid="order-summary">
      <h2 className="border-b border-slate-200 px-4 py-3 text-sm font-semibold">{t('shop.summary')}</h2>
      <ul className="divide-y divide-slate-100">
        {lines.map((l) => (
          <li key={l.productId} className="flex items-baseline justify-between gap-3 px-4 py-2 text-sm">
            <span className="min-w-0">
              <span className="font-medium">{l.quantity} ×</span> {l.name}
            </span>
            <span className="shrink-0 tabular-nums">{money(l.lineTotal)}</span>
          </li>
        ))}
      </ul>
      <p className="flex justify-between border-t border-slate-200 px-4 py-3 font-semibold">
        <span>{t('shop.total')}</span>
        <span className="tabular-nums" data-testid="order-total">
          {money(total)}
        </span>
      </p>
    </section>
  );
}
