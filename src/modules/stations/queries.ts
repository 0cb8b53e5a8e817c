import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { tableLabels } from '../floor/index.ts';

export const STATIONS = ['kitchen', 'bar'] as const;
export type Station = (typeof STATIONS)[number];
export type TicketStatus = 'pending' | 'ready';

export interface TicketLine {
  saleItemId: string;
  productId: string | null;
  name: string;
  quantity: number;
  note: string | null;
  /** new: to prepare; cancel: stop (the line was removed or the sale cancelled after it was sent). */
  kind: 'new' | 'cancel';
}

export interface Ticket {
  id: string;
  sendId: string;
  saleId: string;
  reference: string;
  tableId: string | null;
  tableLabel: string | null;
  customerName: string | null;
  serverId: string | null;
  serverName: string | null;
  station: Station;
  /** order: lines to prepare; cancel: lines to stop. */
  kind: 'order' | 'cancel';
  status: TicketStatus;
  sentAt: string;
  sentBy: { type: string; id: string | null; name: string | null };
  readyAt: string | null;
  lines: TicketLine[];
}

/** Full tickets (sale, server, lines) for some ids, in the order given. */
export async function ticketsByIds(ctx: Ctx, ids: readonly string[]): Promise<Ticket[]> {
  if (!ids.length) return [];
  const { rows } = await ctx.tx.client.query(
    `SELECT t.id, t.send_id, t.sale_id, t.station, t.status, t.sent_at, t.ready_at, d.kind, d.actor_type, d.actor_id, sb.name AS sent_by_name,
            s.reference, s.table_id, s.customer_name, s.server_id, u.name AS server_name
     FROM station_tickets t
     JOIN station_sends d ON d.company_id = t.company_id AND d.id = t.send_id
     JOIN sales s ON s.company_id = t.company_id AND s.id = t.sale_id
     LEFT JOIN users u ON u.id = s.server_id
     LEFT JOIN users sb ON d.actor_type = 'user' AND sb.id::text = d.actor_id
     WHERE t.company_id = $1 AND t.id = ANY($2::uuid[])`,
    [ctx.companyId, ids],
  );
  const { rows: lines } = await ctx.tx.client.query(
    'SELECT * FROM station_ticket_lines WHERE company_id = $1 AND ticket_id = ANY($2::uuid[]) ORDER BY ticket_id, position',
    [ctx.companyId, ids],
  );
  const labels = await tableLabels(ctx, [...new Set(rows.map((r) => r.table_id).filter(Boolean))]);
  const byId = new Map(
    rows.map((r) => {
      const ticket: Ticket = {
        id: r.id,
        sendId: r.send_id,
        saleId: r.sale_id,
        reference: r.reference,
        tableId: r.table_id,
        tableLabel: r.table_id ? (labels.get(r.table_id) ?? null) : null,
        customerName: r.customer_name,
        serverId: r.server_id,
        serverName: r.server_name ?? null,
        station: r.station,
        kind: r.kind,
        status: r.status,
        sentAt: r.sent_at.toISOString(),
        sentBy: { type: r.actor_type, id: r.actor_id, name: r.sent_by_name ?? null },
        readyAt: r.ready_at?.toISOString() ?? null,
        lines: lines
          .filter((l) => l.ticket_id === r.id)
          .map((l) => ({ saleItemId: l.sale_item_id, productId: l.product_id, name: l.name, quantity: l.quantity, note: l.note, kind: l.kind })),
      };
      return [r.id as string, ticket];
    }),
  );
  return ids.map((id) => byId.get(id)).filter((t): t is Ticket => !!t);
}

export async function getTicket(ctx: Ctx, id: string): Promise<Ticket> {
  const [ticket] = await ticketsByIds(ctx, [id]);
  if (!ticket) throw notFound('ticket.not_found');
  return ticket;
}

/** A station's screen: pending tickets oldest first (the order to prepare them in), or the latest ready ones. */
export async function stationTickets(ctx: Ctx, station: Station, status: TicketStatus, limit: number): Promise<Ticket[]> {
  const order = status === 'pending' ? 'sent_at, seq' : 'ready_at DESC, seq DESC';
  const { rows } = await ctx.tx.client.query(
    `SELECT id FROM station_tickets WHERE company_id = $1 AND station = $2 AND status = $3 ORDER BY ${order} LIMIT $4`,
    [ctx.companyId, station, status, limit],
  );
  return ticketsByIds(ctx, rows.map((r) => r.id));
}

/**
 * For the till: the sale's tickets in the order they were sent, and each line that goes
 * to a station with its quantity and what it has told its station so far (sent < quantity:
 * there is something to send).
 */
export async function saleTickets(ctx: Ctx, saleId: string) {
  const { rows: sale } = await ctx.tx.client.query('SELECT 1 FROM sales WHERE company_id = $1 AND id = $2', [ctx.companyId, saleId]);
  if (!sale[0]) throw notFound('sale.not_found');
  const { rows } = await ctx.tx.client.query('SELECT id FROM station_tickets WHERE company_id = $1 AND sale_id = $2 ORDER BY sent_at, seq', [
    ctx.companyId,
    saleId,
  ]);
  const { rows: lines } = await ctx.tx.client.query(
    `SELECT i.id, i.name, i.quantity, coalesce(x.station, p.station) AS station, coalesce(x.quantity, 0) AS sent
     FROM sale_items i
     LEFT JOIN products p ON p.company_id = i.company_id AND p.id = i.product_id
     LEFT JOIN station_sent_items x ON x.company_id = i.company_id AND x.sale_item_id = i.id
     WHERE i.company_id = $1 AND i.sale_id = $2 AND coalesce(x.station, p.station) IS NOT NULL
     ORDER BY i.added_at, i.id`,
    [ctx.companyId, saleId],
  );
  return {
    tickets: await ticketsByIds(ctx, rows.map((r) => r.id)),
    lines: lines.map((l) => ({ saleItemId: l.id as string, name: l.name as string, station: l.station as Station, quantity: l.quantity as number, sent: l.sent as number })),
  };
}
