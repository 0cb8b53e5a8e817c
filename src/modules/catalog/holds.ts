import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/context.ts';
import { conflict } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { decideHolds, type HoldLine, type HoldOwnerType, mergeLines, type Shortage } from './rules.ts';
import type { LockedProduct } from './stock.ts';
import { applyMovement, ensureLocked, saveStock, type StockMap } from './stock.ts';

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
 * Places many hold requests in the caller's transaction: locks every product they
 * name once, in id order, then grants each request all its lines or none, in order.
 * Services need no hold and are skipped; unknown, inactive or archived products
 * count as 0 available.
 */
export async function placeHoldsMany(ctx: Ctx, requests: readonly HoldRequest[], locked?: StockMap): Promise<HoldOutcome[]> {
  const stock = await ensureLocked(ctx, locked, requests.flatMap((r) => r.lines.map((l) => l.productId)));
  // decideHolds grows `held` on these same objects, so saveStock writes what was granted.
  const sellable = new Map<string, LockedProduct>();
  for (const p of stock.values()) if (p.kind === 'good' && p.active && !p.archived) sellable.set(p.id, p);
  const goodLines = requests.map((r) =>
    mergeLines(r.lines).filter((l) => stock.get(l.productId)?.kind !== 'service'),
  );
  const decisions = decideHolds(sellable, goodLines);
  const now = ctx.clock.now();
  const outcomes: HoldOutcome[] = [];
  const rows: Array<Hold & { expires: Date | null; by: Ctx }> = [];
  decisions.forEach((d, i) => {
    if (!d.ok) {
      outcomes.push(d);
      return;
    }
    const req = requests[i]!;
    const holds = goodLines[i]!.map((l) => ({
      id: randomUUID(),
      productId: l.productId,
      quantity: l.quantity,
      owner: req.owner,
      expiresAt: req.expiresAt?.toISOString() ?? null,
      expires: req.expiresAt,
      by: req.ctx ?? ctx,
    }));
    rows.push(...holds);
    outcomes.push({ ok: true, holds: holds.map(({ expires: _, by: __, ...h }) => h) });
  });
  for (const r of rows) stock.get(r.productId)!.dirty = true;
  if (rows.length) {
    await ctx.tx.client.query(
      `INSERT INTO holds (company_id, id, product_id, quantity, owner_type, owner_id, status, expires_at, created_at)
       SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::uuid[], $7::text[], $8::timestamptz[], $9::timestamptz[])`,
      [ctx.companyId, rows.map((r) => r.id), rows.map((r) => r.productId), rows.map((r) => r.quantity), rows.map((r) => r.owner.type),
        rows.map((r) => r.owner.id), rows.map(() => 'active'), rows.map((r) => r.expires), rows.map(() => now)],
    );
    for (const r of rows) {
      append(r.by, 'hold_placed', { holdId: r.id, productId: r.productId, quantity: r.quantity, owner: r.owner.type },
        { subjects: { productId: r.productId } });
    }
  }
  await saveStock(ctx, stock);
  return outcomes;
}

/** Places one owner's holds, all or none; refuses with 409 stock.insufficient naming each short line. */
export async function placeHolds(ctx: Ctx, owner: HoldOwner, lines: readonly HoldLine[], expiresAt: Date | null): Promise<Hold[]> {
  const [outcome] = await placeHoldsMany(ctx, [{ owner, lines, expiresAt }]);
  if (!outcome!.ok) throw conflict('stock.insufficient', { ...outcome!.shortages[0], lines: outcome!.shortages });
  return outcome!.holds;
}

interface ActiveHold {
  id: string;
  productId: string;
  quantity: number;
  ownerType: string;
  ownerId: string;
}

/** Candidate active holds of these owners, read before any lock (ends re-check the status). */
export async function holdsOfOwners(ctx: Ctx, owners: readonly HoldOwner[], productIds?: readonly string[]): Promise<ActiveHold[]> {
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

/**
 * Ends holds that are still active once their products are locked (a concurrent
 * sweep, release or consume may have ended some): returns those this call ended.
 */
async function endHolds(ctx: Ctx, stock: StockMap, candidates: readonly ActiveHold[], status: 'released' | 'consumed') {
  if (!candidates.length) return [];
  const { rows } = await ctx.tx.client.query(
    `UPDATE holds SET status = $3, ended_at = $4 WHERE company_id = $1 AND id = ANY($2::uuid[]) AND status = 'active'
     RETURNING id`,
    [ctx.companyId, candidates.map((h) => h.id), status, ctx.clock.now()],
  );
  const ended = new Set(rows.map((r) => r.id as string));
  const done = candidates.filter((h) => ended.has(h.id));
  for (const h of done) {
    const p = stock.get(h.productId)!;
    p.held -= h.quantity;
    p.dirty = true;
  }
  return done;
}

/** Gives back every active hold of these owners (optionally only some products). Returns how many were released. */
export async function releaseHolds(ctx: Ctx, owners: readonly HoldOwner[], productIds?: readonly string[]): Promise<number> {
  const counts = await releaseHoldsMany(ctx, owners.map((owner) => ({ owner, productIds })));
  return counts.reduce((a, b) => a + b, 0);
}

/** Releases for many requests in one pass (one lock of their products); answers a count per request. */
export async function releaseHoldsMany(
  ctx: Ctx,
  requests: ReadonlyArray<{ owner: HoldOwner; productIds?: readonly string[]; ctx?: Ctx }>,
  locked?: StockMap,
  candidates?: readonly ActiveHold[],
): Promise<number[]> {
  const all = candidates ?? (await holdsOfOwners(ctx, requests.map((r) => r.owner)));
  const index = new Map(requests.map((r, i) => [`${r.owner.type}:${r.owner.id}`, i]));
  const mine = all.filter((h) => {
    const i = index.get(`${h.ownerType}:${h.ownerId}`);
    const only = i === undefined ? undefined : requests[i]!.productIds;
    return i !== undefined && (!only || only.includes(h.productId));
  });
  const stock = await ensureLocked(ctx, locked, mine.map((h) => h.productId));
  const released = await endHolds(ctx, stock, mine, 'released');
  const counts = requests.map(() => 0);
  for (const h of released) {
    const i = index.get(`${h.ownerType}:${h.ownerId}`)!;
    counts[i]!++;
    append(requests[i]!.ctx ?? ctx, 'hold_released', { holdId: h.id, productId: h.productId, quantity: h.quantity }, { subjects: { productId: h.productId } });
  }
  await saveStock(ctx, stock);
  return counts;
}

/**
 * Turns the owner's active holds into `sale` movements in the caller's transaction
 * (on-hand and held both drop). Never refused: held stock is always on hand.
 */
export async function consumeHolds(ctx: Ctx, owner: HoldOwner, ref: { type: string; id: string }): Promise<ActiveHold[]> {
  const candidates = await holdsOfOwners(ctx, [owner]);
  const stock = await ensureLocked(ctx, undefined, candidates.map((h) => h.productId));
  const consumed = await endHolds(ctx, stock, candidates, 'consumed');
  for (const h of consumed) await applyMovement(ctx, stock.get(h.productId)!, { kind: 'sale', delta: -h.quantity, ref });
  await saveStock(ctx, stock);
  return consumed;
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
