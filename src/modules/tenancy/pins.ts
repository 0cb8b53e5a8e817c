import { hash, verify } from '@node-rs/argon2';
import type { Ctx } from '../../platform/context.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { conflict, DomainError, invalid, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import type { Role } from '../../platform/permissions.ts';

export const PIN_PATTERN = /^\d{4,6}$/;

/**
 * A 4–6 digit PIN has at most a million values, so no hash makes a stolen one safe to
 * keep: the defence is the lock-out after a few wrong tries. Lighter argon2id settings
 * keep a switch quick when every member's PIN is checked.
 */
const PIN_HASH = { memoryCost: 4096, timeCost: 2, parallelism: 1 };

/** Wrong PINs in a row before a till locks (or, off a till, before PIN checks pause). */
export const MAX_PIN_FAILURES = 5;
/** Off a till, wrong PINs are counted per person over this window. */
const PIN_WINDOW_MS = 15 * 60_000;
/** Choosing a PIN another member already has tells that it is someone's: at most this many per day. */
const MAX_PIN_COLLISIONS = 3;
const COLLISION_WINDOW_MS = 24 * 3600_000;

/** Sets (or clears, with null) a member's PIN. Another member of the company may not have the same one. */
export async function setPin(ctx: Ctx, userId: string, pin: string | null): Promise<void> {
  if (pin !== null && !PIN_PATTERN.test(pin)) throw invalid('pin', 'invalid_format');
  const rows = await lockPins(ctx);
  if (!rows.some((r) => r.user_id === userId)) throw notFound('member.not_found');
  if (pin !== null && (await holderOf(rows, pin, userId))) throw conflict('member.pin_taken');
  await storePin(ctx, userId, pin);
}

/** Every membership's PIN, locked (PIN changes in one company happen one at a time). */
async function lockPins(ctx: Ctx): Promise<Array<{ user_id: string; pin_hash: string | null }>> {
  const { rows } = await ctx.tx.client.query('SELECT user_id, pin_hash FROM memberships WHERE company_id = $1 FOR UPDATE', [ctx.companyId]);
  return rows;
}

async function holderOf(rows: Array<{ user_id: string; pin_hash: string | null }>, pin: string, except: string | null): Promise<string | null> {
  for (const r of rows) {
    if (r.user_id !== except && r.pin_hash && (await verify(r.pin_hash, pin))) return r.user_id;
  }
  return null;
}

/** Writes the PIN's hash (the caller checked it is free under lockPins); 404 if not a member. */
export async function storePin(ctx: Ctx, userId: string, pin: string | null): Promise<void> {
  const { rowCount } = await ctx.tx.client.query('UPDATE memberships SET pin_hash = $3, pin_set_at = $4 WHERE company_id = $1 AND user_id = $2', [
    ctx.companyId,
    userId,
    pin === null ? null : await hash(pin, PIN_HASH),
    pin === null ? null : ctx.clock.now(),
  ]);
  if (!rowCount) throw notFound('member.not_found');
}

/**
 * Checks a PIN someone chooses (for themselves or a colleague) is free, before
 * storePin in the same transaction. PINs are unique, so `taken` tells the chooser
 * that the PIN opens someone's account: one chooser's collisions are counted (in this
 * transaction, which the route still commits, answering 409 rather than throwing) and
 * past MAX_PIN_COLLISIONS a day refused with 429 `member.pin_throttled`.
 */
