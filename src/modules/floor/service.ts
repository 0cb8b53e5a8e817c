import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';

export interface Area {
  id: string;
  name: string;
  sort: number;
  active: boolean;
}

export interface Table {
  id: string;
  areaId: string;
  label: string;
  seats: number;
  x: number;
  y: number;
  shape: 'square' | 'round' | 'rect';
  active: boolean;
  status: 'available' | 'occupied' | 'reserved' | 'out_of_service';
  currentSaleId: string | null;
  occupiedSince: string | null;
  reservedName: string | null;
  reservedAt: string | null;
}

// biome-ignore lint/suspicious/noExplicitAny: a raw pg row
const toTable = (r: Record<string, any>): Table => ({
  id: r.id,
  areaId: r.area_id,
  label: r.label,
  seats: r.seats,
  x: r.x,
  y: r.y,
  shape: r.shape,
  active: r.active,
  status: r.status,
  currentSaleId: r.current_sale_id,
  occupiedSince: r.occupied_since?.toISOString() ?? null,
  reservedName: r.reserved_name,
  reservedAt: r.reserved_at?.toISOString() ?? null,
});

export async function listAreas(ctx: Ctx): Promise<Area[]> {
  const { rows } = await ctx.tx.client.query('SELECT id, name, sort, active FROM areas WHERE company_id = $1 ORDER BY sort, name', [ctx.companyId]);
  return rows;
}

export async function createArea(ctx: Ctx, input: { name: string; sort?: number }): Promise<Area> {
  const id = randomUUID();
  await ctx.tx.client.query('INSERT INTO areas (company_id, id, name, sort, created_at) VALUES ($1, $2, $3, $4, $5)', [
    ctx.companyId,
    id,
    input.name.trim(),
    input.sort ?? 0,
    ctx.clock.now(),
  ]);
  return { id, name: input.name.trim(), sort: input.sort ?? 0, active: true };
}

export async function updateArea(ctx: Ctx, id: string, patch: { name?: string; sort?: number; active?: boolean }): Promise<Area> {
  const { rows } = await ctx.tx.client.query(
    `UPDATE areas SET name = coalesce($3, name), sort = coalesce($4, sort), active = coalesce($5, active)
     WHERE company_id = $1 AND id = $2 RETURNING id, name, sort, active`,
    [ctx.companyId, id, patch.name?.trim() ?? null, patch.sort ?? null, patch.active ?? null],
  );
  if (!rows[0]) throw notFound('area.not_found');
  return rows[0];
}

export async function listTables(ctx: Ctx): Promise<Table[]> {
  const { rows } = await ctx.tx.client.query('SELECT * FROM dining_tables WHERE company_id = $1 ORDER BY lower(label)', [ctx.companyId]);
  return rows.map(toTable);
}

function labelTaken(err: unknown): never {
  const e = ((err as { cause?: unknown }).cause ?? err) as { code?: string; constraint?: string };
  if (e.code === '23505' && e.constraint === 'dining_tables_label') throw conflict('table.label_taken');
  if (e.code === '23503') throw notFound('area.not_found');
  throw err;
}

export interface TableInput {
  areaId: string;
  label: string;
  seats: number;
  x?: number;
  y?: number;
  shape?: Table['shape'];
}

