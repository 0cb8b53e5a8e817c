import { z } from 'zod';

/** A calendar date as lists take it: `from`/`to` are inclusive local dates (YYYY-MM-DD). */
export const localDate = z.iso.date();

/** Offset of a time zone from UTC at an instant, in milliseconds. */
function offsetMs(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The UTC instant at which a local calendar day starts in a time zone (DST-safe). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // Two passes settle the offset across a DST change.
  let instant = guess - offsetMs(timeZone, new Date(guess));
  instant = guess - offsetMs(timeZone, new Date(instant));
  return new Date(instant);
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDateOf(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The calendar date after (or `n` days after) a YYYY-MM-DD date. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * Inclusive local dates -> a half-open UTC range [start, end) for SQL
 * (`created_at >= start AND created_at < end`). Either side may be open.
 */
export function localDateRange(timeZone: string, from?: string, to?: string): { start?: Date; end?: Date } {
  return {
    start: from ? startOfLocalDay(from, timeZone) : undefined,
    end: to ? startOfLocalDay(nextDay(to), timeZone) : undefined,
  };
}
