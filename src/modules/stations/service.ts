import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { append, type PendingEvent } from '../../platform/events/append.ts';
import { tableLabels } from '../floor/index.ts';
import { lockSale } from '../sales/index.ts';
import { STATIONS, type Station, type Ticket, type TicketLine, ticketsByIds } from './queries.ts';

/** What a line tells its station in one send. */
type Line = TicketLine;

interface SaleHead {
  id: string;
  reference: string;
  tableId: string | null;
}

/** Sales that can still be prepared for: open ones, and paid ones (pay first, then the kitchen). */
const SENDABLE = new Set(['open', 'paid']);

/**
 * Writes one send: a ticket per station (kitchen first, then bar), its lines in the
 * sale's order, and a `ticket_sent` per ticket. Answers the tickets' ids.
 */
async function writeSend(ctx: Ctx, sale: SaleHead, kind: 'order' | 'cancel', byStation: Map<Station, Line[]>): Promise<string[]> {
  const stations = STATIONS.filter((s) => byStation.get(s)?.length);
  if (!stations.length) return [];
  const now = ctx.clock.now();
  const sendId = randomUUID();
  await ctx.tx.client.query(
    `INSERT INTO station_sends (company_id, id, sale_id, kind, actor_type, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [ctx.companyId, sendId, sale.id, kind, ctx.actor.type, ctx.actor.id ?? null, now],
  );
  const label = sale.tableId ? (await tableLabels(ctx, [sale.tableId])).get(sale.tableId) : undefined;
  const ids: string[] = [];
  for (const station of stations) {
    const lines = byStation.get(station)!;
    const ticketId = randomUUID();
    await ctx.tx.client.query(
      `INSERT INTO station_tickets (company_id, id, send_id, sale_id, station, sent_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [ctx.companyId, ticketId, sendId, sale.id, station, now],
    );
    await ctx.tx.client.query(
      `INSERT INTO station_ticket_lines (company_id, ticket_id, position, sale_item_id, product_id, name, quantity, note, kind)
       SELECT $1, $2, u.ord - 1, u.item, u.product, u.name, u.quantity, u.note, u.kind
       FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::int[], $7::text[], $8::text[]) WITH ORDINALITY AS u(item, product, name, quantity, note, kind, ord)`,
      [ctx.companyId, ticketId, lines.map((l) => l.saleItemId), lines.map((l) => l.productId), lines.map((l) => l.name), lines.map((l) => l.quantity),
        lines.map((l) => l.note), lines.map((l) => l.kind)],
    );
    append(
      ctx,
      'ticket_sent',
      { ticketId, sendId, saleId: sale.id, reference: sale.reference, tableLabel: label, station, kind, lineCount: lines.length },
      { subjects: { saleId: sale.id, tableId: sale.tableId ?? undefined } },
    );
    ids.push(ticketId);
  }
  return ids;
}

function push(map: Map<Station, Line[]>, station: Station, line: Line) {
  map.set(station, [...(map.get(station) ?? []), line]);
}

/**
 * "Envoyer en cuisine": for each station, one ticket with what its lines have not told it
 * yet (new lines with their notes, quantity added since the last send; a quantity that
 * went down is cancelled), all in this transaction under the sale's lock. Nothing new:
 * no ticket. A line keeps the station it was first sent to.
 */
export async function sendToStations(ctx: Ctx, saleId: string): Promise<Ticket[]> {
  const sale = await lockSale(ctx, saleId);
  if (!SENDABLE.has(sale.status)) throw conflict('sale.illegal_transition', { status: sale.status, to: 'sent' });
  const { rows } = await ctx.tx.client.query(
    `SELECT i.id, i.product_id, i.name, i.quantity, i.note, coalesce(x.station, p.station) AS station, coalesce(x.quantity, 0) AS sent
     FROM sale_items i
     LEFT JOIN products p ON p.company_id = i.company_id AND p.id = i.product_id
     LEFT JOIN station_sent_items x ON x.company_id = i.company_id AND x.sale_item_id = i.id
     WHERE i.company_id = $1 AND i.sale_id = $2
     ORDER BY i.added_at, i.id`,
    [ctx.companyId, saleId],
  );
  const byStation = new Map<Station, Line[]>();
  const changedLines: Array<{ id: string; station: Station; productId: string | null; name: string; note: string | null; quantity: number }> = [];
  for (const r of rows) {
    if (!r.station) continue;
    const delta = r.quantity - r.sent;
    if (delta === 0) continue;
    const line = { saleItemId: r.id, productId: r.product_id, name: r.name, note: r.note };
    push(byStation, r.station, delta > 0 ? { ...line, quantity: delta, kind: 'new' } : { ...line, quantity: -delta, kind: 'cancel' });
    changedLines.push({ id: r.id, station: r.station, productId: r.product_id, name: r.name, note: r.note, quantity: r.quantity });
  }
  if (!changedLines.length) return [];
  const now = ctx.clock.now();
  await ctx.tx.client.query(
    `INSERT INTO station_sent_items (company_id, sale_item_id, station, product_id, name, note, quantity, updated_at)
     SELECT $1, u.item, u.station, u.product, u.name, u.note, u.quantity, $8
     FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::int[]) AS u(item, station, product, name, note, quantity)
     ON CONFLICT (company_id, sale_item_id) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = EXCLUDED.updated_at`,
    [ctx.companyId, changedLines.map((l) => l.id), changedLines.map((l) => l.station), changedLines.map((l) => l.productId), changedLines.map((l) => l.name),
      changedLines.map((l) => l.note), changedLines.map((l) => l.quantity), now],
  );
  const ids = await writeSend(ctx, sale, 'order', byStation);
  return ticketsByIds(ctx, ids);
}

