import type { Ctx } from '../../platform/context.ts';
import { STREAM_AUDIENCE } from '../../platform/events/event-map.ts';

/** The business events the activity feed shows (the web app maps live stream frames the same way). */
export const ACTIVITY_TYPES = ['sale_opened', 'sale_paid', 'payment_confirmed', 'payment_issue', 'order_created', 'live_started', 'live_ended'] as const;

const PARAMS: Record<(typeof ACTIVITY_TYPES)[number], readonly string[]> = {
  sale_opened: ['reference', 'channel'],
  sale_paid: ['reference', 'amount', 'currency'],
  payment_confirmed: ['method', 'amount', 'currency'],
  payment_issue: ['issue', 'received', 'due', 'currency'],
  order_created: ['channel', 'amount', 'currency'],
  live_started: [],
  live_ended: ['orderCount', 'revenue', 'currency'],
};

const SUBJECT_ORDER = ['saleId', 'paymentId', 'orderId', 'liveSessionId', 'paymentSessionId'] as const;
const SUBJECT_TYPE: Record<(typeof SUBJECT_ORDER)[number], string> = { saleId: 'sale', paymentId: 'payment', orderId: 'order', liveSessionId: 'live_session', paymentSessionId: 'payment_session' };

/** An event as a feed item: a title code and its params, and what it is about. */
export function feedItem(e: { id: string; position: number; type: string; subjects: Record<string, string>; data: Record<string, unknown>; at: string }) {
  const keys = PARAMS[e.type as keyof typeof PARAMS] ?? [];
  const params = Object.fromEntries(keys.filter((k) => e.data[k] !== undefined).map((k) => [k, e.data[k]]));
  const key = SUBJECT_ORDER.find((k) => e.subjects[k]);
  return { id: e.id, position: e.position, type: e.type, titleCode: `activity.${e.type}`, params, subject: key ? { type: SUBJECT_TYPE[key], id: e.subjects[key]! } : null, at: e.at };
}

/**
 * GET …/activity: the latest business events, newest first — only the types the
 * caller's role receives on the company stream, so the feed and its live updates
 * agree (a server is not shown payment issues it would never get live).
 */
export async function activity(ctx: Ctx, limit: number) {
  const role = ctx.role;
  const types = role ? ACTIVITY_TYPES.filter((t) => STREAM_AUDIENCE[t].includes(role)) : ACTIVITY_TYPES;
  const { rows } = await ctx.tx.client.query(
    `SELECT id, position, type, subjects, data, created_at FROM events WHERE company_id = $1 AND type = ANY($2::text[]) ORDER BY position DESC LIMIT $3`,
    [ctx.companyId, types, limit],
  );
  return { items: rows.map((r) => feedItem({ id: r.id, position: Number(r.position), type: r.type, subjects: r.subjects, data: r.data, at: r.created_at.toISOString() })) };
}
