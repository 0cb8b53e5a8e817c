import type { EventLevel, EventType } from '../../platform/events/event-map.ts';
import type { Role } from '../../platform/permissions.ts';

/**
 * Pure rules: which events become notifications, for whom, how urgent, whether they
 * toast, and what they link to. A capability that adds an event type adds its row.
 */
export type Priority = 'low' | 'medium' | 'high' | 'urgent';
export const PRIORITIES: readonly Priority[] = ['low', 'medium', 'high', 'urgent'];

export interface Rule {
  roles: readonly Role[];
  /** Members named by the event itself (the session's cashier, the table's server). */
  users?: (data: Record<string, unknown>) => Array<string | undefined>;
  /** Roles that receive it instead when the event names no member (order_ready without a server: managers). */
  orElse?: readonly Role[];
  priority: Priority;
  toast: boolean;
  /** Only events at this level (system_error: critical). */
  level?: EventLevel;
  link?: (companyId: string, data: Record<string, unknown>) => string | null;
}

const ALL: Role[] = ['owner', 'manager', 'cashier', 'server'];
const MANAGERS: Role[] = ['owner', 'manager'];
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const floor = (c: string) => `/c/${c}/floor`;

export const RULES: Partial<Record<EventType, Rule>> = {
  table_freed: { roles: ALL, priority: 'medium', toast: true, link: floor },
  low_stock: { roles: MANAGERS, priority: 'high', toast: true, link: (c, d) => `/c/${c}/products/${str(d.productId)}` },
  large_sale: { roles: MANAGERS, priority: 'medium', toast: false, link: (c, d) => `/c/${c}/sales/${str(d.saleId)}` },
  refund_pending: { roles: MANAGERS, priority: 'high', toast: true, link: (c, d) => `/c/${c}/sales/${str(d.saleId)}` },
  loss_reported: { roles: MANAGERS, priority: 'high', toast: true, link: (c, d) => `/c/${c}/products/${str(d.productId)}` },
  session_long: { roles: MANAGERS, users: (d) => [str(d.cashierId)], priority: 'medium', toast: false, link: (c) => `/c/${c}/cash-sessions` },
  table_occupied_long: { roles: MANAGERS, users: (d) => [str(d.serverId)], priority: 'low', toast: false, link: floor },
  payment_failed: { roles: MANAGERS, priority: 'high', toast: true, link: (c, d) => `/c/${c}/payments/${str(d.paymentId)}` },
  payment_issue: { roles: MANAGERS, priority: 'high', toast: true, link: (c, d) => (d.paymentId ? `/c/${c}/payments/${str(d.paymentId)}` : null) },
  daily_summary: { roles: MANAGERS, priority: 'low', toast: false, link: (c) => `/c/${c}/dashboard` },
  system_error: { roles: ['owner'], level: 'critical', priority: 'urgent', toast: true, link: (c) => `/c/${c}/dashboard` },
  // A station finished a send: the sale's server (else the managers) goes and serves it.
  order_ready: { roles: [], users: (d) => [str(d.serverId)], orElse: MANAGERS, priority: 'high', toast: true, link: (c, d) => `/c/${c}/sales/${str(d.saleId)}` },
};

export function ruleFor(event: { type: string; level: EventLevel }): Rule | null {
  const rule = RULES[event.type as EventType];
  if (!rule) return null;
  if (rule.level && rule.level !== event.level) return null;
  return rule;
}

/**
 * The members who receive it: those with an audience role, plus members the event names
 * (or, when it names no current member, those with an `orElse` role).
 */
export function audience(rule: Rule, data: Record<string, unknown>, members: ReadonlyArray<{ userId: string; role: Role }>): string[] {
  const named = new Set((rule.users?.(data) ?? []).filter((u): u is string => !!u));
  const roles = rule.orElse && !members.some((m) => named.has(m.userId)) ? [...rule.roles, ...rule.orElse] : rule.roles;
  return [...new Set(members.filter((m) => roles.includes(m.role) || named.has(m.userId)).map((m) => m.userId))];
}

/** Whether it pops up for this reader: the rule says so and the reader has not muted it (urgent always does). */
export function toastsFor(n: { type: string; priority: Priority; toast: boolean }, mutedTypes: readonly string[]): boolean {
  if (!n.toast) return false;
  return n.priority === 'urgent' || !mutedTypes.includes(n.type);
}

/** Urgent types cannot be muted: they are dropped from a preference update. */
export function allowedMutes(types: readonly string[]): string[] {
  return [...new Set(types)].filter((t) => RULES[t as EventType]?.priority !== 'urgent');
}
