import type { TFunction } from 'i18next';
import { Monitor, Smartphone, Tablet } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useCompanyContext } from '../../lib/companyContext.ts';
import type { AuditEvent, EventLevel } from '../../lib/insights.ts';
import { formatMoney } from '../../lib/money.ts';
import { formatDuration } from '../payments/paymentUi.tsx';

const badge = 'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap';

/** Level colours: the dot of a timeline and the badge of a row. */
export const LEVEL_STYLES: Record<EventLevel, { dot: string; badge: string; text: string }> = {
  info: { dot: 'bg-teal-500', badge: 'bg-slate-100 text-slate-700', text: 'text-slate-800' },
  warning: { dot: 'bg-amber-500', badge: 'bg-amber-100 text-amber-900', text: 'text-amber-800' },
  error: { dot: 'bg-red-500', badge: 'bg-red-100 text-red-800', text: 'text-red-700' },
  critical: { dot: 'bg-red-700', badge: 'bg-red-700 text-white', text: 'text-red-800' },
};

export function levelStyle(level: string) {
  return LEVEL_STYLES[level as EventLevel] ?? LEVEL_STYLES.info;
}

export function LevelBadge({ level }: { level: string }) {
  const { t } = useTranslation();
  return (
    <span className={`${badge} ${levelStyle(level).badge}`} data-level={level}>
      {t(`audit.levels.${level}`, { defaultValue: level })}
    </span>
  );
}

/** "Paiement confirmé": the shared label of an event type (events.<type>). */
export function eventLabel(type: string, t: TFunction): string {
  return t(`events.${type}`, { defaultValue: type });
}

/** "Utilisateur · Awa Diop", "Prestataire · stripe", "Système". */
export function actorText(actor: AuditEvent['actor'], t: TFunction): string {
  const kind = t(`audit.actorTypes.${actor.type}`, { defaultValue: actor.type });
  const who = actor.name ?? (actor.id ? (actor.id.length > 12 ? actor.id.slice(0, 8) : actor.id) : null);
  return who ? `${kind} · ${who}` : kind;
}

const joined = (...parts: Array<string | null | undefined>) => parts.filter(Boolean).join(' ');

/** "Apple iPhone · Safari 17.2 · iOS 17.2" (empty when the event came without a user agent). */
export function deviceText(e: Pick<AuditEvent, 'device' | 'browser' | 'os'>, t: TFunction): string {
  const device = joined(e.device?.vendor, e.device?.model) || (e.device?.type ? t(`audit.deviceTypes.${e.device.type}`, { defaultValue: e.device.type }) : '');
  const browser = joined(e.browser?.name, e.browser?.version);
  const os = joined(e.os?.name, e.os?.version);
  return [device, browser, os].filter(Boolean).join(' · ');
}

/** Phone, tablet or desktop icon of the event's device (desktop when the parser found no type). */
export function DeviceIcon({ type, className }: { type: string | null | undefined; className?: string }) {
  const Icon = type === 'mobile' ? Smartphone : type === 'tablet' ? Tablet : Monitor;
  return <Icon className={className ?? 'size-3.5'} aria-hidden="true" />;
}

/** "120 ms", "3 s", "2 min 05 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : formatDuration(ms);
}

const MONEY_KEYS = ['amount', 'received', 'due', 'total', 'revenue'] as const;
const TEXT_KEYS = ['reference', 'status', 'method', 'channel', 'issue', 'reason', 'provider', 'eventType', 'message', 'name', 'route'] as const;
/** A system error's `method` is the request's (POST…), not a payment method. */
const HTTP_METHOD = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/;

/**
 * The few readable values of an event's data (money formatted with its currency,
 * method, channel and issue translated), for timelines and rows; the full data is
 * shown as JSON next to it.
 */
export function keyData(
  data: Record<string, unknown> | null | undefined,
  t: TFunction,
  locale: string,
  fallbackCurrency?: string,
): Array<{ key: string; value: string }> {
  const d = data ?? {};
  const out: Array<{ key: string; value: string }> = [];
  const currency = typeof d.currency === 'string' ? d.currency : (fallbackCurrency ?? null);
  for (const key of MONEY_KEYS) {
    const v = d[key];
    if (typeof v === 'number') out.push({ key, value: currency ? formatMoney(v, currency, locale) : String(v) });
  }
  for (const key of TEXT_KEYS) {
    const v = d[key];
    if (typeof v !== 'string' || v === '') continue;
    if (key === 'method' && HTTP_METHOD.test(v)) {
      out.push({ key: 'httpMethod', value: v });
      continue;
    }
    const value =
      key === 'method'
        ? t(`sales.methods.${v}`, { defaultValue: v })
        : key === 'channel'
          ? t(`sales.channels.${v}`, { defaultValue: v })
          : key === 'issue'
            ? t(`payments.issues.${v}`, { defaultValue: v })
            : v;
    out.push({ key, value });
  }
  return out;
}

/** The key data as "Montant : 12,00 € · Moyen : Espèces" (amounts without a currency are the company's). */
export function KeyData({ data }: { data: Record<string, unknown> | null | undefined }) {
  const { t, i18n } = useTranslation();
  const { membership } = useCompanyContext();
  const items = keyData(data, t, i18n.language, membership.currency);
  if (items.length === 0) return null;
  return (
    <span className="text-xs text-slate-600">
      {items.map((item, i) => (
        <span key={item.key}>
          {i > 0 && ' · '}
          {t('audit.dataPair', { replace: { key: t(`audit.dataKeys.${item.key}`, { defaultValue: item.key }), value: item.value } })}
        </span>
      ))}
    </span>
  );
}

/** An event's whole data, pretty-printed. */
export function DataJson({ data }: { data: Record<string, unknown> | null | undefined }) {
  const { t } = useTranslation();
  if (!data || Object.keys(data).length === 0) return <span className="text-xs text-slate-400">{t('audit.noData')}</span>;
  return (
    <pre className="max-h-64 overflow-auto rounded-md bg-white p-2 ring-1 ring-slate-200 font-mono text-xs break-all whitespace-pre-wrap text-slate-700" data-testid="event-data">
      {JSON.stringify(data, null, 2)}
    </pre>
  );
}

/** The staff page of an event's trail, when it names a payment or a QR payment session. */
export function trailPath(companyId: string, subjects: AuditEvent['subjects']): string | null {
  if (subjects.paymentId) return `/c/${companyId}/payments/${subjects.paymentId}/trail`;
  if (subjects.paymentSessionId) return `/c/${companyId}/payment-sessions/${subjects.paymentSessionId}/trail`;
  return null;
}
