import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { StreamFrame } from '../lib/streamEvents.ts';
import { type StreamStatus, useLiveStream } from '../lib/useLiveStream.ts';

type Handler = (frame: StreamFrame) => void;
/** Event types to receive, or '*' for every frame (company events, reset, per-user frames). */
export type FrameFilter = readonly string[] | '*';

type LiveStreamContextValue = {
  status: StreamStatus;
  /** The latest frames, newest first. */
  recent: StreamFrame[];
  subscribe: (filter: FrameFilter, handler: Handler) => () => void;
};

const MAX_RECENT = 50;
const LiveStreamContext = createContext<LiveStreamContextValue | null>(null);

/** Opens the company's stream once for the whole app layout and fans frames out. Key it by companyId. */
export function LiveStreamProvider({ companyId, children }: { companyId: string; children: ReactNode }) {
  const subscribers = useRef(new Set<{ filter: FrameFilter; handler: Handler }>());
  const [recent, setRecent] = useState<StreamFrame[]>([]);

  const onFrame = useCallback((frame: StreamFrame) => {
    if (frame.type !== 'notification_count') setRecent((list) => [frame, ...list].slice(0, MAX_RECENT));
    for (const s of subscribers.current) {
      if (s.filter === '*' || s.filter.includes(frame.type)) s.handler(frame);
    }
  }, []);

  const { status, listen } = useLiveStream(companyId, onFrame);

  const subscribe = useCallback(
    (filter: FrameFilter, handler: Handler) => {
      if (filter !== '*') for (const type of filter) listen(type);
      const entry = { filter, handler };
      subscribers.current.add(entry);
      return () => {
        subscribers.current.delete(entry);
      };
    },
    [listen],
  );

  const value = useMemo(() => ({ status, recent, subscribe }), [status, recent, subscribe]);
  return <LiveStreamContext.Provider value={value}>{children}</LiveStreamContext.Provider>;
}

function useLiveStreamContext(): LiveStreamContextValue {
  const ctx = useContext(LiveStreamContext);
  if (!ctx) throw new Error('useLiveStreamContext must be used inside <LiveStreamProvider>');
  return ctx;
}

export function useStreamStatus(): StreamStatus {
  return useLiveStreamContext().status;
}

export function useRecentFrames(): StreamFrame[] {
  return useLiveStreamContext().recent;
}

/**
 * Calls `handler` for every frame whose type is in `filter` (or every frame with
 * '*'), e.g. useStreamEvents(['table_freed'], (f) => …). The handler may change
 * between renders without resubscribing.
 */
export function useStreamEvents(filter: FrameFilter, handler: Handler) {
  const { subscribe } = useLiveStreamContext();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const key = filter === '*' ? '*' : filter.join('|');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `filter`
  useEffect(() => subscribe(filter, (frame) => handlerRef.current(frame)), [subscribe, key]);
}
