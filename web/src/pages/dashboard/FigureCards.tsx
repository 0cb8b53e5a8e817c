import { Armchair, Coins, CreditCard, type LucideIcon, PackageX, Percent, QrCode, Receipt, Undo2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { linkClass } from '../../components/ui/Button.tsx';
import { useCompanyContext } from '../../lib/companyContext.ts';
import type { Dashboard } from '../../lib/insights.ts';
import { formatMoney } from '../../lib/money.ts';
import { SALE_CHANNELS } from '../../lib/sales.ts';

type CardProps = {
  id: 'revenue' | 'sales' | 'sessions' | 'conversion' | 'payments' | 'refunds' | 'tables' | 'stock';
  icon: LucideIcon;
  label: string;
  value: ReactNode;
  /** The raw figure, for tests. */
  raw: number;
  tone?: 'default' | 'warning';
  children?: ReactNode;
  className?: string;
};

function FigureCard({ id, icon: Icon, label, value, raw, tone = 'default', children, className }: CardProps) {
  return (
    <section
      className={`rounded-xl border bg-white px-4 py-3 shadow-sm ${tone === 'warning' ? 'border-amber-300' : 'border-slate-200'} ${className ?? ''}`}
      data-testid={`dashboard-card-${id}`}
      data-value={raw}
    >
      <h2 className="flex items-center gap-2 text-xs font-medium tracking-wide text-slate-500 uppercase">
        <Icon className={`size-4 ${tone === 'warning' ? 'text-amber-600' : 'text-teal-700'}`} aria-hidden="true" />
        {label}
      </h2>
      <p className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums" data-testid={`dashboard-card-${id}-value`}>
        {value}
      </p>
      {children && <div className="mt-1 space-y-0.5 text-xs text-slate-500">{children}</div>}
    </section>
  );
}

const dot = <span aria-hidden="true"> · </span>;

/** The range's figures: revenue, sales, QR sessions and conversion, payments, refunds, tables now, stock alerts. */
export function FigureCards({ data }: { data: Dashboard }) {
  const { t, i18n } = useTranslation();
  const { companyId } = useCompanyContext();
  const money = (n: number) => formatMoney(n, data.currency, i18n.language);
  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
  const percent = (rate: number) => new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
  const { sales, sessions, payments, refunds, tables, stockAlerts } = data;
  const channels = SALE_CHANNELS.filter((c) => (sales.byChannel?.[c]?.count ?? 0) > 0);
  const methods = Object.entries(sales.byMethod ?? {}).filter(([, amount]) => amount > 0);

  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="dashboard-cards">
      <FigureCard id="revenue" icon={Coins} label={t('dashboard.cards.revenue')} value={money(sales.revenue)} raw={sales.revenue}>
        {methods.length > 0 && (
          <p>
            {methods.map(([method, amount], i) => (
              <span key={method}>
                {i > 0 && dot}
                {t(`sales.methods.${method}`, { defaultValue: method })} {money(amount)}
              </span>
            ))}
          </p>
        )}
      </FigureCard>
      <FigureCard id="sales" icon={Receipt} label={t('dashboard.cards.sales')} value={number(sales.count)} raw={sales.count}>
        {channels.length > 0 && (
          <p>
            {channels.map((c, i) => (
              <span key={c}>
                {i > 0 && dot}
                {t(`sales.channels.${c}`)} {sales.byChannel[c]?.count ?? 0}
              </span>
            ))}
          </p>
        )}
        {sales.count > 0 && <p>{t('dashboard.cards.averageBasket', { amount: money(Math.round(sales.revenue / sales.count)) })}</p>}
      </FigureCard>
      <FigureCard id="sessions" icon={QrCode} label={t('dashboard.cards.sessions')} value={number(sessions.total)} raw={sessions.total}>
        <p>
          {t('dashboard.cards.sessionsPaid', { count: sessions.paid })}
          {dot}
          {t('dashboard.cards.sessionsActive', { count: sessions.active })}
        </p>
        <p>
          {t('dashboard.cards.sessionsLost', {
            abandoned: sessions.abandoned,
            expired: sessions.expired,
            failed: sessions.failed,
          })}
        </p>
      </FigureCard>
      <FigureCard
        id="conversion"
        icon={Percent}
        label={t('dashboard.cards.conversion')}
        value={percent(sessions.conversionRate)}
        raw={sessions.conversionRate}
      >
        <p>{t('dashboard.cards.conversionHint', { paid: sessions.paid, total: sessions.total })}</p>
        <div
          className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-100"
          role="progressbar"
          aria-label={t('dashboard.cards.conversion')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(sessions.conversionRate * 100)}
        >
          <div className="h-full rounded-full bg-teal-500" style={{ width: `${Math.min(100, sessions.conversionRate * 100)}%` }} />
        </div>
      </FigureCard>
      <FigureCard id="payments" icon={CreditCard} label={t('dashboard.cards.payments')} value={number(payments.total)} raw={payments.total}>
        <p>
          {t('dashboard.cards.paymentsSucceeded', { count: payments.succeeded })}
          {dot}
          <span className={payments.failed > 0 ? 'font-medium text-red-700' : undefined}>
            {t('dashboard.cards.paymentsFailed', { count: payments.failed })}
          </span>
        </p>
        {payments.succeeded > 0 && (
          <p>
            {money(payments.revenue)}
            {dot}
            {t('dashboard.cards.average', { amount: money(payments.averageAmount) })}
          </p>
        )}
      </FigureCard>
      <FigureCard id="refunds" icon={Undo2} label={t('dashboard.cards.refunds')} value={money(refunds.amount)} raw={refunds.amount}>
        <p>{t('dashboard.cards.refundsCount', { count: refunds.count })}</p>
      </FigureCard>
      <FigureCard
        id="tables"
        icon={Armchair}
        label={t('dashboard.cards.tables')}
        value={t('dashboard.cards.tablesValue', { occupied: tables.occupiedNow, total: tables.total })}
        raw={tables.occupiedNow}
      >
        <p>
          {tables.averageOccupationMinutes === null
            ? t('dashboard.cards.noOccupation')
            : t('dashboard.cards.averageOccupation', { minutes: Math.round(tables.averageOccupationMinutes) })}
        </p>
      </FigureCard>
      <FigureCard
        id="stock"
        icon={PackageX}
        label={t('dashboard.cards.stock')}
        value={number(stockAlerts.open)}
        raw={stockAlerts.open}
        tone={stockAlerts.open > 0 ? 'warning' : 'default'}
      >
        {stockAlerts.items.length === 0 ? (
          <p>{t('dashboard.cards.noStockAlert')}</p>
        ) : (
          <ul className="max-h-28 space-y-0.5 overflow-y-auto" data-testid="dashboard-stock-alerts">
            {stockAlerts.items.map((item) => (
              <li key={item.productId} className="flex items-baseline justify-between gap-2" data-testid="dashboard-stock-alert">
                <Link to={`/c/${companyId}/products/${item.productId}`} className={`${linkClass} truncate`}>
                  {item.name}
                </Link>
                <span className="shrink-0 tabular-nums">
                  {t('dashboard.cards.stockLevel', { available: item.available, threshold: item.threshold })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </FigureCard>
    </div>
  );
}
