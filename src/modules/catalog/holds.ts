import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { decideHolds, type HoldLine, type HoldOwnerType, mergeLines, type Shortage } from './rules.ts';
import type { LockedProduct } from './stock.ts';
import { applyMovement, type EndedHold, lockAndEnd, lockProducts, type NewHold, saveStock, type StockMap } from './stock.ts';

export interface HoldOwner {
  type: HoldOwnerType;
  id: string;
}

export interface Hold {
  id: string;
  productId: string;
  quantity: number;
  owner: HoldOwner;
  expiresAt: string | null;
}

export interface HoldRequest {
  owner: HoldOwner;
  lines: readonly HoldLine[];
  /** null: no expiry (an open sale). */
  expiresAt: Date | null;
  /** Whose request this is, for its events, when many share one transaction. */
  ctx?: Ctx;
}

export type HoldOutcome = { ok: true; holds: Hold[] } | { ok: false; shortages: Shortage[] };

/**
 * Decides hold requests against locked stock and prepares their rows (no I/O):
 * each request gets all its lines or none, in order. Services need no hold and are
 * skipped; unknown, inactive or archived products count as 0 available. The caller
 * writes `inserts` with saveStock.
 */
export function planHolds(ctx: Ctx, stock: StockMap, requests: readonly HoldRequest[]): { outcomes: HoldOutcome[]; inserts: NewHold[] } {
  // decideHolds grows `held` on these same objects, so saveStock writes what was granted.
  const sellable = new Map<string, LockedProduct>();
  for (const p of stock.values()) if (p.kind === 'good' && p.active && !p.archived) sellable.set(p.id, p);
  const goodLines = requests.map((r) => mergeLines(r.lines).filter((l) => stock.get(l.productId)?.kind !== 'service'));
  const decisions = decideHolds(sellable, goodLines);
  const inserts: NewHold[] = [];
  const outcomes = decisions.map((d, i): HoldOutcome => {
    if (!d.ok) return d;
    const req = requests[i]!;
    const holds = goodLines[i]!.map((l) => ({
      id: randomUUID(),
      productId: l.productId,
      quantity: l.quantity,
      owner: req.owner,
      expiresAt: req.expiresAt?.toISOString() ?? null,
    }));
    for (const h of holds) {
      stock.get(h.productId)!.dirty = true;
      inserts.push({ id: h.id, productId: h.productId, quantity: h.quantity, ownerType: h.owner.type, ownerId: h.owner.id, expiresAt: req.expiresAt });
      append(req.ctx ?? ctx, 'hold_placed', { holdId: h.id, productId: h.productId, quantity: h.quantity, owner: h.owner.type },
        { subjects: { productId: h.productId } });
    }
    return { ok: true, holds };
  });
  return { outcomes, inserts };
}

/** Places many hold requests in the caller's transaction: one lock of every product they name, one write. */
export async function placeHoldsMany(ctx: Ctx, requests: readonly HoldRequest[]): Promise<HoldOutcome[]> {
  const stock = await lockProducts(ctx, requests.flatMap((r) => r.lines.map((l) => l.productId)));
  const { outcomes, inserts } = planHolds(ctx, stock, requests);
  await saveStock(ctx, stock, inserts);
  return outcomes;
}

/** Places one owner's holds, all or none; refuses with 409 stock.insufficient naming each short line. */
export async function placeHolds(ctx: Ctx, owner: HoldOwner, lines: readonly HoldLine[], expiresAt: Date | null): Promise<Hold[]> {
  const [outcome] = await placeHoldsMany(ctx, [{ owner, lines, expiresAt }]);
  if (!outcome!.ok) throw conflict('stock.insufficient', { ...outcome!.shortages[0], lines: outcome!.shortages });
  return outcome!.holds;
}

/** Candidate active holds of these owners, read before any lock (the lock statement re-checks them). */
export async function holdsOfOwners(ctx: Ctx, owners: readonly HoldOwner[], productIds?: readonly string[]): Promise<EndedHold[]> {
  if (!owners.length) return [];
  const { rows } = await ctx.tx.client.query(
    `SELECT id, product_id, quantity, owner_type, owner_id FROM holds
     WHERE company_id = $1 AND status = 'active' AND owner_type = ANY($2::text[]) AND owner_id = ANY($3::uuid[])
       AND ($4::uuid[] IS NULL OR product_id = ANY($4::uuid[]))`,
    [ctx.companyId, [...new Set(owners.map((o) => o.type))], owners.map((o) => o.id), productIds ?? null],
  );
  const wanted = new Set(owners.map((o) => `${o.type}:${o.id}`));
  return rows
    .filter((r) => wanted.has(`${r.owner_type}:${r.owner_id}`))
    .map((r) => ({ id: r.id, productId: r.product_id, quantity: r.quantity, ownerType: r.owner_type, ownerId: r.owner_id }));
}

export interface ReleaseRequest {
  owner: HoldOwner;
  productIds?: readonly string[];
  ctx?: Ctx;
}

