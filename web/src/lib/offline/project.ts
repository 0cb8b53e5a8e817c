import type { Floor, FloorTable } from '../floor.ts';
import type { Payment, Sale, SaleItem, TaxLine } from '../sales.ts';
import { type IdMapping, isLocalId, type LineSnapshot, type QueuedOp } from './types.ts';

/**
 * Optimistic views of what the queue will do: a sale opened offline, a server sale
 * with its pending items and payments, the floor with the tables those sales occupy.
 * Pure functions of (server data, queued operations).
 */

type Breakdown = Sale['totals'];

/** The server's rule (src/modules/sales/rules.ts taxBreakdown): per rate, HT rounded half up, TVA = TTC − HT. */
export function taxBreakdown(lines: ReadonlyArray<{ amount: number; taxRate: number }>): Breakdown {
  const byRate = new Map<number, bigint>();
  for (const l of lines) byRate.set(l.taxRate, (byRate.get(l.taxRate) ?? 0n) + BigInt(l.amount));
  const rows: TaxLine[] = [...byRate]
    .sort(([a], [b]) => a - b)
    .map(([rate, ttc]) => {
      const d = 10000n + BigInt(rate);
      const ht = (2n * ttc * 10000n + d) / (2n * d);
      return { rate, ttc: Number(ttc), ht: Number(ht), tva: Number(ttc - ht) };
    });
  return {
    ttc: rows.reduce((a, r) => a + r.ttc, 0),
    ht: rows.reduce((a, r) => a + r.ht, 0),
    tva: rows.reduce((a, r) => a + r.tva, 0),
    byRate: rows,
  };
}

function addBreakdowns(a: Breakdown, b: Breakdown): Breakdown {
  const rates = new Map<number, TaxLine>();
  for (const r of [...a.byRate, ...b.byRate]) {
    const prev = rates.get(r.rate);
    rates.set(r.rate, prev ? { rate: r.rate, ttc: prev.ttc + r.ttc, ht: prev.ht + r.ht, tva: prev.tva + r.tva } : { ...r });
  }
  return { ttc: a.ttc + b.ttc, ht: a.ht + b.ht, tva: a.tva + b.tva, byRate: [...rates.values()].sort((x, y) => x.rate - y.rate) };
}

/** The id the server gave a sale opened offline, or the id itself. */
export function resolveSaleId(id: string, ids: Record<string, IdMapping>): string {
  return isLocalId(id) ? (ids[id]?.realId ?? id) : id;
}

/** The operations of one sale (temporary and real ids alike), in order. */
export function opsOfSale(ops: readonly QueuedOp[], saleId: string, ids: Record<string, IdMapping>): QueuedOp[] {
  const target = resolveSaleId(saleId, ids);
  return ops.filter((op) => resolveSaleId(op.saleId, ids) === target);
}

const pendingItem = (opId: string, line: LineSnapshot, i: number): SaleItem => ({
  id: `${opId}:${i}`,
  productId: line.productId,
  name: line.name,
  unitPrice: line.unitPrice,
  taxRate: line.taxRate,
  quantity: line.quantity,
  note: line.note,
  lineTotal: line.unitPrice * line.quantity,
  netTotal: line.unitPrice * line.quantity,
  discount: null,
  pendingSync: true,
});

/**
 * The sale as it will be once the queue is replayed: `base` (the server's copy, null
 * for a sale opened offline) plus each operation. Null when nothing opens it.
 */
export function projectSale(base: Sale | null, ops: readonly QueuedOp[]): Sale | null {
  let sale: Sale | null = base ? { ...base, items: [...base.items], payments: [...base.payments] } : null;
  const added: SaleItem[] = [];
  const paidNow: Payment[] = [];
  for (const op of ops) {
    if (op.kind === 'open_sale') {
      added.push(...op.lines.map((l, i) => pendingItem(op.id, l, i)));
      sale = {
        id: op.saleId,
        reference: op.reference,
        status: 'open',
        channel: op.body.channel,
        tableId: op.body.tableId ?? null,
        tableLabel: op.tableLabel,
        customerName: op.body.customerName ?? null,
        serverId: op.body.serverId ?? null,
        serverName: op.serverName,
        items: [],
        totals: { ttc: 0, ht: 0, tva: 0, byRate: [] },
        paid: 0,
        due: 0,
        payments: [],
        refunded: 0,
        refunds: [],
        events: [],
        openedAt: op.createdAt,
        paidAt: null,
        cancelledAt: null,
        cancelReason: null,
        version: 0,
        discount: null,
        discountTotal: 0,
        tips: 0,
        localOnly: true,
      };
    } else if (op.kind === 'add_items') {
      added.push(...op.lines.map((l, i) => pendingItem(op.id, l, i)));
    } else if (op.kind === 'transfer' || op.kind === 'cancel') {
      // A refused move or cancellation did not happen: the sale stays as the server has it.
      if (op.state === 'failed') continue;
      // As the server does it: the sale takes the table (and the table channel).
      if (sale && op.kind === 'transfer') sale = { ...sale, tableId: op.body.tableId, tableLabel: op.tableLabel, channel: 'table' };
      else if (sale && op.kind === 'cancel') sale = { ...sale, status: 'cancelled', cancelledAt: op.createdAt, cancelReason: op.body.reason?.trim() || null };
    } else {
      // As the server counts it: cash covers the amount and the tip, the rest is change.
      const b = op.body;
      const owed = b.amount + (b.tip ?? 0);
      paidNow.push({
        id: op.id,
        method: b.method,
        amount: b.amount,
        tendered: b.method === 'cash' ? (b.tendered ?? owed) : null,
        change: b.method === 'cash' ? Math.max(0, (b.tendered ?? owed) - owed) : null,
        reference: b.reference ?? null,
        tip: b.tip ?? 0,
        serverId: null,
        createdAt: op.createdAt,
        pendingSync: true,
      });
    }
  }
  if (!sale) {
    // Operations on a server sale we have no copy of: take the newest snapshot they carry.
    let snapshot: Sale | null = null;
    for (const op of ops) if (op.kind !== 'open_sale' && op.base) snapshot = op.base;
    if (!snapshot) return null;
    return projectSale(snapshot, ops);
  }
  if (ops.length === 0) return sale;

  // Line discounts are in lineTotal; a whole-sale discount is spread by the server: keep its totals and add.
  const baseDiscounted = Boolean(base?.discount);
  const addedTotals = taxBreakdown(added.map((i) => ({ amount: i.lineTotal, taxRate: i.taxRate })));
  const items = [...sale.items, ...added];
  const totals = baseDiscounted || !base
    ? addBreakdowns(base ? base.totals : { ttc: 0, ht: 0, tva: 0, byRate: [] }, addedTotals)
    : taxBreakdown(items.map((i) => ({ amount: i.lineTotal, taxRate: i.taxRate })));
  const payments = [...sale.payments, ...paidNow];
  const paid = sale.paid + paidNow.reduce((a, p) => a + p.amount, 0);
  const due = Math.max(0, totals.ttc - paid);
  const fullyPaid = sale.status === 'open' && paidNow.length > 0 && due === 0 && totals.ttc > 0;
  return {
    ...sale,
    items,
    payments,
    totals,
    paid,
    due,
    tips: (sale.tips ?? 0) + paidNow.reduce((a, p) => a + (p.tip ?? 0), 0),
    status: fullyPaid ? 'paid' : sale.status,
    paidAt: fullyPaid ? (paidNow.at(-1)?.createdAt ?? null) : sale.paidAt,
    pendingSync: true,
    syncFailed: ops.some((op) => op.state === 'failed'),
  };
}

