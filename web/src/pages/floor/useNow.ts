import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs` (for "depuis 12 min" counters). */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "12 min" or "1 h 05 min" since `iso`. */
export function formatSince(iso: string, now: number, t: TFunction): string {
  const minutes = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
  if (!Number.isFinite(minutes)) return '';
  if (minutes < 60) return t('floor.minutes', { count: minutes });
  return t('floor.hours', { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, '0') });
}
