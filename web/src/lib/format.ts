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

const RELATIVE_STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];

/** "il y a 5 min", "hier"… for recent times; the date for anything older than a week. */
export function formatRelative(iso: string, locale: string, timeZone?: string, now = Date.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let value = (d.getTime() - now) / 1000;
  if (Math.abs(value) < 45) value = 0;
  try {
    const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
    for (const [unit, size] of RELATIVE_STEPS) {
      if (Math.abs(value) < size) return rtf.format(Math.round(value), unit);
      value /= size;
    }
  } catch {
    // no RelativeTimeFormat: fall through to the date
  }
  return formatDateTime(iso, locale, timeZone);
}