/**
 * The station marks a ticket ready; idempotent (again: the same answer, no event). The
 * send's row is locked first, so of two stations finishing the same send at once the
 * second sees the first's ticket ready and announces `order_ready`, exactly once.
 */
export async function markReady(ctx: Ctx, station: Station, ticketId: string): Promise<Ticket> {
  const { rows } = await ctx.tx.client.query('SELECT send_id FROM station_tickets WHERE company_id = $1 AND id = $2 AND station = $3', [
    ctx.companyId,
    ticketId,
    station,
  ]);
  if (!rows[0]) throw notFound('ticket.not_found');
  const { rows: sends } = await ctx.tx.client.query('SELECT * FROM station_sends WHERE company_id = $1 AND id = $2 FOR UPDATE', [ctx.companyId, rows[0].send_id]);
  const send = sends[0];
  const now = ctx.clock.now();
  const { rows: updated } = await ctx.tx.client.query(
    `UPDATE station_tickets SET status = 'ready', ready_at = $3, ready_by_type = $4, ready_by_id = $5
     WHERE company_id = $1 AND id = $2 AND status = 'pending' RETURNING id`,
    [ctx.companyId, ticketId, now, ctx.actor.type, ctx.actor.id ?? null],
  );
  if (updated[0]) {
    const { rows: sale } = await ctx.tx.client.query('SELECT reference, table_id, server_id FROM sales WHERE company_id = $1 AND id = $2', [
      ctx.companyId,
      send.sale_id,
    ]);
    const s = sale[0];
    const subjects = { saleId: send.sale_id as string, tableId: s.table_id ?? undefined };
    append(ctx, 'ticket_ready', { ticketId, sendId: send.id, saleId: send.sale_id, reference: s.reference, station }, { subjects });
    if (send.kind === 'order' && !send.order_ready_at) {
      const { rows: left } = await ctx.tx.client.query(
        `SELECT count(*)::int AS n FROM station_tickets WHERE company_id = $1 AND send_id = $2 AND status = 'pending'`,
        [ctx.companyId, send.id],
      );
      if (left[0].n === 0) {
        await ctx.tx.client.query('UPDATE station_sends SET order_ready_at = $3 WHERE company_id = $1 AND id = $2', [ctx.companyId, send.id, now]);
        const label = s.table_id ? (await tableLabels(ctx, [s.table_id])).get(s.table_id) : undefined;
        append(
          ctx,
          'order_ready',
          { saleId: send.sale_id, reference: s.reference, tableLabel: label, station, ticketId, sendId: send.id, serverId: s.server_id ?? undefined },
          { subjects },
        );
      }
    }
  }
  const [ticket] = await ticketsByIds(ctx, [ticketId]);
  return ticket!;
}

/** Sends a cancellation for lines that had told their station something (removed lines, a cancelled sale). */
async function cancelSent(ctx: Ctx, saleId: string, sent: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const byStation = new Map<Station, Line[]>();
  for (const x of sent) {
    if ((x.quantity as number) <= 0) continue;
    push(byStation, x.station as Station, {
      saleItemId: x.sale_item_id as string,
      productId: (x.product_id as string | null) ?? null,
      name: x.name as string,
      note: (x.note as string | null) ?? null,
      quantity: x.quantity as number,
      kind: 'cancel',
    });
  }
  if (!byStation.size) return;
  const { rows } = await ctx.tx.client.query('SELECT id, reference, table_id FROM sales WHERE company_id = $1 AND id = $2', [ctx.companyId, saleId]);
  if (!rows[0]) return;
  await writeSend(ctx, { id: saleId, reference: rows[0].reference, tableId: rows[0].table_id }, 'cancel', byStation);
}

/**
 * In the transaction of the sales command: a removed line that was sent, or a cancelled
 * sale's sent lines, go out to their stations as cancellations. A line never sent sends
 * nothing. (A merged sale's lines have moved to the target sale: nothing to cancel.)
 */
export async function stationsFromEvents(ctx: Ctx, events: readonly PendingEvent[]): Promise<void> {
  const removed = new Map<string, string[]>();
  const cancelled: string[] = [];
  for (const e of events) {
    if (e.companyId !== ctx.companyId) continue;
    if (e.type === 'sale_item_removed') removed.set(e.data.saleId as string, [...(removed.get(e.data.saleId as string) ?? []), e.data.itemId as string]);
    else if (e.type === 'sale_cancelled') cancelled.push(e.data.saleId as string);
  }
  for (const [saleId, itemIds] of removed) {
    const { rows } = await ctx.tx.client.query('DELETE FROM station_sent_items WHERE company_id = $1 AND sale_item_id = ANY($2::uuid[]) RETURNING *', [
      ctx.companyId,
      itemIds,
    ]);
    await cancelSent(ctx, saleId, rows);
  }
  for (const saleId of cancelled) {
    const { rows } = await ctx.tx.client.query(
      `WITH sent AS (
         SELECT x.sale_item_id, x.quantity, i.added_at, i.id FROM station_sent_items x
         JOIN sale_items i ON i.company_id = x.company_id AND i.id = x.sale_item_id
         WHERE x.company_id = $1 AND i.sale_id = $2 AND x.quantity > 0
         FOR UPDATE OF x
       )
       UPDATE station_sent_items y SET quantity = 0, updated_at = $3 FROM sent
       WHERE y.company_id = $1 AND y.sale_item_id = sent.sale_item_id
       RETURNING y.sale_item_id, y.station, y.product_id, y.name, y.note, sent.quantity, sent.added_at, sent.id`,
      [ctx.companyId, saleId, ctx.clock.now()],
    );
    // In the sale's order.
    rows.sort((x, y) => x.added_at - y.added_at || (x.id < y.id ? -1 : 1));
    await cancelSent(ctx, saleId, rows);
  }
}
