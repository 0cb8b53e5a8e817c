import { ApiError, request } from '../api.ts';
import type { Payment, Sale } from '../sales.ts';
import { uuid } from '../uuid.ts';
import { done, getAll, IDS, inTx, OPS } from './idb.ts';
import { browserOnline } from './online.ts';
import { resolveSaleId } from './project.ts';
import { type IdMapping, isLocalId, type OpError, type QueuedOp } from './types.ts';

/**
 * The offline queue: the till's operations recorded while the server cannot be
 * reached, kept in IndexedDB (they survive a reload), replayed in order once it
 * can — each with the Idempotency-Key it was recorded with, so a retry after a
 * lost answer is applied once. A sale opened offline has a temporary id; its later
 * operations are sent to the id the server gave it. A refusal (4xx) stops that
 * sale's chain and keeps the operation, with the server's answer, until someone
 * fixes it (edit and retry) or discards it explicitly. Nothing is dropped on its own.
 */

export type QueueState = {
  /** The stored queue has been read (before that, `ops` is empty but may not be). */
  loaded: boolean;
  /** Kept in memory only: the device refused IndexedDB (a reload would lose the queue). */
  volatile: boolean;
  ops: QueuedOp[];
  ids: Record<string, IdMapping>;
  syncing: boolean;
  /** The last request reached the server (false after a network failure). */
  reachable: boolean;
  /** The session expired: sign in again to replay. */
  authNeeded: boolean;
};

export type SyncEvent =
  | { type: 'applied'; op: QueuedOp; sale: Sale; payment?: Payment }
  | { type: 'refused'; op: QueuedOp; error: OpError }
  | { type: 'finished'; applied: number };

let state: QueueState = { loaded: false, volatile: false, ops: [], ids: {}, syncing: false, reachable: true, authNeeded: false };
const listeners = new Set<() => void>();
const syncListeners = new Set<(e: SyncEvent) => void>();
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('comptoir-offline-queue');
let memorySeq = 0;

