import type { Ctx } from '../../platform/context.ts';
import { EVENT_TYPES, type EventLevel, type Subjects } from '../../platform/events/event-map.ts';
import { invalid } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';
import { getCompany } from '../tenancy/index.ts';
import { parseAgent } from './ua.ts';

export const SUBJECT_KEYS = [
  'saleId', 'tableId', 'productId', 'paymentId', 'paymentSessionId', 'clientId', 'userId', 'orderId', 'refundId', 'cashSessionId', 'liveSessionId', 'tokenId',
] as const;
export type SubjectKey = (typeof SUBJECT_KEYS)[number];
export const ACTOR_TYPES = ['user', 'token', 'client', 'provider', 'job', 'system'] as const;
export const LEVELS: readonly EventLevel[] = ['info', 'warning', 'error', 'critical'];

export interface EventFilter {
  types?: string[];
  levels?: EventLevel[];
  subject?: { key: SubjectKey; id: string };
  actorType?: (typeof ACTOR_TYPES)[number];
  actorId?: string;
  from?: Date;
  to?: Date;
}

export interface AuditEvent {
  id: string;
  position: number;
  type: string;
  level: EventLevel;
  at: string;
  subjects: Subjects;
  actor: { type: string; id: string | null; name: string | null };
  ip: string | null;
  userAgent: string | null;
  device: { type: string | null; vendor: string | null; model: string | null };
  browser: { name: string | null; version: string | null };
  os: { name: string | null; version: string | null };
  requestId: string | null;
  durationMs: number | null;
  data: Record<string, unknown>;
}

const SELECT = `
  SELECT e.id, e.position, e.type, e.level, e.created_at, e.subjects, e.actor_type, e.actor_id, host(e.ip) AS ip, e.user_agent,
    e.request_id, e.duration_ms, e.data,
    CASE e.actor_type WHEN 'user' THEN u.name WHEN 'token' THEN t.name END AS actor_name
  FROM events e
  LEFT JOIN users u ON e.actor_type = 'user' AND u.id::text = e.actor_id
  LEFT JOIN api_tokens t ON e.actor_type = 'token' AND t.id::text = e.actor_id AND t.company_id = e.company_id`;

export function toAuditEvent(r: Record<string, any>): AuditEvent {
  const agent = parseAgent(r.user_agent);
  return {
    id: r.id,
    position: Number(r.position),
    type: r.type,
    level: r.level,
    at: r.created_at.toISOString(),
    subjects: r.subjects,
    actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name ?? null },
    ip: r.ip,
    userAgent: r.user_agent,
    ...agent,
    requestId: r.request_id,
    durationMs: r.duration_ms,
    data: r.data,
  };
}

/**
 * The filter as SQL on `events e` (parameters from $first). Subject keys are
 * whitelisted literals, so `subjects->>'paymentId'` matches its expression index.
 */
