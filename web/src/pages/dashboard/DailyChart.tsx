import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatLocalDate } from '../../lib/localDates.ts';
import type { DailyPoint } from '../../lib/insights.ts';
import { currencyDigits, formatMoney } from '../../lib/money.ts';

export type DailyChartProps = {
  days: DailyPoint[];
  currency: string;
  locale: string;
  labels: { revenue: string; sessions: string; paidSessions: string };
};

/**
 * Revenue (bars, left axis) and QR payment sessions, all and paid (lines, right
 * axis), one point per local day. Loaded on its own (React.lazy) so recharts stays
 * out of the staff app's main chunk.
 */
export default function DailyChart({ days, currency, locale, labels }: DailyChartProps) {
  const compact = (minor: number) => {
    try {
      return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(minor / 10 ** currencyDigits(currency));
    } catch {
      return String(minor);
    }
  };
  const day = (value: unknown) => formatLocalDate(String(value), locale, { day: 'numeric', month: 'short' });
  return (
    <ResponsiveContainer width="100%" height={280}>
      <ComposedChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="date" tickFormatter={day} tick={{ fontSize: 12, fill: '#64748b' }} minTickGap={16} />
        <YAxis yAxisId="money" tickFormatter={compact} tick={{ fontSize: 12, fill: '#64748b' }} width={56} />
        <YAxis yAxisId="count" orientation="right" allowDecimals={false} tick={{ fontSize: 12, fill: '#64748b' }} width={36} />
        <Tooltip
          labelFormatter={(value) => formatLocalDate(String(value), locale, { dateStyle: 'full' })}
          formatter={(value, name) => (name === labels.revenue ? formatMoney(Number(value), currency, locale) : value)}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar yAxisId="money" dataKey="revenue" name={labels.revenue} fill="#14b8a6" radius={[3, 3, 0, 0]} maxBarSize={28} />
        <Line yAxisId="count" type="monotone" dataKey="sessions" name={labels.sessions} stroke="#6366f1" strokeWidth={2} dot={false} />
        <Line yAxisId="count" type="monotone" dataKey="paidSessions" name={labels.paidSessions} stroke="#f59e0b" strokeWidth={2} dot={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
