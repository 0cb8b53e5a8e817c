import type { Role } from '../permissions.ts';

/**
 * Every event type of every capability, with its payload and the roles that may see
 * it on the live stream. The event log, the activity feed, notifications and the
 * dashboard all read these names.
 */
type Money = { amount: number; currency: string };

export interface EventMap {
  // platform
  company_created: { name: string };
  company_updated: { fields: string[] };
  member_added: { userId: string; role: Role };
  member_role_changed: { userId: string; from: Role; to: Role };
  member_removed: { userId: string; role: Role };
  token_created: { tokenId: string; name: string; role: Role };
  token_revoked: { tokenId: string };
  member_pin_changed: { userId: string; cleared: boolean };
  // shared tills (till mode): the actor of till_switched is the member who typed their PIN
  till_enabled: { tillId: string; label: string };
  till_disabled: { tillId: string; label: string };
  till_switched: { tillId: string; label: string; userId: string; previousUserId?: string };
  till_locked_out: { tillId: string; label: string; failures: number };
  // floor and sales
  sale_opened: { saleId: string; reference?: string; tableId?: string; channel: string };
  table_occupied: {
    tableId: string;
    saleId: string;
    label?: string;
    areaId?: string;
    reference?: string;
    customerName?: string | null;
    serverId?: string | null;
    serverName?: string | null;
    since?: string;
  };
  table_freed: {
    tableId: string;
    label?: string;
    saleId?: string;
    occupiedMinutes?: number;
    areaId?: string;
    serverId?: string;
    reference?: string;
    customerName?: string;
    total?: number;
    reason?: 'paid' | 'cancelled' | 'transferred' | 'merged';
    freedAt?: string;
  };
  sale_paid: { saleId: string; reference?: string } & Money;
  sale_cancelled: { saleId: string; reference?: string; reason?: string };
  sale_updated: { saleId: string; tableId?: string; total: number; itemCount: number };
  large_sale: { saleId: string; reference?: string } & Money;
  refund_pending: { refundId: string; saleId: string } & Money;
  refund_completed: { refundId: string; saleId: string } & Money;
  /** amount: minor units off (value: minor units or basis points by kind); approvedBy: the manager's user id, above the limit. */
  discount_applied: { saleId: string; itemId?: string; kind: 'amount' | 'percent'; value: number; reason: string; approvedBy?: string } & Money;
  session_long: { cashSessionId: string; openHours: number; cashierId?: string };
  table_occupied_long: { tableId: string; minutes: number; label?: string; areaId?: string; serverId?: string };
  sale_item_removed: { saleId: string; itemId: string; productId?: string; name: string; quantity: number };
  // kitchen and bar stations
  ticket_sent: { ticketId: string; sendId: string; saleId: string; reference?: string; tableLabel?: string; station: string; kind: 'order' | 'cancel'; lineCount: number };
  ticket_ready: { ticketId: string; sendId: string; saleId: string; reference?: string; station: string };
  order_ready: { saleId: string; reference?: string; tableLabel?: string; station: string; ticketId: string; sendId: string; serverId?: string };
  // catalog and holds
  hold_placed: { holdId: string; productId: string; quantity: number; owner: string };
  hold_released: { holdId: string; productId: string; quantity: number };
  hold_expired: { holdId: string; productId: string; quantity: number };
  low_stock: { productId: string; name: string; available: number; threshold: number };
  loss_reported: { productId: string; quantity: number; reason: string; name?: string };
  // payments
  qr_scanned: { paymentSessionId: string };
  client_identified: { paymentSessionId: string; clientId: string; returning: boolean };
  service_selected: { paymentSessionId: string; serviceId: string };
  payment_initiated: { paymentId: string; method: string } & Money;
  payment_confirmed: { paymentId: string; method: string } & Money;
  payment_failed: { paymentId: string; method: string; reason?: string };
  payment_issue: { paymentId?: string; issue: string; received?: number; due?: number; currency?: string };
  payment_refunded: { paymentId: string; reason: string } & Money;
  webhook_received: { provider: string; eventType: string; providerEventId: string; duplicate?: boolean; paymentId?: string };
  webhook_rejected: { provider: string; reason: string };
  receipt_sent: { receiptId: string; channel: 'email' | 'sms'; to: string; attempt: number };
  receipt_failed: { receiptId: string; channel: 'email' | 'sms'; reason: string; attempt: number; final: boolean };
  session_abandoned: { paymentSessionId: string };
  session_expired: { paymentSessionId: string };
  // insights
  order_created: { orderId: string; channel: string } & Partial<Money>;
  live_started: { liveSessionId: string; title?: string };
  live_order_updated: { orderId: string; status: string; completionRate: number };
  live_ended: { liveSessionId: string; orderCount: number; revenue: number; currency: string };
  daily_summary: { date: string } & Record<string, unknown>;
  system_error: { message: string; requestId?: string; route?: string; method?: string };
  // notifications: a user's read state changed (their streams send a fresh count)
  notification_state_changed: { userId: string };
}

