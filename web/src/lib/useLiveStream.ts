import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { streamUrl } from './endpoints.ts';
import { qk } from './queryKeys.ts';
import { EVENT_TYPES, parseFrame, RESET_FRAME, type StreamFrame, USER_FRAME_TYPES } from './streamEvents.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'polling';

const ERROR_WINDOW_MS = 30_000;
const ERRORS_BEFORE_POLLING = 3;
const POLL_EVERY_MS = 15_000;
const RETRY_STREAM_AFTER_MS = 60_000;

/**
 * Opens the company's live stream (EventSource; the browser resumes with
 * Last-Event-ID on its own reconnects, and a stream reopened after polling
 * passes ?lastEventId=). On a `reset` frame every query of the
 * company is invalidated. When the stream keeps failing (3 errors within 30 s, or
 * it cannot open at all) it falls back to polling: invalidate the company's
 * queries every 15 s and try the stream again every 60 s.
 *
 * Returns the status and `listen(type)`, which adds a listener for an event type
 * that is not in EVENT_TYPES (named SSE events need one listener per type).
 */
export function useLiveStream(companyId: string | undefined, onFrame: (frame: StreamFrame) => void) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const onFrameRef = useRef(onFrame);
  onFrameRef.current = onFrame;
  const sourceRef = useRef<EventSource | null>(null);
  const handlerRef = useRef<((e: MessageEvent<string>) => void) | null>(null);
  const extraTypes = useRef(new Set<string>());

  useEffect(() => {
    if (!companyId) return;
    let disposed = false;
    let errorTimes: number[] = [];
    let pollTimer: ReturnType<typeof setInterval> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    // Last SSE id seen: a new EventSource (after polling) resumes from it via ?lastEventId=.
    let lastEventId = '';

    const refetchCompany = () => {
      void queryClient.invalidateQueries({ queryKey: qk.company(companyId) });
    };

    const handle = (e: MessageEvent<string>) => {
      if (e.lastEventId) lastEventId = e.lastEventId;
      const frame = parseFrame(e.type, e.data, e.lastEventId);
      if (frame.type === RESET_FRAME) {
        refetchCompany();
        void queryClient.invalidateQueries({ queryKey: qk.me });
      }
      onFrameRef.current(frame);
    };
    handlerRef.current = handle;

    const close = () => {
      sourceRef.current?.close();
      sourceRef.current = null;
    };

    const startPolling = () => {
      close();
      setStatus('polling');
      if (pollTimer === undefined) {
        refetchCompany();
        pollTimer = setInterval(refetchCompany, POLL_EVERY_MS);
      }
      clearTimeout(retryTimer);
      retryTimer = setTimeout(open, RETRY_STREAM_AFTER_MS);
    };

    function open() {
      if (disposed) return;
      close();
      const base = streamUrl(companyId!);
      const source = new EventSource(lastEventId ? `${base}?lastEventId=${encodeURIComponent(lastEventId)}` : base);
      sourceRef.current = source;
      source.onopen = () => {
        if (sourceRef.current !== source) return;
        if (pollTimer !== undefined) {
          clearInterval(pollTimer);
          pollTimer = undefined;
          refetchCompany(); // polling may have missed per-user frames: refresh once more
        }
        setStatus('live');
      };
      source.onerror = () => {
        if (sourceRef.current !== source) return;
        const now = Date.now();
        errorTimes = errorTimes.filter((t) => now - t < ERROR_WINDOW_MS);
        errorTimes.push(now);
        const cannotOpen = source.readyState === EventSource.CLOSED;
        if (cannotOpen || pollTimer !== undefined || errorTimes.length >= ERRORS_BEFORE_POLLING) startPolling();
        else setStatus('reconnecting');
      };
      source.onmessage = handle;
      for (const type of [...EVENT_TYPES, ...USER_FRAME_TYPES, RESET_FRAME, ...extraTypes.current]) {
        source.addEventListener(type, handle);
      }
    }

    setStatus('connecting');
    open();
    return () => {
      disposed = true;
      clearInterval(pollTimer);
      clearTimeout(retryTimer);
      close();
      handlerRef.current = null;
    };
  }, [companyId, queryClient]);

  const listen = useCallback((type: string) => {
    if (EVENT_TYPES.includes(type) || USER_FRAME_TYPES.includes(type) || type === RESET_FRAME) return;
    if (extraTypes.current.has(type)) return;
    extraTypes.current.add(type);
    const handler = handlerRef.current;
    if (handler) sourceRef.current?.addEventListener(type, handler);
  }, []);

  return { status, listen };
}