export async function createTable(ctx: Ctx, input: TableInput): Promise<Table> {
  const { rows } = await ctx.tx.client
    .query(
      `INSERT INTO dining_tables (company_id, id, area_id, label, seats, x, y, shape, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [ctx.companyId, randomUUID(), input.areaId, input.label.trim(), input.seats, input.x ?? 0, input.y ?? 0, input.shape ?? 'square', ctx.clock.now()],
    )
    .catch(labelTaken);
  return toTable(rows[0]);
}

export type TablePatch = Partial<TableInput> & {
  active?: boolean;
  status?: 'available' | 'reserved' | 'out_of_service';
  reservedName?: string | null;
  reservedAt?: string | null;
};

/** Layout and manual status (reserved, out of service); an occupied table changes only through its sale. */
export async function updateTable(ctx: Ctx, id: string, patch: TablePatch): Promise<Table> {
  const { rows: cur } = await ctx.tx.client.query('SELECT status FROM dining_tables WHERE company_id = $1 AND id = $2 FOR UPDATE', [ctx.companyId, id]);
  if (!cur[0]) throw notFound('table.not_found');
  if (patch.status && cur[0].status === 'occupied') throw conflict('table.occupied');
  const reserved = patch.status === 'reserved';
  const { rows } = await ctx.tx.client
    .query(
      `UPDATE dining_tables SET area_id = coalesce($3, area_id), label = coalesce($4, label), seats = coalesce($5, seats),
         x = coalesce($6, x), y = coalesce($7, y), shape = coalesce($8, shape), active = coalesce($9, active),
         status = coalesce($10, status),
         reserved_name = CASE WHEN $10::text IS NULL THEN reserved_name WHEN $11 THEN $12 ELSE NULL END,
         reserved_at = CASE WHEN $10::text IS NULL THEN reserved_at WHEN $11 THEN $13::timestamptz ELSE NULL END
       WHERE company_id = $1 AND id = $2 RETURNING *`,
      [ctx.companyId, id, patch.areaId ?? null, patch.label?.trim() ?? null, patch.seats ?? null, patch.x ?? null, patch.y ?? null,
        patch.shape ?? null, patch.active ?? null, patch.status ?? null, reserved, patch.reservedName ?? null, patch.reservedAt ?? null],
    )
    .catch(labelTaken);
  return toTable(rows[0]);
}

export interface Occupant {
  saleId: string;
  reference: string;
  customerName: string | null;
  serverId: string | null;
  serverName: string | null;
}

/**
 * Seats a sale at a table, in the sale's transaction: one `table_occupied` event. A
 * table with an open sale answers 409 sale.table_occupied naming it.
 */
export async function occupyTable(ctx: Ctx, tableId: string, o: Occupant, announce = true): Promise<Table> {
  const { rows } = await ctx.tx.client.query(
    'SELECT * FROM dining_tables WHERE company_id = $1 AND id = $2 FOR UPDATE',
    [ctx.companyId, tableId],
  );
  const t = rows[0];
  if (!t) throw notFound('table.not_found');
  if (t.status === 'occupied') throw conflict('sale.table_occupied', { saleId: t.current_sale_id, reference: t.current_sale_reference, tableId, label: t.label });
  if (!t.active || t.status === 'out_of_service') throw conflict('table.unavailable', { tableId, label: t.label, status: t.status });
  const now = ctx.clock.now();
  const { rows: updated } = await ctx.tx.client.query(
    `UPDATE dining_tables SET status = 'occupied', current_sale_id = $3, current_sale_reference = $5, current_server_id = $6,
       occupied_since = $4, long_alerted = false, reserved_name = NULL, reserved_at = NULL
     WHERE company_id = $1 AND id = $2 RETURNING *`,
    [ctx.companyId, tableId, o.saleId, now, o.reference, o.serverId],
  );
  const table = toTable(updated[0]);
  if (announce) announceOccupied(ctx, table, o);
  return table;
}

/** One `table_occupied` event (openSale announces it once the sale has its reference). */
export function announceOccupied(ctx: Ctx, t: Table, o: Occupant): void {
  append(
    ctx,
    'table_occupied',
    { tableId: t.id, saleId: o.saleId, label: t.label, areaId: t.areaId, reference: o.reference, customerName: o.customerName, serverId: o.serverId,
      serverName: o.serverName, since: t.occupiedSince ?? ctx.clock.now().toISOString() },
    { subjects: { tableId: t.id, saleId: o.saleId } },
  );
}

/** Sets the open sale's reference on its table once it is known. */
export async function setTableReference(ctx: Ctx, tableId: string, saleId: string, reference: string): Promise<void> {
  await ctx.tx.client.query('UPDATE dining_tables SET current_sale_reference = $4 WHERE company_id = $1 AND id = $2 AND current_sale_id = $3', [
    ctx.companyId,
    tableId,
    saleId,
    reference,
  ]);
}

/**
 * Frees the table of a sale that is paid, cancelled or moved, in that sale's
 * transaction: one `table_freed` event. Freeing a table the sale no longer holds does
 * nothing, so it can never be freed twice.
 */
export async function freeTable(
  ctx: Ctx,
  tableId: string,
  f: { saleId: string; reference: string; customerName: string | null; serverId: string | null; total: number; reason: 'paid' | 'cancelled' | 'transferred' | 'merged' },
): Promise<boolean> {
  const now = ctx.clock.now();
  const { rows } = await ctx.tx.client.query(
    `UPDATE dining_tables t SET status = 'available', current_sale_id = NULL, current_sale_reference = NULL, current_server_id = NULL,
       occupied_since = NULL, long_alerted = false
     FROM (SELECT occupied_since FROM dining_tables WHERE company_id = $1 AND id = $2 FOR UPDATE) old
     WHERE t.company_id = $1 AND t.id = $2 AND t.current_sale_id = $3
     RETURNING t.label, t.area_id, old.occupied_since`,
    [ctx.companyId, tableId, f.saleId],
  );
  if (!rows[0]) return false;
  const minutes = rows[0].occupied_since ? Math.round((now.getTime() - rows[0].occupied_since.getTime()) / 60_000) : undefined;
  append(
    ctx,
    'table_freed',
    { tableId, label: rows[0].label, areaId: rows[0].area_id, saleId: f.saleId, reference: f.reference, customerName: f.customerName ?? undefined,
      serverId: f.serverId ?? undefined, total: f.total, reason: f.reason, freedAt: now.toISOString(), occupiedMinutes: minutes },
    { subjects: { tableId, saleId: f.saleId } },
  );
  return true;
}

/** Table labels by id (sales show where they were). */
export async function tableLabels(ctx: Ctx, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const { rows } = await ctx.tx.client.query('SELECT id, label FROM dining_tables WHERE company_id = $1 AND id = ANY($2::uuid[])', [ctx.companyId, ids]);
  return new Map(rows.map((r) => [r.id as string, r.label as string]));
}

export interface FloorFigures {
  openSales: Map<string, { id: string; reference: string; customerName: string | null; serverId: string | null; serverName: string | null; occupiedSince: string; itemCount: number; total: number }>;
  stats: Map<string, { avgOccupationMinutes: number | null; salesCount: number; revenue: number }>;
}

/**
 * Everything the floor screen needs in one answer: areas, tables with their open sale,
 * 30-day figures and an estimated free time (occupied since + that table's average).
 */
export async function floorView(ctx: Ctx, figures: FloorFigures) {
  const [areas, tables] = [await listAreas(ctx), await listTables(ctx)];
  return {
    areas,
    tables: tables.map((t) => {
      const stats = figures.stats.get(t.id) ?? { avgOccupationMinutes: null, salesCount: 0, revenue: 0 };
      const since = t.occupiedSince ? new Date(t.occupiedSince).getTime() : null;
      return {
        ...t,
        sale: t.status === 'occupied' ? (figures.openSales.get(t.id) ?? null) : null,
        stats,
        estimatedFreeAt: since !== null && stats.avgOccupationMinutes !== null ? new Date(since + stats.avgOccupationMinutes * 60_000).toISOString() : null,
      };
    }),
  };
}
