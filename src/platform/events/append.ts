import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.ts';
import type { Tx } from '../db/tx.ts';
import type { Actor, EventLevel, EventMap, EventType, Subjects } from './event-map.ts';

export const EVENTS_CHANNEL = 'comptoir_events';

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

async function write(tx: Tx, companyId: string, events: PendingEvent[]) {
  const { rows } = await tx.client.query<{ position: number }>(
    `INSERT INTO event_streams (company_id, position) VALUES ($1, $2)
     ON CONFLICT (company_id) DO UPDATE SET position = event_streams.position + EXCLUDED.position
     RETURNING position`,
    [companyId, events.length],
  );
  const first = Number(rows[0]!.position) - events.length + 1;
  const cols = {
    id: [] as string[], position: [] as number[], type: [] as string[], level: [] as string[],
    subjects: [] as string[], actorType: [] as string[], actorId: [] as (string | null)[],
    ip: [] as (string | null)[], ua: [] as (string | null)[], requestId: [] as (string | null)[],
    duration: [] as (number | null)[], data: [] as string[], createdAt: [] as Date[],
  };
  events.forEach((e, i) => {
    cols.id.push(e.id);
    cols.position.push(first + i);
    cols.type.push(e.type);
    cols.level.push(e.level);
    cols.subjects.push(JSON.stringify(e.subjects));
    cols.actorType.push(e.actor.type);
    cols.actorId.push(e.actor.id ?? null);
    cols.ip.push(e.ip ?? null);
    cols.ua.push(e.userAgent ?? null);
    cols.requestId.push(e.requestId ?? null);
    cols.duration.push(e.durationMs ?? null);
    cols.data.push(JSON.stringify(e.data));
    cols.createdAt.push(e.createdAt);
  });
  await tx.client.query(
    `INSERT INTO events (company_id, id, position, type, level, subjects, actor_type, actor_id, ip, user_agent,
                         request_id, duration_ms, data, created_at)
     SELECT $1, * FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[],
                              $9::inet[], $10::text[], $11::text[], $12::int[], $13::jsonb[], $14::timestamptz[])`,
    [companyId, cols.id, cols.position, cols.type, cols.level, cols.subjects, cols.actorType, cols.actorId,
      cols.ip, cols.ua, cols.requestId, cols.duration, cols.data, cols.createdAt],
  );
  await tx.client.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, companyId]);
}
