import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from './money.ts';
import type { AppNotification, I18nText } from './types.ts';

export type NotificationText = { title: string; message: string };

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** "2025-03-14" → "14 mars 2025" (a calendar day, so no time zone shift). */
function formatDay(day: string, locale: string): string {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00Z` : day);
  if (Number.isNaN(d.getTime())) return day;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
  } catch {
    return day;
  }
}

/**
 * The parameters of a notification sentence, ready to print: money formatted from
 * amount + currency, loss reasons translated, a table without label named by its id.
 */
export function displayParams(n: AppNotification, text: I18nText, t: TFunction, locale: string): Record<string, unknown> {
  const params: Record<string, unknown> = { ...(text.params ?? {}) };
  const data = n.data ?? {};
  if (typeof params.amount === 'number' && isString(params.currency)) {
    params.amount = formatMoney(params.amount, params.currency, locale);
  }
  if (n.type === 'loss_reported') {
    if (isString(params.reason)) params.reason = t(`products.lossReasons.${params.reason}`, { defaultValue: params.reason });
    if (!isString(params.name)) params.name = isString(data.name) ? data.name : t('notifications.unknownProduct');
  }
  if (!isString(params.label)) {
    const tableId = params.tableId ?? data.tableId;
    if (isString(tableId)) params.label = tableId.slice(0, 8);
  }
  if (n.type === 'daily_summary' && isString(params.date)) params.date = formatDay(params.date, locale);
  if (n.type === 'order_ready') {
    // "Table 7" when the sale is at a table, else its reference; the station by its name.
    const label = params.tableLabel ?? data.tableLabel;
    params.where = isString(label) ? t('stations.screen.table', { label }) : (params.reference ?? data.reference ?? '');
    if (isString(params.station)) params.station = t(`stations.names.${params.station}`, { defaultValue: params.station });
  }
  if (n.type === 'payment_issue' && isString(params.issue)) {
    params.issue = t(`payments.issues.${params.issue}`, { defaultValue: params.issue });
  }
  return params;
}

function render(n: AppNotification, text: I18nText | undefined, part: 'title' | 'message', t: TFunction, locale: string) {
  const fallbackKey = `notifications.${n.type}.${part}`;
  const code = text?.code || fallbackKey;
  const replace = displayParams(n, text ?? { code }, t, locale);
  // `replace` keeps server params (count, context…) from being read as i18next options.
  const fallback = part === 'title' ? t(`events.${n.type}`, { defaultValue: n.type }) : '';
  return t(code, { replace, defaultValue: fallback });
}

/** Title and message of a notification in the current language. */
export function notificationText(n: AppNotification, t: TFunction, locale: string): NotificationText {
  return { title: render(n, n.title, 'title', t, locale), message: render(n, n.message, 'message', t, locale) };
}

export function useNotificationText() {
  const { t, i18n } = useTranslation();
  return useCallback((n: AppNotification) => notificationText(n, t, i18n.language), [t, i18n.language]);
}

/** Only paths of this app are followed. */
export function safeLink(link: string | null | undefined): string | null {
  return link?.startsWith('/') && !link.startsWith('//') ? link : null;
}
