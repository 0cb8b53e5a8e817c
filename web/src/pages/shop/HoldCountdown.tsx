import { Timer } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

const RETRY_MS = 5_000;

/** Seconds left until `iso` (never negative), refreshed every second. */
function useSecondsLeft(iso: string): number {
  const end = new Date(iso).getTime();
  const left = () => Math.max(0, Math.ceil((end - Date.now()) / 1000));
  const [seconds, setSeconds] = useState(left);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `left` only depends on `end`
  useEffect(() => {
    setSeconds(left());
    const timer = setInterval(() => setSeconds(left()), 1000);
    return () => clearInterval(timer);
  }, [end]);
  return seconds;
}

export function formatMmSs(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/**
 * The hold's countdown (mm:ss). At 0 it asks for the cart again (the server then
 * answers `hold_expired`); if the server still holds (clocks differ), it asks again
 * every few seconds.
 */
export function HoldCountdown({ expiresAt, onExpired }: { expiresAt: string; onExpired: () => void }) {
  const { t } = useTranslation();
  const seconds = useSecondsLeft(expiresAt);
  const lastCall = useRef(0);
  const expired = seconds === 0;

  useEffect(() => {
    if (!expired) return;
    const fire = () => {
      lastCall.current = Date.now();
      onExpired();
    };
    if (Date.now() - lastCall.current >= RETRY_MS) fire();
    const timer = setInterval(fire, RETRY_MS);
    return () => clearInterval(timer);
  }, [expired, onExpired]);

  const urgent = seconds <= 60;
  return (
    <div
      className={`flex items-center justify-between gap-3 rounded-xl border px-4 py-3 ${
        urgent ? 'border-orange-300 bg-orange-50 text-orange-900' : 'border-teal-200 bg-teal-50 text-teal-900'
      }`}
    >
      <span className="flex items-center gap-2 text-sm">
        <Timer className="size-4" aria-hidden="true" />
        {expired ? t('shop.holdExpired') : t('shop.holdLabel')}
      </span>
      <span
        className="font-mono text-2xl font-bold tabular-nums"
        data-testid="hold-countdown"
        data-seconds={seconds}
        role="timer"
        aria-live="off"
      >
        {formatMmSs(seconds)}
      </span>
    </div>
  );
}
