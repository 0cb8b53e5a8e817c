/**
 * Till mode: a shared device where staff switch user with their PIN.
 *
 * Enabling. A manager or owner, signed in with their password on the device, calls
 * `POST /companies/{c}/till {label}`. The device's sign-in session is handed to the
 * till: the session cookie is cleared on the device (so nobody at the till can act as
 * that manager), the till row keeps the session's hash, and the device gets a random
 * HttpOnly, SameSite=Strict cookie `comptoir_till` (stored as its SHA-256 only) plus a
 * new CSRF token. Nobody acts yet: the device shows the PIN pad.
 *
 * Switching. `POST /companies/{c}/till/switch {pin}` (one request) finds the member
 * whose PIN it is (PINs are unique per company; every hash is checked, light argon2id)
 * and makes them the till's acting member. From then on the guard turns the till
 * cookie into that member's principal (`kind: 'user'`, `till` set): ctx.actor, the
 * RLS user, notifications and permissions are theirs, with their own role read from
 * their membership on every request (a server on the till has server permissions; a
 * PIN can never give more than its holder's role). `POST …/till/lock` returns to the
 * pad; sign-out on a till does the same.
 *
 * What a till can never do. The cookie is bound to one company: any other company's
 * routes answer 404, routes about no company are refused (`till.forbidden`) except
 * `GET /me` (which then lists the till's company only), and the pad reaches only the
 * till's own routes (else 401 `till.pin_required`). What decides who gets in (members,
 * PINs, API tokens: permissions outside `pinMayDo`) needs a full sign-in
 * (`till.full_sign_in_required`): a PIN seen over a shoulder must not become lasting
 * access. CSRF is enforced against the till's own token.
 *
 * Wrong PINs. Each try is counted before it is checked, in a transaction of its own
 * (pins.ts `pinAttempt`), so parallel tries cannot pass the count and a failing command
 * cannot take a try back; a right PIN starts the count again. The 5th wrong PIN in a
 * row (switches and manager approvals on that till alike) locks the till out: nobody
 * acts, the manager's session it held is deleted, the device cookie is cleared, and the
 * device answers 401 `till.locked` until a manager signs in again with their password
 * (sign-in ends whatever till the device was) and re-enables till mode.
 *
 * How it ends. With the session it holds (cascade): the manager's sign-out elsewhere
 * does not touch it, but a password change or reset, the owner setting their password,
 * or the session's expiry end the till; also when the enabling manager stops being a
 * manager or owner of the company, after TILL_LIFETIME_HOURS at most, on
 * `DELETE /companies/{c}/till` (a manager or owner acting on it), and when someone
 * signs in with a password on the device.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { type Database, inTransaction } from '../../platform/db/tx.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import type { TillResolution } from '../../platform/http/auth.ts';
import type { Role } from '../../platform/permissions.ts';
import { MAX_PIN_FAILURES, type PinHolder, pinAttempt } from './pins.ts';

/** The longest a till lasts, whatever the session it holds (a long service day). */
export const TILL_LIFETIME_HOURS = 16;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = (bytes = 32) => randomBytes(bytes).toString('base64url');
const MANAGER_ROLES: readonly Role[] = ['owner', 'manager'];

/** Who may set or clear another member's PIN: an owner anyone's, a manager a cashier's or a server's. */
export function mayManagePin(actorRole: Role, targetRole: Role): boolean {
  if (actorRole === 'owner') return true;
  if (actorRole === 'manager') return targetRole === 'cashier' || targetRole === 'server';
  return false;
}

/**
 * The till a device cookie names, as the guard needs it: null when there is none or it
 * has ended (expired, its session gone, its manager no longer one); a locked-out till
 * still resolves (locked) so the device is told. Runs as the owner role (no tenant yet).
 */
export async function resolveTill(db: Database, clock: Clock, raw: string): Promise<TillResolution | null> {
  const { rows } = await db.pool.query(
    `SELECT t.id, t.company_id, t.csrf_token, t.locked_at, s.expires_at AS session_expires, em.role AS manager_role,
            CASE WHEN am.user_id IS NOT NULL THEN t.acting_user_id END AS acting_user_id
     FROM till_devices t
     LEFT JOIN auth_sessions s ON s.id_hash = t.session_hash
     LEFT JOIN memberships em ON em.company_id = t.company_id AND em.user_id = t.enabled_by
     LEFT JOIN memberships am ON am.company_id = t.company_id AND am.user_id = t.acting_user_id
     WHERE t.id_hash = $1 AND t.expires_at > $2`,
    [sha256(raw), clock.now()],
  );
  const t = rows[0];
  if (!t) return null;
  const base = { tillId: t.id as string, companyId: t.company_id as string, csrfToken: t.csrf_token as string };
  if (t.locked_at) return { ...base, locked: true, actingUserId: null };
  if (!t.session_expires || (t.session_expires as Date) <= clock.now()) return null;
  if (!MANAGER_ROLES.includes(t.manager_role)) return null;
  return { ...base, locked: false, actingUserId: (t.acting_user_id as string | null) ?? null };
}