export async function checkPinChoice(ctx: Ctx, pin: string, forUserId: string | null): Promise<'free' | 'taken'> {
  if (!PIN_PATTERN.test(pin)) throw invalid('pin', 'invalid_format');
  const key = `pinset:${ctx.companyId}:${ctx.actor.type}:${ctx.actor.id ?? ''}`;
  const now = ctx.clock.now();
  // The chooser's row, locked: two concurrent choices by one person are counted one after the other.
  await ctx.tx.client.query('INSERT INTO auth_throttle (key, failures, window_start) VALUES ($1, 0, $2) ON CONFLICT (key) DO NOTHING', [key, now]);
  const { rows } = await ctx.tx.client.query('SELECT failures, window_start FROM auth_throttle WHERE key = $1 FOR UPDATE', [key]);
  const row = rows[0] as { failures: number; window_start: Date };
  const fresh = row.window_start.getTime() + COLLISION_WINDOW_MS <= now.getTime();
  const failures = fresh ? 0 : row.failures;
  if (failures >= MAX_PIN_COLLISIONS) {
    const retryAfterSeconds = Math.ceil((row.window_start.getTime() + COLLISION_WINDOW_MS - now.getTime()) / 1000);
    throw new DomainError('member.pin_throttled', 429, { retryAfterSeconds });
  }
  if (!(await holderOf(await lockPins(ctx), pin, forUserId))) return 'free';
  await ctx.tx.client.query('UPDATE auth_throttle SET failures = $2, window_start = $3 WHERE key = $1', [key, failures + 1, fresh ? now : row.window_start]);
  return 'taken';
}

export interface PinHolder {
  userId: string;
  name: string;
  role: Role;
}

/**
 * The member whose PIN this is (PINs are unique per company), or null. Every PIN is
 * checked so the time taken does not tell which one matched. Counts nothing: a person
 * typing a PIN goes through `pinAttempt` (the till switch, managerByPin).
 */
export async function whosePin(ctx: Ctx, pin: string): Promise<PinHolder | null> {
  if (!PIN_PATTERN.test(pin)) return null;
  const { rows } = await ctx.tx.client.query(
    `SELECT m.user_id, m.role, m.pin_hash, u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.company_id = $1 AND m.pin_hash IS NOT NULL`,
    [ctx.companyId],
  );
  let found: PinHolder | null = null;
  for (const r of rows) {
    if ((await verify(r.pin_hash, pin)) && !found) found = { userId: r.user_id, name: r.name, role: r.role };
  }
  return found;
}

/**
 * Runs fn in a transaction of its own in the company's scope, on the database's side
 * pool: it commits even if the calling command then fails. Without a database at hand
 * (a hand-made Tx in tests) it runs in the command's transaction.
 */
async function apart<T>(ctx: Ctx, fn: (c: Ctx) => Promise<T>): Promise<T> {
  const database = ctx.tx.database;
  if (!database) return fn(ctx);
  return inTransaction(database.apart?.() ?? database, { kind: 'company', companyId: ctx.companyId }, (tx) => fn({ ...ctx, tx }));
}

export interface TillLockOut {
  tillId: string;
  label: string;
  failures: number;
}

/**
 * Locks a till out: nobody acts, the enabling manager's session it held is gone (the
 * device must sign in again), and managers are told. Runs in the given transaction.
 */
export async function lockOutTill(ctx: Ctx, tillId: string): Promise<TillLockOut | null> {
  const { rows } = await ctx.tx.client.query(
    'SELECT label, failures, session_hash FROM till_devices WHERE company_id = $1 AND id = $2 AND locked_at IS NULL FOR UPDATE',
    [ctx.companyId, tillId],
  );
  if (!rows[0]) return null;
  await ctx.tx.client.query(
    `UPDATE till_devices SET locked_at = $3, acting_user_id = NULL, acting_since = NULL, session_hash = NULL
     WHERE company_id = $1 AND id = $2`,
    [ctx.companyId, tillId, ctx.clock.now()],
  );
  await ctx.tx.client.query('DELETE FROM auth_sessions WHERE id_hash = $1', [rows[0].session_hash]);
  const out = { tillId, label: rows[0].label as string, failures: rows[0].failures as number };
  append(ctx, 'till_locked_out', out, { level: 'warning' });
  return out;
}

export type PinAttempt<T> = { ok: true; value: T } | { ok: false; failuresLeft: number; lockedOut: boolean };

