import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';

export interface Product {
  id: string;
  name: string;
  sku: string | null;
  category: string | null;
  price: number;
  taxRate: number;
  kind: 'good' | 'service';
  durationMinutes: number | null;
  lowStockThreshold: number;
  active: boolean;
  imageUrl: string | null;
  /** Where it is prepared: its lines go there as tickets ("Envoyer en cuisine"). */
  station: Station | null;
  archivedAt: string | null;
  onHand: number;
  held: number;
  available: number;
  lowStock: boolean;
  createdAt: string;
  updatedAt: string;
}

export type Station = 'kitchen' | 'bar';

export interface ProductInput {
  name: string;
  sku?: string | null;
  category?: string | null;
  price: number;
  taxRate?: number;
  kind: 'good' | 'service';
  durationMinutes?: number | null;
  lowStockThreshold?: number;
  active?: boolean;
  imageUrl?: string | null;
  station?: Station | null;
}

/**
 * Stock as of now: `held` excludes holds that have lapsed even if no sweep has run
 * yet, so `available` is exact at read time. Served by holds_expiring.
 */
const SELECT_PRODUCT = `
  SELECT p.*, p.held - COALESCE(x.lapsed, 0) AS held_now, lower(p.name) AS name_key
  FROM products p
  LEFT JOIN LATERAL (
    SELECT sum(h.quantity)::int AS lapsed FROM holds h
    WHERE h.company_id = p.company_id AND h.product_id = p.id AND h.status = 'active' AND h.expires_at <= $2
  ) x ON true`;

