import type { TFunction } from 'i18next';
import type { ActivityItem } from './insights.ts';
import { formatMoney } from './money.ts';
import type { StreamFrame } from './streamEvents.ts';

/** The event types of the activity feed (GET /activity answers only these). */
export const ACTIVITY_TYPES = [
  'sale_opened',
  'sale_paid',
  'payment_confirmed',
  'payment_issue',
  'order_created',
  'live_started',
  'live_ended',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

type Data = Record<string, unknown>;

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Copies the listed keys the event had (as the server does: only undefined is left out). */
function pick(data: Data, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (data[key] !== undefined) out[key] = data[key];
  return out;
}

/** Params of each type, as the server builds them (contract: activity feed). */
const PARAMS: Record<ActivityType, readonly string[]> = {
  sale_opened: ['reference', 'channel'],
  sale_paid: ['reference', 'amount', 'currency'],
  payment_confirmed: ['method', 'amount', 'currency'],
  payment_issue: ['issue', 'received', 'due', 'currency'],
  order_created: ['channel', 'amount', 'currency'],
  live_started: [],
  live_ended: ['orderCount', 'revenue', 'currency'],
};

/** What an item is about: the first subject the event names, in this order (as the server). */
const SUBJECT_ORDER = [
  ['saleId', 'sale'],
  ['paymentId', 'payment'],
  ['orderId', 'order'],
  ['liveSessionId', 'live_session'],
  ['paymentSessionId', 'payment_session'],
] as const;

const isActivityType = (type: string): type is ActivityType => (ACTIVITY_TYPES as readonly string[]).includes(type);

/**
 * A company-stream frame as an activity item, with the same rule as GET /activity
 * (titleCode `activity.<type>`, the type's params): the feed prepends it live.
 * Null for a frame that is not an activity event or has no stream position.
 */
export function activityFromFrame(frame: StreamFrame): ActivityItem | null {
  if (!isActivityType(frame.type) || frame.position === null) return null;
  const data = (frame.data && typeof frame.data === 'object' ? frame.data : {}) as Data;
  const subject = SUBJECT_ORDER.find(([key]) => isString(frame.subjects[key]));
  return {
    id: `stream-${frame.position}`,
    position: frame.position,
    type: frame.type,
    titleCode: `activity.${frame.type}`,
    params: pick(data, PARAMS[frame.type]),
    subject: subject ? { type: subject[1], id: frame.subjects[subject[0]] as string } : null,
    at: frame.at,
  };
}

/** Fetched items and live ones in one list: newest first, each position once, at most `max`. */
export function mergeActivity(live: ActivityItem[], fetched: ActivityItem[], max: number): ActivityItem[] {
  const seen = new Set<number>();
  const out: ActivityItem[] = [];
  for (const item of [...live, ...fetched].sort((a, b) => b.position - a.position)) {
    if (seen.has(item.position)) continue;
    seen.add(item.position);
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * The sentence of an item in the current language: money formatted, channel, method
 * and issue translated; `payment_issue` with amounts, `order_created` with an amount
 * and `live_ended` (plural on the order count) pick their variant.
 */
export function activityText(item: ActivityItem, t: TFunction, locale: string): string {
  const p = item.params ?? {};
  const currency = isString(p.currency) ? p.currency : undefined;
  const money = (v: unknown) => (isNumber(v) && currency ? formatMoney(v, currency, locale) : isNumber(v) ? String(v) : '');
  const replace: Record<string, unknown> = { ...p };
  for (const key of ['amount', 'received', 'due', 'revenue']) if (key in p) replace[key] = money(p[key]);
  if (isString(p.channel)) replace.channel = t(`sales.channels.${p.channel}`, { defaultValue: p.channel });
  if (isString(p.method)) replace.method = t(`sales.methods.${p.method}`, { defaultValue: p.method });
  if (isString(p.issue)) replace.issue = t(`payments.issues.${p.issue}`, { defaultValue: p.issue });
  if (!isString(p.reference)) replace.reference = '';
  let context: string | undefined;
  if (item.type === 'payment_issue' && isNumber(p.received) && isNumber(p.due)) context = 'amounts';
  if (item.type === 'order_created' && isNumber(p.amount)) context = 'amount';
  const count = item.type === 'live_ended' && isNumber(p.orderCount) ? p.orderCount : undefined;
  // Interpolation reads `replace` only: the plural's count goes there too.
  if (count !== undefined) replace.count = count;
  const code = item.titleCode || `activity.${item.type}`;
  // `replace` keeps server params from being read as i18next options.
  return t(code, { replace, context, count, defaultValue: t(`events.${item.type}`, { defaultValue: item.type }) });
}
