/** Date and time display helpers (locale from i18next, zone from the company). */

export function formatDateTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
  } catch {
    return d.toLocaleString(locale);
  }
}

export function formatTime(iso: string | number, locale: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  try {
    return new Intl.DateTimeFormat(locale, { timeStyle: 'medium', timeZone }).format(d);
  } catch {
    return d.toLocaleTimeString(locale);
  }
}