/** Where a sale's queued work leaves it: its table (undefined: unchanged) and whether it stays open. */
function outcome(chainOps: readonly QueuedOp[], projected: Sale | null): { tableId: string | null | undefined; open: boolean } {
  let tableId: string | null | undefined;
  let open = true;
  for (const op of chainOps) {
    if (op.kind === 'open_sale') tableId = op.body.tableId ?? null;
    else if (op.state === 'failed') continue;
    else if (op.kind === 'transfer') tableId = op.body.tableId;
    else if (op.kind === 'cancel') open = false;
  }
  // The table from the operations only: a server sale's snapshot may be older than the floor.
  return { tableId, open: open && (projected ? projected.status === 'open' : true) };
}

type TableSale = NonNullable<FloorTable['sale']>;

/**
 * The floor with the queue applied: a table taken by a sale opened offline is
 * occupied (until that sale is paid or cancelled offline); a server sale with pending
 * items or payments shows its new total, or frees its table once paid in full or
 * cancelled; a sale moved offline leaves its table for the new one.
 */
export function projectFloor(floor: Floor, ops: readonly QueuedOp[], ids: Record<string, IdMapping>): Floor {
  if (ops.length === 0) return floor;
  const chains = new Map<string, QueuedOp[]>();
  for (const op of ops) {
    const key = resolveSaleId(op.saleId, ids);
    chains.set(key, [...(chains.get(key) ?? []), op]);
  }
  // The server's summary of each sale on the floor (a moved sale keeps it on its new table).
  const onFloor = new Map<string, { tableId: string; sale: TableSale }>();
  for (const table of floor.tables) if (table.status === 'occupied' && table.sale) onFloor.set(table.sale.id, { tableId: table.id, sale: table.sale });

  const summary = (key: string, projected: Sale | null): TableSale | null => {
    const known = onFloor.get(key)?.sale;
    if (!projected) return known ? { ...known, pendingSync: true } : null;
    return {
      id: known?.id ?? projected.id,
      reference: projected.reference,
      customerName: projected.customerName,
      serverId: projected.serverId,
      serverName: projected.serverName,
      occupiedSince: known?.occupiedSince ?? projected.openedAt,
      itemCount: projected.items.reduce((a, i) => a + i.quantity, 0),
      total: projected.totals.ttc,
      pendingSync: true,
    };
  };

  // Where each sale with queued work ends up.
  const leaving = new Set<string>();
  const arriving = new Map<string, TableSale>();
  const staying = new Map<string, TableSale>();
  for (const [key, chainOps] of chains) {
    const projected = projectSale(null, chainOps);
    const { tableId, open } = outcome(chainOps, projected);
    const current = onFloor.get(key);
    if (current && (!open || (tableId !== undefined && tableId !== current.tableId))) leaving.add(current.tableId);
    if (!open) continue;
    const target = tableId === undefined ? current?.tableId : tableId;
    if (!target) continue;
    const s = summary(key, projected);
    if (!s) continue;
    if (current?.tableId === target) staying.set(target, s);
    else if (!arriving.has(target)) arriving.set(target, s);
  }

  const tables = floor.tables.map((table): FloorTable => {
    const kept = staying.get(table.id);
    if (kept && table.status === 'occupied') return { ...table, sale: kept };
    const freed = leaving.has(table.id);
    const available = table.status === 'available' || freed;
    const incoming = arriving.get(table.id);
    if (available && incoming) return { ...table, status: 'occupied', sale: incoming };
    if (freed) return { ...table, status: 'available', sale: null };
    return table;
  });
  return { ...floor, tables };
}