export interface TillState {
  companyName: string;
  /** Whether the calling device is a till of this company. */
  enabled: boolean;
  /** Off a till: whether the caller may turn this device into one. */
  canEnable: boolean;
  till: {
    id: string;
    label: string;
    enabledBy: { userId: string; name: string };
    expiresAt: string;
    acting: { userId: string; name: string; role: Role } | null;
    failuresLeft: number;
    maxFailures: number;
    /** Who can take the till (names only, for the PIN pad). */
    pinHolders: Array<{ userId: string; name: string }>;
  } | null;
}

/** The device's till state; `tillId` is the calling device's till, if it is one. */
export async function tillState(ctx: Ctx, tillId: string | undefined, caller: { role?: Role; fullSignIn: boolean }): Promise<TillState> {
  const canEnable = caller.fullSignIn && caller.role !== undefined && MANAGER_ROLES.includes(caller.role);
  const company = await ctx.tx.client.query('SELECT name FROM companies WHERE id = $1', [ctx.companyId]);
  const companyName = (company.rows[0]?.name as string | undefined) ?? '';
  if (!tillId) return { companyName, enabled: false, canEnable, till: null };
  const { rows } = await ctx.tx.client.query(
    `SELECT t.id, t.label, t.enabled_by, e.name AS enabled_by_name, t.expires_at, t.failures,
            t.acting_user_id, a.name AS acting_name, am.role AS acting_role
     FROM till_devices t JOIN users e ON e.id = t.enabled_by
     LEFT JOIN memberships am ON am.company_id = t.company_id AND am.user_id = t.acting_user_id
     LEFT JOIN users a ON a.id = am.user_id
     WHERE t.company_id = $1 AND t.id = $2`,
    [ctx.companyId, tillId],
  );
  const t = rows[0];
  if (!t) throw notFound('till.not_found');
  const holders = await ctx.tx.client.query(
    `SELECT u.id, u.name FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.company_id = $1 AND m.pin_hash IS NOT NULL ORDER BY u.name, u.id`,
    [ctx.companyId],
  );
  return {
    companyName,
    enabled: true,
    canEnable: false,
    till: {
      id: t.id,
      label: t.label,
      enabledBy: { userId: t.enabled_by, name: t.enabled_by_name },
      expiresAt: (t.expires_at as Date).toISOString(),
      acting: t.acting_role ? { userId: t.acting_user_id, name: t.acting_name, role: t.acting_role } : null,
      failuresLeft: Math.max(0, MAX_PIN_FAILURES - (t.failures as number)),
      maxFailures: MAX_PIN_FAILURES,
      pinHolders: holders.rows.map((r) => ({ userId: r.id, name: r.name })),
    },
  };
}

export interface EnabledTill {
  tillId: string;
  raw: string;
  csrf: string;
  maxAgeSeconds: number;
}

/**
 * Turns the caller's device into a till of ctx's company: the caller's session (by
 * hash) now belongs to the till. 409 `till.already_enabled` if that session already
 * backs one.
 */
export async function enableTill(ctx: Ctx, input: { userId: string; sessionHash: string; label: string }): Promise<EnabledTill> {
  const now = ctx.clock.now();
  const { rows: sessions } = await ctx.tx.client.query('SELECT expires_at FROM auth_sessions WHERE id_hash = $1 AND user_id = $2 AND expires_at > $3', [
    input.sessionHash,
    input.userId,
    now,
  ]);
  if (!sessions[0]) throw forbidden('till.session_required');
  const expiresAt = new Date(Math.min((sessions[0].expires_at as Date).getTime(), now.getTime() + TILL_LIFETIME_HOURS * 3600_000));
  // Ended tills of the company go when a new one comes, with the sessions they held (never usable again).
  await ctx.tx.client.query(
    `DELETE FROM auth_sessions WHERE id_hash IN (SELECT session_hash FROM till_devices WHERE company_id = $1 AND expires_at <= $2)`,
    [ctx.companyId, now],
  );
  await ctx.tx.client.query('DELETE FROM till_devices WHERE company_id = $1 AND expires_at <= $2', [ctx.companyId, now]);
  const raw = token();
  const csrf = token(24);
  const id = randomUUID();
  const label = input.label.trim();
  const { rowCount } = await ctx.tx.client.query(
    `INSERT INTO till_devices (company_id, id, id_hash, label, enabled_by, session_hash, csrf_token, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (session_hash) DO NOTHING`,
    [ctx.companyId, id, sha256(raw), label, input.userId, input.sessionHash, csrf, now, expiresAt],
  );
  if (!rowCount) throw conflict('till.already_enabled');
  // The session now belongs to the till: it no longer works as a sign-in cookie.
  await ctx.tx.client.query('UPDATE auth_sessions SET held_by_till = true WHERE id_hash = $1', [input.sessionHash]);
  append(ctx, 'till_enabled', { tillId: id, label });
  return { tillId: id, raw, csrf, maxAgeSeconds: Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)) };
}

