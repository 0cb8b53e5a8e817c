import type { ServerResponse } from 'node:http';
import type { Clock } from '../clock.ts';
import { type Database, inTransaction, type Tx } from '../db/tx.ts';
import type { Role } from '../permissions.ts';
import { type EventType, STREAM_AUDIENCE } from './event-map.ts';

export const REPLAY_HOURS = 24;
const BATCH = 500;

export interface StreamFrame {
  position: number;
  type: string;
  at: string;
  subjects: Record<string, string>;
  data: Record<string, unknown>;
}

/** An event as the stream reads it (its id stays internal). */
export interface LoggedEvent extends StreamFrame {
  id: string;
}

export interface StreamReader {
  companyId: string;
  userId?: string;
  role: Role;
}

/** A frame a module adds for one reader, placed after the event at `position`. */
export interface ExtraFrame {
  position: number;
  event: string;
  data: unknown;
}

/**
 * Modules add per-user frames (notifications) derived from the events a reader is
 * about to receive, in the same transaction as the read. Replay after a reconnect
 * goes through the same path, so those frames are caught up too.
 */
export type StreamExtension = (tx: Tx, reader: StreamReader, events: readonly LoggedEvent[]) => Promise<ExtraFrame[]>;
const extensions: StreamExtension[] = [];

export function extendStream(extension: StreamExtension): void {
  if (!extensions.includes(extension)) extensions.push(extension);
}

interface Client {
  companyId: string;
  userId?: string;
  role: Role;
  cursor: number;
  res: ServerResponse;
  pumping: boolean;
  again: boolean;
}

/** Where a (re)connecting client starts, and whether it must start over. */
export async function resumePoint(
  tx: Tx,
  companyId: string,
  lastEventId: string | undefined,
  now: Date,
): Promise<{ cursor: number; reset: boolean }> {
  const { rows } = await tx.client.query<{ position: number }>(
    'SELECT position FROM event_streams WHERE company_id = $1',
    [companyId],
  );
  const head = Number(rows[0]?.position ?? 0);
  if (lastEventId === undefined || lastEventId === '') return { cursor: head, reset: false };
  const last = /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : Number.NaN;
  if (!Number.isSafeInteger(last) || last > head) return { cursor: head, reset: true };
  if (last === head) return { cursor: head, reset: false };
  const next = await tx.client.query<{ created_at: Date }>(
    'SELECT created_at FROM events WHERE company_id = $1 AND position = $2',
    [companyId, last + 1],
  );
  const since = now.getTime() - REPLAY_HOURS * 3600_000;
  const first = next.rows[0];
  if (!first || first.created_at.getTime() < since) return { cursor: head, reset: true };
  return { cursor: last, reset: false };
}

/**
 * The live stream of one instance. Clients of a company are woken by the bus; each
 * reads the log after its own cursor (positions are gap-free and follow commit
 * order), sends what its role may see, and advances. Replay and live are the same
 * path, so nothing is skipped or doubled.
 */
export class StreamHub {
  private readonly clients = new Map<string, Set<Client>>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: { warn: (o: object, m: string) => void },
  ) {}

  get size(): number {
    let n = 0;
    for (const set of this.clients.values()) n += set.size;
    return n;
  }

  add(companyId: string, role: Role, cursor: number, res: ServerResponse, userId?: string): () => void {
    const client: Client = { companyId, role, cursor, res, userId, pumping: false, again: false };
    let set = this.clients.get(companyId);
    if (!set) {
      set = new Set();
      this.clients.set(companyId, set);
    }
    set.add(client);
    void this.pump(client);
    return () => {
      set.delete(client);
      if (set.size === 0 && this.clients.get(companyId) === set) this.clients.delete(companyId);
    };
  }

  wake(companyId: string | '*') {
    const targets = companyId === '*' ? [...this.clients.values()] : [this.clients.get(companyId)];
    for (const set of targets) for (const c of set ?? []) void this.pump(c);
  }

  /** Sends a per-user frame (notifications) to that user's open streams in a company. */
  sendToUser(companyId: string, userId: string, event: string, data: unknown) {
    for (const c of this.clients.get(companyId) ?? []) {
      if (c.userId === userId) c.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    }
  }

  heartbeat() {
    for (const set of this.clients.values()) for (const c of set) c.res.write(': ping\n\n');
  }

  closeAll() {
    // Shutting down: end each stream and its connection, so the server can close.
    for (const set of this.clients.values()) for (const c of set) c.res.end(() => c.res.socket?.destroy());
    this.clients.clear();
  }

  private async pump(c: Client): Promise<void> {
    if (c.pumping) {
      c.again = true;
      return;
    }
    c.pumping = true;
    try {
      do {
        c.again = false;
        for (;;) {
          const { rows, extras } = await this.read(c);
          for (const r of rows) {
            if (c.res.destroyed) return;
            const { id: _, ...frame } = r;
            if (STREAM_AUDIENCE[r.type as EventType]?.includes(c.role)) {
              c.res.write(`event: ${r.type}\nid: ${r.position}\ndata: ${JSON.stringify(frame)}\n\n`);
            }
            for (const x of extras.get(r.position) ?? []) {
              c.res.write(`event: ${x.event}\nid: ${r.position}\ndata: ${JSON.stringify(x.data)}\n\n`);
            }
            c.cursor = r.position;
          }
          if (rows.length < BATCH) break;
        }
      } while (c.again && !c.res.destroyed);
    } catch (err) {
      this.log.warn({ err, companyId: c.companyId }, 'stream read failed');
    } finally {
      c.pumping = false;
    }
  }

  private read(c: Client): Promise<{ rows: LoggedEvent[]; extras: Map<number, ExtraFrame[]> }> {
    return inTransaction(this.db, { kind: 'company', companyId: c.companyId, userId: c.userId }, async (tx) => {
      const { rows } = await tx.client.query(
        `SELECT id, position, type, created_at, subjects, data FROM events
         WHERE company_id = $1 AND position > $2 ORDER BY position LIMIT ${BATCH}`,
        [c.companyId, c.cursor],
      );
      const events: LoggedEvent[] = rows.map((r) => ({
        id: r.id,
        position: Number(r.position),
        type: r.type,
        at: (r.created_at as Date).toISOString(),
        subjects: r.subjects,
        data: r.data,
      }));
      const extras = new Map<number, ExtraFrame[]>();
      if (events.length) {
        for (const ext of extensions) {
          for (const x of await ext(tx, { companyId: c.companyId, userId: c.userId, role: c.role }, events)) {
            extras.set(x.position, [...(extras.get(x.position) ?? []), x]);
          }
        }
      }
      return { rows: events, extras };
    });
  }

  get now(): Date {
    return this.clock.now();
  }
}
