import type { Tx } from '../../platform/db/tx.ts';
import { notFound } from '../../platform/errors.ts';
import type { ExtraFrame, LoggedEvent, StreamReader } from '../../platform/events/stream.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';
import { type Priority, PRIORITIES, RULES, toastsFor } from './rules.ts';

export interface Notification {
  id: string;
  type: string;
  priority: Priority;
  title: { code: string; params: Record<string, unknown> };
  message: { code: string; params: Record<string, unknown> };
  link: string | null;
  data: Record<string, unknown>;
  toast: boolean;
  createdAt: string;
  readAt: string | null;
  archivedAt: string | null;
}

const COLUMNS = `n.id, n.type, n.priority, n.params, n.link, n.data, n.toast, n.created_at, r.read_at, r.archived_at`;

// biome-ignore lint/suspicious/noExplicitAny: a raw pg row
function toNotification(r: Record<string, any>): Notification {
  return {
    id: r.id,
    type: r.type,
    priority: r.priority,
    title: { code: `notifications.${r.type}.title`, params: r.params },
    message: { code: `notifications.${r.type}.message`, params: r.params },
    link: r.link,
    data: r.data,
    toast: r.toast,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
    archivedAt: r.archived_at?.toISOString() ?? null,
  };
}

type Q = { client: Tx['client'] };

export async function getNotification(tx: Q, companyId: string, userId: string, id: string): Promise<Notification> {
  const { rows } = await tx.client.query(
    `SELECT ${COLUMNS} FROM notification_recipients r JOIN notifications n ON n.company_id = r.company_id AND n.id = r.notification_id
     WHERE r.company_id = $1 AND r.user_id = $2 AND r.notification_id = $3`,
    [companyId, userId, id],
  );
  if (!rows[0]) throw notFound('notification.not_found');
  return toNotification(rows[0]);
}

export interface NotificationFilter {
  type?: string;
  unread?: boolean;
  priority?: Priority;
  since?: string;
  archived?: boolean;
  areaId?: string;
  serverId?: string;
  limit: number;
  cursor?: string;
}

/** The caller's notifications, newest first; the keyset cursor keeps pages stable while new ones arrive. */
export async function listNotifications(tx: Q, companyId: string, userId: string, f: NotificationFilter): Promise<Page<Notification>> {
  const after = decodeCursor(f.cursor, 2) as [string, string] | null;
  const { rows } = await tx.client.query(
    `SELECT ${COLUMNS} FROM notification_recipients r JOIN notifications n ON n.company_id = r.company_id AND n.id = r.notification_id
     WHERE r.company_id = $1 AND r.user_id = $2
       AND ($3::text IS NULL OR r.type = $3)
       AND ($4::bool IS NULL OR (r.read_at IS NULL) = $4)
       AND ($5::text IS NULL OR r.priority = $5)
       AND ($6::timestamptz IS NULL OR r.created_at >= $6)
       AND (CASE WHEN $7 THEN r.archived_at IS NOT NULL ELSE r.archived_at IS NULL END)
       AND ($8::uuid IS NULL OR r.area_id = $8)
       AND ($9::uuid IS NULL OR r.server_id = $9)
       AND ($10::timestamptz IS NULL OR (r.created_at, r.notification_id) < ($10::timestamptz, $11::uuid))
     ORDER BY r.created_at DESC, r.notification_id DESC LIMIT $12`,
    [companyId, userId, f.type ?? null, f.unread ?? null, f.priority ?? null, f.since ?? null, f.archived ?? false, f.areaId ?? null,
      f.serverId ?? null, after?.[0] ?? null, after?.[1] ?? null, f.limit + 1],
  );
  return pageOf(rows, f.limit, toNotification, (r) => [r.created_at.toISOString(), r.id]);
}

export interface Count {
  unread: number;
  byPriority: Record<Priority, number>;
}

/** Unread, not archived, by priority: served by the partial index notification_recipients_unread. */
export async function countUnread(tx: Q, companyId: string, userId: string): Promise<Count> {
  const { rows } = await tx.client.query(
    `SELECT priority, count(*)::int AS n FROM notification_recipients
     WHERE company_id = $1 AND user_id = $2 AND read_at IS NULL AND archived_at IS NULL GROUP BY priority`,
    [companyId, userId],
  );
  const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  for (const r of rows) byPriority[r.priority as Priority] = r.n;
  return { unread: rows.reduce((a, r) => a + r.n, 0), byPriority };
}

const MOVES_COUNT = new Set<string>(['notification_state_changed', ...Object.keys(RULES)]);

/** Unread counts of many users at once (one indexed GROUP BY). */
async function countsOf(tx: Q, companyId: string, userIds: readonly string[]): Promise<Map<string, Count>> {
  const { rows } = await tx.client.query(
    `SELECT user_id, priority, count(*)::int AS n FROM notification_recipients
     WHERE company_id = $1 AND user_id = ANY($2::uuid[]) AND read_at IS NULL AND archived_at IS NULL
     GROUP BY user_id, priority`,
    [companyId, userIds],
  );
  const out = new Map<string, Count>();
  for (const u of userIds) out.set(u, { unread: 0, byPriority: Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number> });
  for (const r of rows) {
    const c = out.get(r.user_id)!;
    c.byPriority[r.priority as Priority] = r.n;
    c.unread += r.n;
  }
  return out;
}

/**
 * Per-user frames for a batch of events, for every connected reader at once: each
 * notification addressed to them (toast off if they muted its type), then their
 * fresh unread count. Three queries whatever the number of readers.
 */
export async function notificationFrames(
  tx: Tx,
  companyId: string,
  readers: readonly StreamReader[],
  events: readonly LoggedEvent[],
): Promise<ExtraFrame[]> {
  if (!events.some((e) => MOVES_COUNT.has(e.type))) return [];
  const userIds = readers.map((r) => r.userId!).filter(Boolean);
  const position = new Map(events.map((e) => [e.id, e.position]));
  const { rows } = await tx.client.query(
    `SELECT ${COLUMNS}, n.source_event_id, r.user_id, coalesce(p.muted_types, '{}') AS muted
     FROM notifications n
     JOIN notification_recipients r ON r.company_id = n.company_id AND r.notification_id = n.id AND r.user_id = ANY($2::uuid[])
     LEFT JOIN notification_preferences p ON p.company_id = r.company_id AND p.user_id = r.user_id
     WHERE n.company_id = $1 AND n.source_event_id = ANY($3::uuid[])`,
    [companyId, userIds, events.map((e) => e.id)],
  );
  const frames: ExtraFrame[] = rows.map((r) => {
    const n = toNotification(r);
    return { position: position.get(r.source_event_id)!, event: 'notification', userId: r.user_id, data: { ...n, toast: toastsFor(n, r.muted) } };
  });
  // Each affected user gets one count, after the last event that moved it.
  const last = new Map<string, number>();
  for (const f of frames) last.set(f.userId, Math.max(last.get(f.userId) ?? 0, f.position));
  for (const e of events) {
    const u = e.type === 'notification_state_changed' ? (e.data.userId as string) : undefined;
    if (u && userIds.includes(u)) last.set(u, Math.max(last.get(u) ?? 0, e.position));
  }
  if (!last.size) return frames;
  const counts = await countsOf(tx, companyId, [...last.keys()]);
  for (const [userId, pos] of last) frames.push({ position: pos, event: 'notification_count', userId, data: counts.get(userId) });
  return frames;
}