/**
 * One person typing a PIN, counted before it is checked, in a transaction of its own
 * (so parallel tries cannot slip past the count, and a command that fails afterwards
 * does not take the try back). On a till (ctx.tillId) the count is the till's: the
 * MAX_PIN_FAILURES-th wrong PIN in a row locks it out; a right one starts the count
 * again. Elsewhere the count is per person and per company over PIN_WINDOW_MS, and past
 * the limit answers 429 `pin.throttled`. A till already locked out answers 401 `till.locked`.
 * `check` gets the PIN's holder (or null) and says whether it is accepted.
 */
export async function pinAttempt<T>(ctx: Ctx, pin: string, check: (holder: PinHolder | null) => T | null): Promise<PinAttempt<T>> {
  const now = ctx.clock.now();
  const tillId = ctx.tillId;
  const throttleKey = `pin:${ctx.companyId}:${ctx.actor.type}:${ctx.actor.id ?? ''}`;
  const failures = await apart(ctx, async (c) => {
    if (tillId) {
      const { rows } = await c.tx.client.query(
        'UPDATE till_devices SET failures = failures + 1 WHERE company_id = $1 AND id = $2 AND locked_at IS NULL AND expires_at > $3 RETURNING failures',
        [ctx.companyId, tillId, now],
      );
      if (!rows[0]) throw new DomainError('till.locked', 401, { companyId: ctx.companyId });
      return rows[0].failures as number;
    }
    const { rows } = await c.tx.client.query(
      `INSERT INTO auth_throttle (key, failures, window_start) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN auth_throttle.window_start <= $3 THEN 1 ELSE auth_throttle.failures + 1 END,
         window_start = CASE WHEN auth_throttle.window_start <= $3 THEN $2 ELSE auth_throttle.window_start END
       RETURNING failures, window_start`,
      [throttleKey, now, new Date(now.getTime() - PIN_WINDOW_MS)],
    );
    const n = rows[0].failures as number;
    if (n > MAX_PIN_FAILURES) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((rows[0].window_start as Date).getTime() + PIN_WINDOW_MS - now.getTime()) / 1000));
      throw new DomainError('pin.throttled', 429, { retryAfterSeconds });
    }
    return n;
  });
  if (tillId && failures > MAX_PIN_FAILURES) {
    // Tries that raced the one that locked the till: it is locked (or about to be).
    await apart(ctx, (c) => lockOutTill(c, tillId));
    throw new DomainError('till.locked', 401, { companyId: ctx.companyId });
  }
  const value = check(await whosePin(ctx, pin));
  if (value !== null) {
    await apart(ctx, async (c) => {
      if (tillId) await c.tx.client.query('UPDATE till_devices SET failures = 0 WHERE company_id = $1 AND id = $2', [ctx.companyId, tillId]);
      else await c.tx.client.query('DELETE FROM auth_throttle WHERE key = $1', [throttleKey]);
    });
    return { ok: true, value };
  }
  const lockedOut = tillId !== undefined && failures >= MAX_PIN_FAILURES;
  if (lockedOut) await apart(ctx, (c) => lockOutTill(c, tillId));
  return { ok: false, failuresLeft: Math.max(0, MAX_PIN_FAILURES - failures), lockedOut };
}

/**
 * A manager's (or owner's) PIN, for an approval on the spot; null if it is not one.
 * Every try counts (see pinAttempt): on a till, wrong ones lock it out like wrong
 * switches (401 `till.locked` once locked); elsewhere 429 `pin.throttled` past the limit.
 */
export async function managerByPin(ctx: Ctx, pin: string): Promise<PinHolder | null> {
  const attempt = await pinAttempt(ctx, pin, (h) => (h && (h.role === 'owner' || h.role === 'manager') ? h : null));
  if (attempt.ok) return attempt.value;
  if (attempt.lockedOut) throw new DomainError('till.locked', 401, { companyId: ctx.companyId });
  return null;
}