export type EventType = keyof EventMap;

const ALL: Role[] = ['owner', 'manager', 'cashier', 'server'];
const MANAGERS: Role[] = ['owner', 'manager'];
const TILL: Role[] = ['owner', 'manager', 'cashier'];

/** Which roles receive each event type on the stream. */
export const STREAM_AUDIENCE: Record<EventType, readonly Role[]> = {
  company_created: MANAGERS,
  company_updated: MANAGERS,
  member_added: MANAGERS,
  member_role_changed: MANAGERS,
  member_removed: MANAGERS,
  token_created: ['owner'],
  token_revoked: ['owner'],
  member_pin_changed: MANAGERS,
  till_enabled: MANAGERS,
  till_disabled: MANAGERS,
  till_switched: MANAGERS,
  till_locked_out: MANAGERS,
  sale_opened: ALL,
  table_occupied: ALL,
  table_freed: ALL,
  sale_paid: ALL,
  sale_cancelled: ALL,
  sale_updated: ALL,
  large_sale: MANAGERS,
  refund_pending: TILL,
  refund_completed: TILL,
  discount_applied: ALL,
  session_long: TILL,
  table_occupied_long: ['owner', 'manager', 'server'],
  // Kitchen and bar staff are cashiers or servers: every role follows the stations.
  sale_item_removed: ALL,
  ticket_sent: ALL,
  ticket_ready: ALL,
  order_ready: ALL,
  hold_placed: ALL,
  hold_released: ALL,
  hold_expired: ALL,
  low_stock: TILL,
  loss_reported: MANAGERS,
  qr_scanned: TILL,
  client_identified: TILL,
  service_selected: TILL,
  payment_initiated: TILL,
  payment_confirmed: TILL,
  payment_failed: TILL,
  payment_issue: MANAGERS,
  payment_refunded: TILL,
  webhook_received: MANAGERS,
  webhook_rejected: MANAGERS,
  receipt_sent: TILL,
  receipt_failed: TILL,
  session_abandoned: TILL,
  session_expired: TILL,
  order_created: ALL,
  live_started: TILL,
  live_order_updated: TILL,
  live_ended: TILL,
  daily_summary: MANAGERS,
  system_error: MANAGERS,
  notification_state_changed: [],
};

export const EVENT_TYPES = Object.keys(STREAM_AUDIENCE) as EventType[];

export type EventLevel = 'info' | 'warning' | 'error' | 'critical';

export type Actor =
  | { type: 'user'; id: string }
  | { type: 'token'; id: string }
  | { type: 'client'; id?: string }
  | { type: 'provider'; id: string }
  | { type: 'job'; id: string }
  | { type: 'system'; id?: string };

/** Ids of what an event is about: sale, table, product, payment, session, client… */
export type Subjects = Partial<
  Record<
    'saleId' | 'tableId' | 'productId' | 'paymentId' | 'paymentSessionId' | 'clientId' | 'userId' | 'orderId' | 'refundId' | 'cashSessionId' | 'liveSessionId' | 'tokenId',
    string
  >
>;
