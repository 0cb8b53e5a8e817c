/**
 * Event types the live stream may send. EventSource has no wildcard listener for
 * named events (`event: <type>`), so the stream hook listens to every type listed
 * here, plus any type a page subscribes to (see LiveStreamProvider). Mirrors
 * EVENT_TYPES in src/platform/events/event-map.ts; add new types to both.
 */
export const EVENT_TYPES: readonly string[] = [
  // platform
  'company_created',
  'company_updated',
  'member_added',
  'member_role_changed',
  'member_removed',
  'token_created',
  'token_revoked',
  'member_pin_changed',
  'till_enabled',
  'till_disabled',
  'till_switched',
  'till_locked_out',
  // floor and sales
  'sale_opened',
  'table_occupied',
  'table_freed',
  'sale_paid',
  'sale_cancelled',
  'sale_updated',
  'large_sale',
  'refund_pending',
  'refund_completed',
  'discount_applied',
  'session_long',
  'table_occupied_long',
  'sale_item_removed',
  // kitchen and bar stations
  'ticket_sent',
  'ticket_ready',
  'order_ready',
  // catalog and holds
  'hold_placed',
  'hold_released',
  'hold_expired',
  'low_stock',
  'loss_reported',
  // payments
  'qr_scanned',
  'client_identified',
  'service_selected',
  'payment_initiated',
  'payment_confirmed',
  'payment_failed',
  'payment_issue',
  'payment_refunded',
  'webhook_received',
  'webhook_rejected',
  'receipt_sent',
  'receipt_failed',
  'session_abandoned',
  'session_expired',
  // insights
  'order_created',
  'live_started',
  'live_order_updated',
  'live_ended',
  'daily_summary',
  'system_error',
  // notifications (audience: nobody; each reader gets `notification_count` instead)
  'notification_state_changed',
];

/** Per-user frames sent on the same stream (not company events). */
export const USER_FRAME_TYPES: readonly string[] = ['notification', 'notification_count'];

/** "Your position is too old": the client must refetch everything. */
export const RESET_FRAME = 'reset';

export type StreamFrame = {
  /** Stream position (the SSE id); null for frames without one (per-user frames, reset). */
  position: number | null;
  type: string;
  at: string;
  subjects: Record<string, string>;
  data: unknown;
  /** Client clock when the frame arrived. */
  receivedAt: number;
};

/** Normalizes one SSE message into a frame, whatever shape its data has. */
export function parseFrame(eventName: string, raw: string, lastEventId: string): StreamFrame {
  let parsed: unknown = null;
  try {
    parsed = raw ? JSON.parse(raw) : null;
  } catch {
    parsed = raw;
  }
  const obj = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  // Company events carry {position, type, at, subjects, data}; per-user frames
  // (notification…) carry their own object, which may have a different `type`.
  const isEnvelope = typeof obj.type === 'string' && 'data' in obj && (eventName === 'message' || obj.type === eventName);
  const idPosition = lastEventId !== '' && Number.isFinite(Number(lastEventId)) ? Number(lastEventId) : null;
  const position = typeof obj.position === 'number' ? obj.position : Number(obj.position ?? Number.NaN);
  return {
    position: Number.isFinite(position) ? position : idPosition,
    type: eventName !== 'message' ? eventName : typeof obj.type === 'string' ? obj.type : 'message',
    at: typeof obj.at === 'string' ? obj.at : new Date().toISOString(),
    subjects: (isEnvelope && obj.subjects && typeof obj.subjects === 'object' ? obj.subjects : {}) as Record<
      string,
      string
    >,
    data: isEnvelope ? obj.data : parsed,
    receivedAt: Date.now(),
  };
}
