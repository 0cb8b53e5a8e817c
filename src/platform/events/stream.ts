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

/** A frame a module adds for one user, placed after the event at `position`. */
export interface ExtraFrame {
  position: number;
  event: string;
  data: unknown;
  userId: string;
}

/**
 * Modules add per-user frames (notifications) derived from the events about to be
 * sent, in the same transaction as the read, for all the given readers at once.
 * Replay after a reconnect goes through the same path, so those frames are caught
 * up too.
 */
export type StreamExtension = (
  tx: Tx,
  companyId: string,
  readers: readonly StreamReader[],
  events: readonly LoggedEvent[],
) => Promise<ExtraFrame[]>;
const extensions: StreamExtension[] = [];

export function extendStream(extension: StreamExtension): void {
  if (!extensions.includes(extension)) extensions.push(extension);
}

interface Client extends StreamReader {
  cursor: number;
  res: ServerResponse;
  /** Receives the company's shared reads; false while it catches up on its own. */
  live: boolean;
  catchingUp: boolean;
}

interface Group {
  companyId: string;
  clients: Set<Client>;
  /** Position up to which the shared read has delivered. */
  cursor: number;
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
 * The live stream of one instance. Per company, one shared read follows the log
 * (positions are gap-free and follow commit order) and fans each event out to the
 * connected clients whose role may see it, with the per-user frames modules derive
 * for them — a handful of queries per wake however many clients are connected. A
 * client that starts behind (Last-Event-ID) catches up on its own reads, then joins
 * the shared one; each client only ever receives positions above its own cursor, so
 * nothing is skipped or doubled.
 */
/** Something outside the hub that follows a company's stream (a public page's own feed). */
export interface StreamWatcher {
  companyId: string;
  /** The company's stream moved (or '*': anything may have). */
  wake(): void;
  /** The instance is shutting down. */
  close(): void;
  /** Keep-alive tick. */
  ping?(): void;
}

export class StreamHub {
  private readonly groups = new Map<string, Group>();
  private readonly watchers = new Set<StreamWatcher>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: { warn: (o: object, m: string) => void },
  ) {}

  get size(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.clients.size;
    return n;
  }

  add(companyId: string, role: Role, cursor: number, res: ServerResponse, userId?: string): () => void {
    let group = this.groups.get(companyId);
    if (!group) {
      group = { companyId, clients: new Set(), cursor, pumping: false, again: false };
      this.groups.set(companyId, group);
    }
    // Joining while a shared read is in flight would miss that read's rows (it delivers to the
    // clients live when it started): such a client catches up on its own first.
    const client: Client = { companyId, role, userId, cursor, res, live: cursor >= group.cursor && !group.pumping, catchingUp: false };
    group.clients.add(client);
    if (!client.live) void this.catchUp(group, client);
    void this.pump(group);
    const g = group;
    return () => {
      g.clients.delete(client);
      if (g.clients.size === 0 && this.groups.get(companyId) === g) this.groups.delete(companyId);
    };
  }

  wake(companyId: string | '*') {
    const targets = companyId === '*' ? [...this.groups.values()] : [this.groups.get(companyId)];
    for (const g of targets) if (g) void this.pump(g);
    for (const w of this.watchers) if (companyId === '*' || w.companyId === companyId) w.wake();
  }

  /** Follows a company's wakes until the returned function is called. */
  watch(watcher: StreamWatcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  heartbeat() {
    for (const g of this.groups.values()) for (const c of g.clients) c.res.write(': ping\n\n');
    for (const w of this.watchers) w.ping?.();
  }

  closeAll() {
    // Shutting down: end each stream and its connection, so the server can close.
    for (const g of this.groups.values()) for (const c of g.clients) c.res.end(() => c.res.socket?.destroy());
    this.groups.clear();
    for (const w of [...this.watchers]) w.close();
    this.watchers.clear();
  }

  /** The shared read: everything after the group's cursor, to every live client. */
  private async pump(g: Group): Promise<void> {
    if (g.pumping) {
      g.again = true;
      return;
    }
    g.pumping = true;
    try {
      do {
        g.again = false;
        for (;;) {
          const live = [...g.clients].filter((c) => c.live);
          if (!live.length) {
            // Nobody to serve: jump to the head so a later client does not wait on old reads.
            g.cursor = Math.max(g.cursor, ...[...g.clients].map((c) => c.cursor));
            break;
          }
          const { rows, extras } = await this.read(g.companyId, g.cursor, live);
          for (const c of live) if (c.live) this.deliver(c, rows, extras);
          if (rows.length) g.cursor = rows[rows.length - 1]!.position;
          if (rows.length < BATCH) break;
        }
      } while (g.again && this.groups.get(g.companyId) === g);
    } catch (err) {
      this.log.warn({ err, companyId: g.companyId }, 'stream read failed');
    } finally {
      g.pumping = false;
    }
  }

  /** A client behind the group reads on its own until it has reached it, then goes live. */
  private async catchUp(g: Group, c: Client): Promise<void> {
    if (c.catchingUp) return;
    c.catchingUp = true;
    try {
      for (;;) {
        const { rows, extras } = await this.read(g.companyId, c.cursor, [c]);
        this.deliver(c, rows, extras);
        if (c.res.destroyed) return;
        // Go live only between shared reads: a read in flight delivers to the clients
        // that were live when it started, so joining mid-read could skip its rows.
        if (rows.length < BATCH && c.cursor >= g.cursor && !g.pumping) break;
      }
      c.live = true;
    } catch (err) {
      this.log.warn({ err, companyId: g.companyId }, 'stream catch-up failed');
    } finally {
      c.catchingUp = false;
    }
  }

  private deliver(c: Client, rows: readonly LoggedEvent[], extras: Map<number, ExtraFrame[]>) {
    for (const r of rows) {
      if (r.position <= c.cursor) continue;
      if (c.res.destroyed) return;
      const { id: _, ...frame } = r;
      if (STREAM_AUDIENCE[r.type as EventType]?.includes(c.role)) {
        c.res.write(`event: ${r.type}\nid: ${r.position}\ndata: ${JSON.stringify(frame)}\n\n`);
      }
      for (const x of extras.get(r.position) ?? []) {
        if (x.userId === c.userId) c.res.write(`event: ${x.event}\nid: ${r.position}\ndata: ${JSON.stringify(x.data)}\n\n`);
      }
      c.cursor = r.position;
    }
  }

  private read(companyId: string, after: number, readers: readonly StreamReader[]) {
    return inTransaction(this.db, { kind: 'company', companyId }, async (tx) => {
      const { rows } = await tx.client.query(
        `SELECT id, position, type, created_at, subjects, data FROM events
         WHERE company_id = $1 AND position > $2 ORDER BY position LIMIT ${BATCH}`,
        [companyId, after],
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
      const users = [...new Map(readers.filter((r) => r.userId).map((r) => [r.userId, r])).values()];
      if (events.length && users.length) {
        for (const ext of extensions) {
          for (const x of await ext(tx, companyId, users, events)) extras.set(x.position, [...(extras.get(x.position) ?? []), x]);
        }
      }
      return { rows: events, extras };
    });
  }

  get now(): Date {
    return this.clock.now();
  }
}
