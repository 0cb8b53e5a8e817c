import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { notFound } from '../../platform/errors.ts';
import { append, type PendingEvent } from '../../platform/events/append.ts';
import type { Role } from '../../platform/permissions.ts';
import { allowedMutes, audience, ruleFor } from './rules.ts';

/**
 * In the transaction that appends the events: each event with a rule becomes one
 * notification and one recipient row per member of its audience, resolved now.
 */
export async function notifyFromEvents(ctx: Ctx, events: readonly PendingEvent[]): Promise<void> {
  const matched = events.flatMap((e) => {
    const rule = ruleFor(e);
    return rule ? [{ e, rule }] : [];
  });
  if (!matched.length) return;
  const { rows: members } = await ctx.tx.client.query<{ userId: string; role: Role }>(
    'SELECT user_id AS "userId", role FROM memberships WHERE company_id = $1',
    [ctx.companyId],
  );
  const n = { id: [] as string[], type: [] as string[], priority: [] as string[], params: [] as string[], link: [] as (string | null)[],
    toast: [] as boolean[], source: [] as string[], at: [] as Date[] };
  const r = { nid: [] as string[], user: [] as string[], type: [] as string[], priority: [] as string[], area: [] as (string | null)[],
    server: [] as (string | null)[], at: [] as Date[] };
  for (const { e, rule } of matched) {
    const users = audience(rule, e.data, members);
    if (!users.length) continue;
    const id = randomUUID();
    n.id.push(id);
    n.type.push(e.type);
    n.priority.push(rule.priority);
    n.params.push(JSON.stringify(e.data));
    n.link.push(rule.link?.(ctx.companyId, e.data) ?? null);
    n.toast.push(rule.toast);
    n.source.push(e.id);
    n.at.push(e.createdAt);
    const area = typeof e.data.areaId === 'string' ? e.data.areaId : null;
    const server = typeof e.data.serverId === 'string' ? e.data.serverId : null;
    for (const u of users) {
      r.nid.push(id);
      r.user.push(u);
      r.type.push(e.type);
      r.priority.push(rule.priority);
      r.area.push(area);
      r.server.push(server);
      r.at.push(e.createdAt);
    }
  }
  if (!n.id.length) return;
  await ctx.tx.client.query(
    `WITH n AS (
       INSERT INTO notifications (company_id, id, type, priority, params, link, data, toast, source_event_id, created_at)
       SELECT $1, id, type, priority, params, link, params, toast, source, at
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::bool[], $8::uuid[], $9::timestamptz[])
            AS u(id, type, priority, params, link, toast, source, at)
       RETURNING id
     )
     INSERT INTO notification_recipients (company_id, notification_id, user_id, type, priority, area_id, server_id, created_at)
     SELECT $1, u.nid, u.uid, u.type, u.priority, u.area, u.server, u.at
     FROM unnest($10::uuid[], $11::uuid[], $12::text[], $13::text[], $14::uuid[], $15::uuid[], $16::timestamptz[])
          AS u(nid, uid, type, priority, area, server, at)
     WHERE u.nid IN (SELECT id FROM n)`,
    [ctx.companyId, n.id, n.type, n.priority, n.params, n.link, n.toast, n.source, n.at, r.nid, r.user, r.type, r.priority, r.area, r.server, r.at],
  );
}

/** Tells every open stream of the user that their unread count moved. */
function changed(ctx: Ctx, userId: string) {
  append(ctx, 'notification_state_changed', { userId }, { subjects: { userId } });
}

/** Marks one of the caller's notifications read or unread. */
export async function setRead(ctx: Ctx, userId: string, id: string, read: boolean): Promise<void> {
  const { rowCount } = await ctx.tx.client.query(
    `UPDATE notification_recipients SET read_at = CASE WHEN $4 THEN coalesce(read_at, $5) ELSE NULL END
     WHERE company_id = $1 AND user_id = $2 AND notification_id = $3`,
    [ctx.companyId, userId, id, read, ctx.clock.now()],
  );
  if (!rowCount) throw notFound('notification.not_found');
  changed(ctx, userId);
}

export async function archive(ctx: Ctx, userId: string, id: string): Promise<void> {
  const { rowCount } = await ctx.tx.client.query(
    `UPDATE notification_recipients SET archived_at = coalesce(archived_at, $4)
     WHERE company_id = $1 AND user_id = $2 AND notification_id = $3`,
    [ctx.companyId, userId, id, ctx.clock.now()],
  );
  if (!rowCount) throw notFound('notification.not_found');
  changed(ctx, userId);
}

/** Marks all the caller's unread notifications (optionally of one type) read. */
export async function readAll(ctx: Ctx, userId: string, type?: string): Promise<number> {
  const { rowCount } = await ctx.tx.client.query(
    `UPDATE notification_recipients SET read_at = $4
     WHERE company_id = $1 AND user_id = $2 AND read_at IS NULL AND ($3::text IS NULL OR type = $3)`,
    [ctx.companyId, userId, type ?? null, ctx.clock.now()],
  );
  if (rowCount) changed(ctx, userId);
  return rowCount ?? 0;
}

export interface Preferences {
  mutedTypes: string[];
  sound: boolean;
  emailDailySummary: boolean;
}

export const DEFAULT_PREFERENCES: Preferences = { mutedTypes: [], sound: true, emailDailySummary: false };

export async function getPreferences(tx: Pick<Tx, 'client'>, companyId: string, userId: string): Promise<Preferences> {
  const { rows } = await tx.client.query(
    'SELECT muted_types, sound, email_daily_summary FROM notification_preferences WHERE company_id = $1 AND user_id = $2',
    [companyId, userId],
  );
  const p = rows[0];
  return p ? { mutedTypes: p.muted_types, sound: p.sound, emailDailySummary: p.email_daily_summary } : { ...DEFAULT_PREFERENCES };
}

/** Saves the caller's preferences; urgent types are never muted. */
export async function setPreferences(ctx: Ctx, userId: string, prefs: Preferences): Promise<Preferences> {
  const muted = allowedMutes(prefs.mutedTypes);
  await ctx.tx.client.query(
    `INSERT INTO notification_preferences (company_id, user_id, muted_types, sound, email_daily_summary, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (company_id, user_id) DO UPDATE SET muted_types = EXCLUDED.muted_types, sound = EXCLUDED.sound,
       email_daily_summary = EXCLUDED.email_daily_summary, updated_at = EXCLUDED.updated_at`,
    [ctx.companyId, userId, muted, prefs.sound, prefs.emailDailySummary, ctx.clock.now()],
  );
  return { mutedTypes: muted, sound: prefs.sound, emailDailySummary: prefs.emailDailySummary };
}
