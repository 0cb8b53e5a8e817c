/**
 * Dates of the staff screens that the public pages never need (kept out of format.ts,
 * which the shop and pay pages load): log timestamps and local calendar dates.
 */
/** "14/03/2025 10:42:07": a log timestamp, to the second. */
export function formatTimestamp(iso: string, locale: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium', timeZone }).format(d);
  } catch {
    return d.toLocaleString(locale);
  }
}

/** Today's local date (YYYY-MM-DD) in `timeZone` (the browser's when absent or unknown). */
export function todayIn(timeZone?: string, now = new Date()): string {
  try {
    // en-CA writes dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  }
}

/** A local date moved by `days` (calendar arithmetic, no time zone involved). */
export function shiftDate(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A local date (YYYY-MM-DD) for display: "14 mars" or, with the year, "14 mars 2025". */
export function formatLocalDate(day: string, locale: string, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(d);
  } catch {
    return day;
  }
}