function whereOf(ctx: Ctx, f: EventFilter, retentionStart: Date, first: number): { sql: string; params: unknown[] } {
  const where = ['e.company_id = $1', `e.created_at >= $${first}`];
  const params: unknown[] = [retentionStart];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${first + params.length - 1}`));
  };
  if (f.types?.length) add((n) => `e.type = ANY(${n}::text[])`, f.types);
  if (f.levels?.length) add((n) => `e.level = ANY(${n}::text[])`, f.levels);
  if (f.subject) {
    if (!SUBJECT_KEYS.includes(f.subject.key)) throw new Error('unknown subject key');
    add((n) => `e.subjects->>'${f.subject!.key}' = ${n}`, f.subject.id);
  }
  if (f.actorType) add((n) => `e.actor_type = ${n}`, f.actorType);
  if (f.actorId) add((n) => `e.actor_id = ${n}`, f.actorId);
  if (f.from) add((n) => `e.created_at >= ${n}`, f.from);
  if (f.to) add((n) => `e.created_at < ${n}`, f.to);
  void ctx;
  return { sql: where.join(' AND '), params };
}

/** Events older than the company's auditRetentionMonths are not shown (whole partitions are dropped later). */
export async function retentionStart(ctx: Ctx): Promise<Date> {
  const { settings } = await getCompany(ctx);
  const d = new Date(ctx.clock.now());
  d.setUTCMonth(d.getUTCMonth() - settings.auditRetentionMonths);
  return d;
}

/** The log, newest first, filtered; keyset pages on position. */
export async function listEvents(ctx: Ctx, f: EventFilter, page: { limit: number; cursor?: string }) {
  const after = decodeCursor(page.cursor, 1) as [number] | null;
  // A well-formed cursor holding something else than a position is as invalid as a garbled one (not a 500).
  if (after && !Number.isSafeInteger(after[0])) throw invalid('cursor', 'invalid_format');
  const w = whereOf(ctx, f, await retentionStart(ctx), 2);
  const params: unknown[] = [ctx.companyId, ...w.params];
  let sql = `${SELECT} WHERE ${w.sql}`;
  if (after) {
    params.push(after[0]);
    sql += ` AND e.position < $${params.length}`;
  }
  params.push(page.limit + 1);
  const { rows } = await ctx.tx.client.query(`${sql} ORDER BY e.position DESC LIMIT $${params.length}`, params);
  const more = rows.length > page.limit;
  const items = (more ? rows.slice(0, page.limit) : rows).map(toAuditEvent);
  return { items, nextCursor: more ? encodeCursor([items[items.length - 1]!.position]) : null };
}

/** One batch of the export, oldest first after a position (the CSV is streamed batch by batch). */
export async function eventsBatch(ctx: Ctx, f: EventFilter, afterPosition: number, size: number): Promise<AuditEvent[]> {
  const w = whereOf(ctx, f, await retentionStart(ctx), 2);
  const params: unknown[] = [ctx.companyId, ...w.params, afterPosition, size];
  const { rows } = await ctx.tx.client.query(
    `${SELECT} WHERE ${w.sql} AND e.position > $${params.length - 1} ORDER BY e.position LIMIT $${params.length}`,
    params,
  );
  return rows.map(toAuditEvent);
}

export const CSV_HEADER = ['at', 'position', 'type', 'level', 'actor_type', 'actor_id', 'subjects', 'ip', 'device', 'browser', 'os', 'duration_ms', 'request_id', 'data'];

/** One CSV cell: quoted when needed; a leading = + - @ is neutralised (spreadsheet formula injection). */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(e: AuditEvent): string {
  const join = (...parts: Array<string | null>) => parts.filter(Boolean).join(' ');
  return [
    e.at, e.position, e.type, e.level, e.actor.type, e.actor.id, e.subjects, e.ip,
    join(e.device.type, e.device.vendor, e.device.model), join(e.browser.name, e.browser.version), join(e.os.name, e.os.version),
    e.durationMs, e.requestId, e.data,
  ].map(csvCell).join(',');
}

/** Everything that names one of these subjects, oldest first (a payment's or a session's whole story). */
export async function trailOf(ctx: Ctx, subjects: { paymentIds: string[]; paymentSessionId?: string | null; saleId?: string | null }): Promise<AuditEvent[]> {
  const { rows } = await ctx.tx.client.query(
    `${SELECT} WHERE e.company_id = $1 AND e.created_at >= $5 AND (e.subjects->>'paymentId' = ANY($2::text[]) OR e.subjects->>'paymentSessionId' = $3 OR e.subjects->>'saleId' = $4)
     ORDER BY e.position`,
    [ctx.companyId, subjects.paymentIds, subjects.paymentSessionId ?? null, subjects.saleId ?? null, await retentionStart(ctx)],
  );
  return rows.map(toAuditEvent);
}

export const KNOWN_TYPES = EVENT_TYPES;