export type SwitchResult =
  | { ok: true; acting: PinHolder }
  | { ok: false; failuresLeft: number; lockedOut: boolean };

/**
 * The PIN's holder becomes the till's acting member (ctx.tillId is the till). A wrong
 * PIN counts (pins.ts pinAttempt) and the last allowed one locks the till out.
 */
export async function switchUser(ctx: Ctx, pin: string): Promise<SwitchResult> {
  const tillId = ctx.tillId;
  if (!tillId) throw conflict('till.not_enabled');
  const attempt = await pinAttempt(ctx, pin, (holder) => holder);
  if (!attempt.ok) return attempt;
  const holder = attempt.value;
  const { rows } = await ctx.tx.client.query(
    `UPDATE till_devices t SET acting_user_id = $3, acting_since = $4
     FROM (SELECT acting_user_id FROM till_devices WHERE company_id = $1 AND id = $2 FOR UPDATE) before
     WHERE t.company_id = $1 AND t.id = $2 AND t.locked_at IS NULL
     RETURNING t.label, before.acting_user_id AS previous`,
    [ctx.companyId, tillId, holder.userId, ctx.clock.now()],
  );
  if (!rows[0]) throw conflict('till.not_enabled');
  // What follows on this till is the holder's doing, starting with the switch itself.
  const asHolder: Ctx = { ...ctx, actor: { type: 'user', id: holder.userId }, role: holder.role };
  append(
    asHolder,
    'till_switched',
    { tillId, label: rows[0].label, userId: holder.userId, ...(rows[0].previous && rows[0].previous !== holder.userId ? { previousUserId: rows[0].previous } : {}) },
    { subjects: { userId: holder.userId } },
  );
  return { ok: true, acting: holder };
}

/** Back to the PIN pad: nobody acts on the till. */
export async function lockTill(ctx: Ctx): Promise<void> {
  if (!ctx.tillId) throw conflict('till.not_enabled');
  await ctx.tx.client.query('UPDATE till_devices SET acting_user_id = NULL, acting_since = NULL WHERE company_id = $1 AND id = $2', [
    ctx.companyId,
    ctx.tillId,
  ]);
}

/** Ends till mode on this device: the till and the session it held are gone. */
export async function disableTill(ctx: Ctx): Promise<void> {
  if (!ctx.tillId) throw conflict('till.not_enabled');
  const { rows } = await ctx.tx.client.query('DELETE FROM till_devices WHERE company_id = $1 AND id = $2 RETURNING label, session_hash', [
    ctx.companyId,
    ctx.tillId,
  ]);
  if (!rows[0]) throw conflict('till.not_enabled');
  if (rows[0].session_hash) await ctx.tx.client.query('DELETE FROM auth_sessions WHERE id_hash = $1', [rows[0].session_hash]);
  append(ctx, 'till_disabled', { tillId: ctx.tillId, label: rows[0].label });
}

/**
 * A password sign-in on a device that was a till ends that till (and the session it
 * held): the device is now the signed-in person's. Runs as the owner role.
 */
export async function endTillOnSignIn(db: Database, clock: Clock, raw: string, userId: string): Promise<void> {
  await inTransaction(db, { kind: 'system' }, async (tx) => {
    const { rows } = await tx.client.query('DELETE FROM till_devices WHERE id_hash = $1 RETURNING company_id, id, label, session_hash, locked_at', [sha256(raw)]);
    const t = rows[0];
    if (!t) return;
    if (t.session_hash) await tx.client.query('DELETE FROM auth_sessions WHERE id_hash = $1', [t.session_hash]);
    if (!t.locked_at) {
      append({ companyId: t.company_id, actor: { type: 'user', id: userId }, clock, tx }, 'till_disabled', { tillId: t.id, label: t.label });
    }
  });
}