// biome-ignore lint/suspicious/noExplicitAny: a raw pg row
function toProduct(r: Record<string, any>): Product {
  const held = Number(r.held_now);
  const available = r.on_hand - held;
  return {
    id: r.id,
    name: r.name,
    sku: r.sku,
    category: r.category,
    price: Number(r.price),
    taxRate: r.tax_rate,
    kind: r.kind,
    durationMinutes: r.duration_minutes,
    lowStockThreshold: r.low_stock_threshold,
    active: r.active,
    imageUrl: r.image_url,
    station: r.station ?? null,
    archivedAt: r.archived_at?.toISOString() ?? null,
    onHand: r.on_hand,
    held,
    available,
    lowStock: r.kind === 'good' && available <= r.low_stock_threshold,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function getProduct(ctx: Ctx, id: string): Promise<Product> {
  const { rows } = await ctx.tx.client.query(`${SELECT_PRODUCT} WHERE p.company_id = $1 AND p.id = $3`, [ctx.companyId, ctx.clock.now(), id]);
  if (!rows[0]) throw notFound('product.not_found');
  return toProduct(rows[0]);
}

/** Several products by id, in one query (unknown ids are absent). */
export async function getProducts(ctx: Ctx, ids: readonly string[]): Promise<Map<string, Product>> {
  if (!ids.length) return new Map();
  const { rows } = await ctx.tx.client.query(`${SELECT_PRODUCT} WHERE p.company_id = $1 AND p.id = ANY($3::uuid[])`, [
    ctx.companyId,
    ctx.clock.now(),
    ids,
  ]);
  return new Map(rows.map((r) => [r.id as string, toProduct(r)]));
}

export interface ProductFilter {
  search?: string;
  category?: string;
  kind?: 'good' | 'service';
  active?: boolean;
  archived?: boolean;
  lowStock?: boolean;
  limit: number;
  cursor?: string;
}

/** Products by name, filtered; keyset pagination on (lower(name), id). */
export async function listProducts(ctx: Ctx, f: ProductFilter): Promise<Page<Product>> {
  const after = decodeCursor(f.cursor, 2) as [string, string] | null;
  const where = ['p.company_id = $1'];
  const params: unknown[] = [ctx.companyId, ctx.clock.now()];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (f.search) add(`(p.name ILIKE ? OR p.sku ILIKE ?)`, `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.category) add('p.category = ?', f.category);
  if (f.kind) add('p.kind = ?', f.kind);
  if (f.active !== undefined) add('p.active = ?', f.active);
  where.push(f.archived ? 'p.archived_at IS NOT NULL' : 'p.archived_at IS NULL');
  if (f.lowStock) where.push(`p.kind = 'good' AND p.on_hand - (p.held - COALESCE(x.lapsed, 0)) <= p.low_stock_threshold`);
  if (after) {
    params.push(after[0], after[1]);
    where.push(`(lower(p.name), p.id) > ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(f.limit + 1);
  const { rows } = await ctx.tx.client.query(
    `${SELECT_PRODUCT} WHERE ${where.join(' AND ')} ORDER BY lower(p.name), p.id LIMIT $${params.length}`,
    params,
  );
  // The cursor keeps the database's own lower(name): JavaScript lowercases non-ASCII letters differently.
  return pageOf(rows, f.limit, toProduct, (r) => [r.name_key, r.id]);
}

export async function listCategories(ctx: Ctx): Promise<string[]> {
  const { rows } = await ctx.tx.client.query(
    `SELECT DISTINCT category FROM products WHERE company_id = $1 AND category IS NOT NULL AND archived_at IS NULL ORDER BY category`,
    [ctx.companyId],
  );
  return rows.map((r) => r.category);
}

function uniqueSku(err: unknown): never {
  const e = ((err as { cause?: unknown }).cause ?? err) as { code?: string; constraint?: string };
  if (e.code === '23505' && e.constraint === 'products_sku') throw conflict('product.sku_taken');
  throw err;
}

export async function createProduct(ctx: Ctx, input: ProductInput, defaultTaxRate: number): Promise<Product> {
  const now = ctx.clock.now();
  const id = randomUUID();
  const threshold = input.lowStockThreshold ?? 0;
  await ctx.tx.client
    .query(
      `INSERT INTO products (company_id, id, name, sku, category, price, tax_rate, kind, duration_minutes, low_stock_threshold,
                             active, image_url, low_stock_alerted, created_at, updated_at, station)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)`,
      // A new good starts with nothing on hand: already "low" without any crossing to announce.
      [ctx.companyId, id, input.name.trim(), input.sku?.trim() || null, input.category?.trim() || null, input.price,
        input.taxRate ?? defaultTaxRate, input.kind, input.kind === 'service' ? (input.durationMinutes ?? null) : null, threshold,
        input.active ?? true, input.imageUrl ?? null, input.kind === 'good', now, input.station ?? null],
    )
    .catch(uniqueSku);
  return getProduct(ctx, id);
}

export async function updateProduct(ctx: Ctx, id: string, patch: Partial<ProductInput>): Promise<Product> {
  const { rows } = await ctx.tx.client.query('SELECT kind, on_hand FROM products WHERE company_id = $1 AND id = $2 FOR UPDATE', [ctx.companyId, id]);
  const current = rows[0];
  if (!current) throw notFound('product.not_found');
  if (patch.kind === 'service' && current.kind === 'good' && current.on_hand > 0) {
    throw conflict('product.has_stock', { onHand: current.on_hand });
  }
  const columns: Record<string, unknown> = {
    name: patch.name?.trim(),
    sku: patch.sku === undefined ? undefined : patch.sku?.trim() || null,
    category: patch.category === undefined ? undefined : patch.category?.trim() || null,
    price: patch.price,
    tax_rate: patch.taxRate,
    kind: patch.kind,
    duration_minutes: patch.durationMinutes,
    low_stock_threshold: patch.lowStockThreshold,
    active: patch.active,
    image_url: patch.imageUrl,
    station: patch.station,
  };
  const set = Object.entries(columns).filter(([, v]) => v !== undefined);
  const values = set.map(([, v]) => v);
  await ctx.tx.client
    .query(
      `UPDATE products SET ${set.map(([k], i) => `${k} = $${i + 3}`).concat(`updated_at = $${set.length + 3}`).join(', ')}
       WHERE company_id = $1 AND id = $2`,
      [ctx.companyId, id, ...values, ctx.clock.now()],
    )
    .catch(uniqueSku);
  if (patch.lowStockThreshold !== undefined) {
    // A new threshold is not a crossing: re-arm the alert quietly from the current stock.
    await ctx.tx.client.query(
      `UPDATE products SET low_stock_alerted = (kind = 'good' AND on_hand - held <= low_stock_threshold)
       WHERE company_id = $1 AND id = $2`,
      [ctx.companyId, id],
    );
  }
  return getProduct(ctx, id);
}

/** Archived products leave lists and cannot be held or sold; their history stays. */
export async function setArchived(ctx: Ctx, id: string, archived: boolean): Promise<Product> {
  const now = ctx.clock.now();
  const { rowCount } = await ctx.tx.client.query(
    `UPDATE products SET archived_at = $3, active = $4, updated_at = $5 WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, id, archived ? now : null, !archived, now],
  );
  if (!rowCount) throw notFound('product.not_found');
  return getProduct(ctx, id);
}