function setState(patch: Partial<QueueState>) {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export const queueState = (): QueueState => state;
export function subscribeQueue(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function onSync(listener: (e: SyncEvent) => void): () => void {
  syncListeners.add(listener);
  return () => syncListeners.delete(listener);
}
const emit = (e: SyncEvent) => {
  for (const l of syncListeners) l(e);
};

const bySeq = (a: QueuedOp, b: QueuedOp) => (a.seq ?? 0) - (b.seq ?? 0);
const MAPPING_DAYS = 7;

/** Reads the stored queue (again: another tab may have changed it). */
export async function loadQueue(): Promise<void> {
  if (state.volatile) return setState({ loaded: true });
  try {
    const [ops, ids] = await Promise.all([getAll<QueuedOp>(OPS), getAll<IdMapping>(IDS)]);
    const cutoff = Date.now() - MAPPING_DAYS * 86_400_000;
    const kept: Record<string, IdMapping> = {};
    const stale: string[] = [];
    for (const m of ids) {
      if (Date.parse(m.at) < cutoff && !ops.some((op) => op.saleId === m.tempId)) stale.push(m.tempId);
      else kept[m.tempId] = m;
    }
    if (stale.length) {
      await inTx([IDS], 'readwrite', (tx) => {
        for (const k of stale) tx.objectStore(IDS).delete(k);
      });
    }
    setState({ loaded: true, ops: ops.sort(bySeq), ids: kept });
  } catch (err) {
    console.warn('Offline queue: IndexedDB unavailable, keeping operations in memory only', err);
    setState({ loaded: true, volatile: true });
  }
}

function changed() {
  channel?.postMessage('changed');
}
channel?.addEventListener('message', () => void loadQueue());

/** Records an operation (seq assigned by the store), then tries to send it when online. */
export async function enqueue(op: QueuedOp): Promise<QueuedOp> {
  let stored = op;
  if (state.volatile) stored = { ...op, seq: ++memorySeq };
  else {
    try {
      const seq = await inTx([OPS], 'readwrite', (tx) => done(tx.objectStore(OPS).add(op)) as Promise<number>);
      stored = { ...op, seq };
    } catch (err) {
      console.warn('Offline queue: could not store an operation, keeping it in memory', err);
      stored = { ...op, seq: Date.now() };
      setState({ volatile: true });
    }
  }
  setState({ ops: [...state.ops, stored].sort(bySeq) });
  changed();
  return stored;
}

async function putOp(op: QueuedOp): Promise<void> {
  if (!state.volatile) await inTx([OPS], 'readwrite', (tx) => void tx.objectStore(OPS).put(op));
  setState({ ops: state.ops.map((o) => (o.seq === op.seq ? op : o)) });
  changed();
}

async function deleteOps(seqs: number[], mapping?: IdMapping): Promise<void> {
  if (!state.volatile) {
    await inTx([OPS, IDS], 'readwrite', (tx) => {
      for (const seq of seqs) tx.objectStore(OPS).delete(seq);
      if (mapping) tx.objectStore(IDS).put(mapping);
    });
  }
  setState({
    ops: state.ops.filter((o) => !seqs.includes(o.seq ?? -1)),
    ids: mapping ? { ...state.ids, [mapping.tempId]: mapping } : state.ids,
  });
  changed();
}

/** The key an operation's sale is grouped under: refusals stop the whole group. */
export const chainOf = (op: QueuedOp, ids: Record<string, IdMapping> = state.ids) => resolveSaleId(op.saleId, ids);

/**
 * Replaces a refused (or never sent) operation's body after an edit and puts it back
 * in line. A new Idempotency-Key goes with the new body: the old one was refused (the
 * server kept nothing) or never used.
 */
export async function editOp(op: QueuedOp, patch: Partial<Pick<QueuedOp, 'body'>> & Partial<QueuedOp>): Promise<void> {
  if (op.attempted && op.state !== 'failed') throw new Error('operation already sent: its body cannot change');
  const next = { ...op, ...patch, state: 'pending', error: null, attempted: false, idempotencyKey: uuid() } as QueuedOp;
  await putOp(next);
}

/** Puts a refused operation back in line as it is (same key: the refusal stored nothing). */
export async function retryOp(op: QueuedOp): Promise<void> {
  await putOp({ ...op, state: 'pending', error: null });
}

/**
 * Discards an operation on purpose (after a confirmation). Discarding the opening
 * of a sale opened offline discards that sale's other operations too (they have
 * nowhere to go); the caller lists them in its confirmation.
 */
export async function discardOp(op: QueuedOp): Promise<QueuedOp[]> {
  const gone = op.kind === 'open_sale' ? state.ops.filter((o) => chainOf(o) === chainOf(op)) : [op];
  console.info('Offline queue: discarded by the user', gone);
  await deleteOps(gone.map((o) => o.seq ?? -1));
  return gone;
}

function errorOf(err: ApiError): OpError {
  return { status: err.status, code: err.code, params: err.params, errors: err.errors };
}

type Answer = { sale: Sale; payment?: Payment };

async function send(op: QueuedOp, saleId: string): Promise<Answer> {
  const base = `/companies/${encodeURIComponent(op.companyId)}/sales`;
  const opts = { idempotencyKey: op.idempotencyKey };
  if (op.kind === 'open_sale') return { sale: await request<Sale>('POST', base, { ...opts, body: op.body }) };
  const path = `${base}/${encodeURIComponent(saleId)}`;
  if (op.kind === 'add_items') return { sale: await request<Sale>('POST', `${path}/items`, { ...opts, body: op.body }) };
  if (op.kind === 'transfer') return { sale: await request<Sale>('POST', `${path}/transfer`, { ...opts, body: op.body }) };
  if (op.kind === 'cancel') return { sale: await request<Sale>('POST', `${path}/cancel`, { ...opts, body: op.body }) };
  const answer = await request<{ sale: Sale; payment: Payment }>('POST', `${path}/payments`, { ...opts, body: op.body });
  return { sale: answer.sale, payment: answer.payment };
}

/** Answers that mean "not now" rather than "no": the operation stays in line, same key. */
const transient = (err: ApiError) => err.status === 0 || err.status === 408 || err.status === 429 || err.status >= 500;

/**
 * No answer from the application: no network, or a proxy saying it could not reach
 * it (a 504 may still have been applied: the replay's same key settles it).
 */
export const unreachable = (err: unknown): boolean => err instanceof ApiError && [0, 502, 503, 504].includes(err.status);

/** After a network failure: is the server answering again? (A cheap public read.) */
async function probe(): Promise<boolean> {
  try {
    await request('GET', '/health');
    setState({ reachable: true });
    return true;
  } catch (err) {
    if (unreachable(err)) return false;
    setState({ reachable: true });
    return true;
  }
}

async function replay(userId: string): Promise<number> {
  await loadQueue();
  if (!state.reachable && browserOnline() && !(await probe())) return 0;
  const blocked = new Set<string>();
  let applied = 0;
  for (const queued of [...state.ops].sort(bySeq)) {
    const op = state.ops.find((o) => o.seq === queued.seq);
    if (!op || op.userId !== userId) continue;
    const chain = chainOf(op);
    if (blocked.has(chain)) continue;
    if (op.state === 'failed') {
      blocked.add(chain);
      continue;
    }
    const target = resolveSaleId(op.saleId, state.ids);
    // Its sale was opened offline and that opening has not gone through.
    if (op.kind !== 'open_sale' && isLocalId(target)) {
      blocked.add(chain);
      continue;
    }
    if (!browserOnline()) return applied;
    if (!op.attempted) await putOp({ ...op, attempted: true });
    try {
      const answer = await send(op, target);
      const mapping =
        op.kind === 'open_sale'
          ? { tempId: op.saleId, realId: answer.sale.id, reference: answer.sale.reference, companyId: op.companyId, at: new Date().toISOString() }
          : undefined;
      await deleteOps([op.seq ?? -1], mapping);
      applied += 1;
      setState({ reachable: true, authNeeded: false });
      emit({ type: 'applied', op, sale: answer.sale, payment: answer.payment });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      // Nobody signed in (or, on a shared till, nobody's PIN): not the operation's fault.
      if (err.status === 401 || err.code.startsWith('till.')) {
        setState({ authNeeded: true });
        return applied;
      }
      if (transient(err)) {
        setState({ reachable: !unreachable(err) });
        return applied;
      }
      const error = errorOf(err);
      const current = state.ops.find((o) => o.seq === op.seq) ?? op;
      await putOp({ ...current, attempted: true, state: 'failed', error });
      setState({ reachable: true });
      blocked.add(chain);
      emit({ type: 'refused', op: current, error });
    }
  }
  return applied;
}

let running: Promise<void> | null = null;
let again = false;

/** Replays the signed-in user's operations; one replay at a time across this device's tabs. */
export function syncQueue(userId: string): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    setState({ syncing: true });
    let applied = 0;
    try {
      do {
        again = false;
        const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
        applied += locks
          ? await locks.request('comptoir-offline-queue', () => replay(userId))
          : await replay(userId);
      } while (again && browserOnline());
    } catch (err) {
      console.error('Offline queue: replay stopped', err);
    } finally {
      setState({ syncing: false });
      running = null;
      emit({ type: 'finished', applied });
    }
  })();
  return running;
}

/** Sets the reachability seen by a request outside the queue (a direct call that failed). */
export function markUnreachable(): void {
  if (state.reachable) setState({ reachable: false });
}

/** Next number for a sale opened offline on this device ("L-1", "L-2"…). */
export function nextLocalReference(): string {
  let n = 1;
  try {
    n = Number(localStorage.getItem('comptoir.offline.counter') ?? '0') + 1;
    localStorage.setItem('comptoir.offline.counter', String(n));
  } catch {
    n = Math.floor(Date.now() / 1000) % 10000;
  }
  return `L-${n}`;
}
