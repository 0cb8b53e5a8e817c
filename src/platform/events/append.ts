import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.ts';
import type { Tx } from '../db/tx.ts';
import type { Actor, EventLevel, EventMap, EventType, Subjects } from './event-map.ts';

export { NOTIFY_CHANNEL as EVENTS_CHANNEL } from '../db/tx.ts';

export interface PendingEvent {
  id: string;
  companyId: string;
  type: EventType;
  level: EventLevel;
  subjects: Subjects;
  actor: Actor;
  ip?: string;
  userAgent?: string;
  requestId?: string;
  durationMs?: number;
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface AppendOptions {
  level?: EventLevel;
  subjects?: Subjects;
  durationMs?: number;
}

/**
 * Something that derives more state from events inside the same transaction
 * (notifications, for instance). It may append further events.
 */
export type EventListener = (ctx: Ctx, events: readonly PendingEvent[]) => Promise<void>;
const listeners: EventListener[] = [];

/** Modules register their in-transaction listeners explicitly from their index.ts. */
export function onEvents(listener: EventListener): void {
  if (!listeners.includes(listener)) listeners.push(listener);
}

/**
 * Appends an event to the log in the command's transaction. Rows are written just
 * before COMMIT, with positions from the company's counter row, so stream positions
 * follow commit order; one NOTIFY (delivered at commit) wakes every instance.
 */
export function append<T extends EventType>(ctx: Ctx, type: T, data: EventMap[T], opts: AppendOptions = {}): string {
  const event: PendingEvent = {
    id: randomUUID(),
    companyId: ctx.companyId,
    type,
    level: opts.level ?? 'info',
    subjects: opts.subjects ?? {},
    actor: ctx.actor,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
    durationMs: opts.durationMs,
    data: data as Record<string, unknown>,
    createdAt: ctx.clock.now(),
  };
  const pending = ctx.tx.pendingEvents as PendingEvent[];
  if (pending.length === 0 && !(ctx.tx as FlushMarked).flushRegistered) {
    (ctx.tx as FlushMarked).flushRegistered = true;
    ctx.tx.beforeCommit.push(() => flush(ctx));
  }
  pending.push(event);
  return event.id;
}

type FlushMarked = Tx & { flushRegistered?: boolean };

async function flush(ctx: Ctx): Promise<void> {
  const pending = ctx.tx.pendingEvents as PendingEvent[];
  // Listeners see each batch once and may append more; loop until quiet.
  let seen = 0;
  while (seen < pending.length) {
    const batch = pending.slice(seen);
    seen = pending.length;
    for (const listener of listeners) await listener(ctx, batch);
  }
  const byCompany = new Map<string, PendingEvent[]>();
  for (const e of pending) byCompany.set(e.companyId, [...(byCompany.get(e.companyId) ?? []), e]);
  for (const [companyId, events] of byCompany) await write(ctx.tx, companyId, events);
  pending.length = 0;
}

/**
 * One statement: takes n positions from the company's counter row (its lock is held
 * until commit, so positions follow commit order) and inserts the events. The
 * NOTIFY goes out with COMMIT.
 */
async function write(tx: Tx, companyId: string, events: PendingEvent[]) {
  const col = <T>(f: (e: PendingEvent) => T) => events.map(f);
  await tx.client.query(
    `WITH c AS (
       INSERT INTO event_streams (company_id, position) VALUES ($1, $2)
       ON CONFLICT (company_id) DO UPDATE SET position = event_streams.position + EXCLUDED.position
       RETURNING position
     )
     INSERT INTO events (company_id, id, position, type, level, subjects, actor_type, actor_id, ip, user_agent,
                         request_id, duration_ms, data, created_at)
     SELECT $1, u.id, c.position - $2 + u.ord, u.type, u.level, u.subjects, u.actor_type, u.actor_id, u.ip, u.ua,
            u.request_id, u.duration_ms, u.data, u.created_at
     FROM c, unnest($3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::inet[], $10::text[],
                    $11::text[], $12::int[], $13::jsonb[], $14::timestamptz[])
          WITH ORDINALITY AS u(id, type, level, subjects, actor_type, actor_id, ip, ua, request_id, duration_ms, data, created_at, ord)`,
    [companyId, events.length, col((e) => e.id), col((e) => e.type), col((e) => e.level), col((e) => JSON.stringify(e.subjects)),
      col((e) => e.actor.type), col((e) => e.actor.id ?? null), col((e) => e.ip ?? null), col((e) => e.userAgent ?? null),
      col((e) => e.requestId ?? null), col((e) => e.durationMs ?? null), col((e) => JSON.stringify(e.data)), col((e) => e.createdAt)],
  );
  tx.notify.add(companyId);
}
