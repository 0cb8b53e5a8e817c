/**
 * Pure cart rules: what adding, setting a quantity and re-validating do against
 * availability, and the messages that say exactly what changed.
 */
export type Level = 'success' | 'warning' | 'error' | 'info';

export interface Message {
  level: Level;
  code: string;
  params: Record<string, unknown>;
}

export interface Line {
  productId: string;
  name: string;
  quantity: number;
}

const msg = (level: Level, code: string, params: Record<string, unknown> = {}): Message => ({ level, code, params });
const about = (l: { productId: string; name: string }) => ({ productId: l.productId, name: l.name });

export type AddOutcome = { ok: true; quantity: number; message: Message } | { ok: false; message: Message };

/** Adding `requested` more of a product the cart holds `inCart` of: all of it, or refused with the reason. */
export function decideAdd(p: { productId: string; name: string }, inCart: number, requested: number, available: number): AddOutcome {
  if (available <= 0) return { ok: false, message: msg('warning', 'out_of_stock', about(p)) };
  if (inCart >= available) return { ok: false, message: msg('warning', 'cannot_add_more', { ...about(p), available }) };
  if (inCart + requested > available) {
    return { ok: false, message: msg('error', 'insufficient_stock', { ...about(p), available, requested: inCart + requested }) };
  }
  return { ok: true, quantity: inCart + requested, message: msg('success', 'added', { ...about(p), quantity: requested }) };
}

/** Setting a line's quantity: trimmed to what is available, removed at 0. */
export function decideSet(p: { productId: string; name: string }, quantity: number, available: number): { quantity: number; message: Message } {
  if (quantity === 0) return { quantity: 0, message: msg('success', 'quantity_updated', { ...about(p), quantity: 0 }) };
  if (available <= 0) return { quantity: 0, message: msg('warning', 'removed_out_of_stock', about(p)) };
  if (quantity > available) return { quantity: available, message: msg('warning', 'quantity_adjusted', { ...about(p), available, requested: quantity }) };
  return { quantity, message: msg('success', 'quantity_updated', { ...about(p), quantity }) };
}

/**
 * Every line against fresh availability: trimmed or removed, each change with its
 * message; an emptied cart says so.
 */
export function revalidate(lines: readonly Line[], available: ReadonlyMap<string, number>): { lines: Line[]; messages: Message[]; changed: boolean } {
  const out: Line[] = [];
  const messages: Message[] = [];
  for (const l of lines) {
    const a = Math.max(0, available.get(l.productId) ?? 0);
    if (a === 0) messages.push(msg('warning', 'removed_out_of_stock', about(l)));
    else if (l.quantity > a) {
      messages.push(msg('warning', 'quantity_adjusted', { ...about(l), available: a, requested: l.quantity }));
      out.push({ ...l, quantity: a });
    } else out.push({ ...l });
  }
  if (lines.length > 0 && out.length === 0) messages.push(msg('error', 'cart_empty_after_adjustments'));
  return { lines: out, messages, changed: messages.length > 0 };
}

export const info = (code: string, params: Record<string, unknown> = {}) => msg('info', code, params);
