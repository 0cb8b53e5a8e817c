import { useMemo, useSyncExternalStore } from 'react';
import { useBrowserOnline } from './online.ts';
import { type QueueState, queueState, subscribeQueue } from './queue.ts';
import type { QueuedOp } from './types.ts';

/** The offline queue, live (every tab's changes included). */
export function useQueueState(): QueueState {
  return useSyncExternalStore(subscribeQueue, queueState, queueState);
}

/** The company's queued operations (every user's: they all show on this device) and the id map. */
export function useOfflineQueue(companyId: string): Pick<QueueState, 'ids'> & { ops: QueuedOp[] } {
  const s = useQueueState();
  const ops = useMemo(() => s.ops.filter((op) => op.companyId === companyId), [s.ops, companyId]);
  return useMemo(() => ({ ops, ids: s.ids }), [ops, s.ids]);
}

/** No network, or the last request could not reach the server: what needs it is disabled. */
export function useOffline(): boolean {
  const online = useBrowserOnline();
  const { reachable } = useQueueState();
  return !online || !reachable;
}
