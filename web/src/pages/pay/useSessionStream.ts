import { useEffect, useRef } from 'react';
import { type PublicSession, payStreamUrl } from '../../lib/pay.ts';

const ERROR_WINDOW_MS = 30_000;
const ERRORS_BEFORE_POLLING = 3;
const POLL_EVERY_MS = 3_000;

/**
 * While `enabled`, follows the session live: the public stream's `state` frames
 * each carry the whole PublicSession. When the stream keeps failing (3 errors
 * within 30 s, it cannot open at all, or there is no EventSource) it falls back
 * to `poll()` every 3 s until disabled.
 */
export function useSessionStream(
  token: string,
  enabled: boolean,
  onState: (session: PublicSession) => void,
  poll: () => void,
) {
  const onStateRef = useRef(onState);
  onStateRef.current = onState;
  const pollRef = useRef(poll);
  pollRef.current = poll;

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let errors: number[] = [];

    const startPolling = () => {
      source?.close();
      source = null;
      if (timer === undefined) timer = setInterval(() => pollRef.current(), POLL_EVERY_MS);
    };

    if (typeof EventSource === 'undefined') {
      startPolling();
    } else {
      const es = new EventSource(payStreamUrl(token));
      source = es;
      es.addEventListener('state', (e) => {
        try {
          onStateRef.current(JSON.parse((e as MessageEvent<string>).data) as PublicSession);
        } catch {
          // a frame we cannot read: the next one (or a poll) brings the state
        }
      });
      es.onerror = () => {
        if (source !== es) return;
        const now = Date.now();
        errors = errors.filter((at) => now - at < ERROR_WINDOW_MS);
        errors.push(now);
        if (es.readyState === EventSource.CLOSED || errors.length >= ERRORS_BEFORE_POLLING) startPolling();
      };
    }

    return () => {
      clearInterval(timer);
      source?.close();
    };
  }, [token, enabled]);
}