/** The candidates each request asks to release. */
export function releaseCandidates(requests: readonly ReleaseRequest[], candidates: readonly EndedHold[]): EndedHold[] {
  const index = new Map(requests.map((r, i) => [`${r.owner.type}:${r.owner.id}`, i]));
  return candidates.filter((h) => {
    const i = index.get(`${h.ownerType}:${h.ownerId}`);
    const only = i === undefined ? undefined : requests[i]!.productIds;
    return i !== undefined && (!only || only.includes(h.productId));
  });
}

/** Counts and announces (hold_released, with each request's actor) what the lock statement released. */
export function recordReleases(ctx: Ctx, requests: readonly ReleaseRequest[], released: readonly EndedHold[]): number[] {
  const index = new Map(requests.map((r, i) => [`${r.owner.type}:${r.owner.id}`, i]));
  const counts = requests.map(() => 0);
  for (const h of released) {
    const i = index.get(`${h.ownerType}:${h.ownerId}`)!;
    counts[i]!++;
    append(requests[i]!.ctx ?? ctx, 'hold_released', { holdId: h.id, productId: h.productId, quantity: h.quantity }, { subjects: { productId: h.productId } });
  }
  return counts;
}

/** Gives back every active hold of these owners (optionally only some products). Returns how many were released. */
export async function releaseHolds(ctx: Ctx, owners: readonly HoldOwner[], productIds?: readonly string[]): Promise<number> {
  const counts = await releaseHoldsMany(ctx, owners.map((owner) => ({ owner, productIds })));
  return counts.reduce((a, b) => a + b, 0);
}

/** Releases for many requests: one read of candidates, one lock that ends them, one write. Answers a count per request. */
export async function releaseHoldsMany(ctx: Ctx, requests: readonly ReleaseRequest[]): Promise<number[]> {
  const mine = releaseCandidates(requests, await holdsOfOwners(ctx, requests.map((r) => r.owner)));
  const { stock, ended } = await lockAndEnd(ctx, mine.map((h) => h.productId), mine.map((h) => h.id), 'released');
  const counts = recordReleases(ctx, requests, ended);
  await saveStock(ctx, stock);
  return counts;
}

/**
 * Turns the owner's active holds into `sale` movements in the caller's transaction
 * (on-hand and held both drop). Never refused: held stock is always on hand.
 */
export async function consumeHolds(ctx: Ctx, owner: HoldOwner, ref: { type: string; id: string }): Promise<EndedHold[]> {
  const candidates = await holdsOfOwners(ctx, [owner]);
  const { stock, ended } = await lockAndEnd(ctx, candidates.map((h) => h.productId), candidates.map((h) => h.id), 'consumed');
  for (const h of ended) await applyMovement(ctx, stock.get(h.productId)!, { kind: 'sale', delta: -h.quantity, ref });
  await saveStock(ctx, stock);
  return ended;
}

/** Extends the owner's active, expiring holds once by holdMinutes. Answers the new expiry, or null if none could be. */
export async function extendHolds(ctx: Ctx, owner: HoldOwner, holdMinutes: number): Promise<Date | null> {
  const now = ctx.clock.now();
  const { rows } = await ctx.tx.client.query(
    `UPDATE holds SET expires_at = expires_at + make_interval(mins => $4), extended = true
     WHERE company_id = $1 AND owner_type = $2 AND owner_id = $3 AND status = 'active'
       AND expires_at IS NOT NULL AND expires_at > $5 AND NOT extended
     RETURNING expires_at`,
    [ctx.companyId, owner.type, owner.id, holdMinutes, now],
  );
  if (!rows.length) return null;
  return rows.reduce((max: Date, r) => (r.expires_at > max ? r.expires_at : max), rows[0].expires_at);
}

/**
 * Hands one owner's live holds to another (a confirmed online order's cart holds become
 * its sale's): the stock stays held, nothing is re-checked, the new holds do not expire.
 * Answers the quantity handed over per product (lapsed holds are not, and get swept).
 */
export async function transferHolds(ctx: Ctx, from: HoldOwner, to: HoldOwner): Promise<Map<string, number>> {
  const { rows } = await ctx.tx.client.query(
    `UPDATE holds SET owner_type = $4, owner_id = $5, expires_at = NULL
     WHERE company_id = $1 AND owner_type = $2 AND owner_id = $3 AND status = 'active' AND (expires_at IS NULL OR expires_at > $6)
     RETURNING product_id, quantity`,
    [ctx.companyId, from.type, from.id, to.type, to.id, ctx.clock.now()],
  );
  const moved = new Map<string, number>();
  for (const r of rows) moved.set(r.product_id, (moved.get(r.product_id) ?? 0) + r.quantity);
  return moved;
}

/** The owner's active (unexpired) holds. */
export async function activeHolds(ctx: Ctx, owner: HoldOwner): Promise<Hold[]> {
  const { rows } = await ctx.tx.client.query(
    `SELECT id, product_id, quantity, expires_at FROM holds
     WHERE company_id = $1 AND owner_type = $2 AND owner_id = $3 AND status = 'active'
       AND (expires_at IS NULL OR expires_at > $4) ORDER BY created_at, id`,
    [ctx.companyId, owner.type, owner.id, ctx.clock.now()],
  );
  return rows.map((r) => ({ id: r.id, productId: r.product_id, quantity: r.quantity, owner, expiresAt: r.expires_at?.toISOString() ?? null }));
}
