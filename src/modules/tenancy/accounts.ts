import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Clock } from '../../platform/clock.ts';
import type { Database, Tx } from '../../platform/db/tx.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import type { Role } from '../../platform/permissions.ts';
import { normalizeEmail, passwordProblem } from './rules.ts';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = (bytes = 32) => randomBytes(bytes).toString('base64url');

export interface User {
  id: string;
  name: string;
  email: string | null;
  locale: string;
}

export interface NewSession {
  raw: string;
  csrf: string;
  maxAgeSeconds: number;
}

const THROTTLE_WINDOW_MS = 15 * 60_000;
const IP_FACTOR = 4;
// Verifying against a real hash for unknown e-mails keeps response times alike.
let dummyHash: Promise<string> | null = null;

export function checkPassword(password: string, field = 'password') {
  const problem = passwordProblem(password);
  if (problem) throw new DomainError('auth.weak_password', 400, { reason: problem }, [{ field, code: problem }]);
}

export const hashPassword = (password: string) => hash(password);

export function toUser(r: Record<string, unknown>): User {
  return { id: r.id as string, name: r.name as string, email: (r.email as string | null) ?? null, locale: r.locale as string };
}

/** Creates the account (unique e-mail, or none) and returns it; the caller opens a session. */
export async function createUser(
  tx: Tx,
  clock: Clock,
  input: { name: string; email: string | null; password?: string },
): Promise<User> {
  if (input.password !== undefined) checkPassword(input.password);
  const now = clock.now();
  // Without an e-mail (staff who use a PIN only) the account can never sign in with a password.
  const { rows } = await tx.client.query(
    `INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT DO NOTHING RETURNING id, name, email, locale`,
    [
      randomUUID(),
      input.email === null ? null : normalizeEmail(input.email),
      input.name.trim(),
      input.password && input.email !== null ? await hashPassword(input.password) : null,
      now,
    ],
  );
  if (!rows[0]) throw new DomainError('auth.email_taken', 409, {}, [{ field: 'email', code: 'taken' }]);
  return toUser(rows[0]);
}

export async function openSession(tx: Tx, clock: Clock, userId: string, days: number, meta: { ip?: string; ua?: string }) {
  const raw = token();
  const csrf = token(24);
  const now = clock.now();
  await tx.client.query(
    `INSERT INTO auth_sessions (id_hash, user_id, csrf_token, ip, user_agent, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [sha256(raw), userId, csrf, meta.ip ?? null, meta.ua?.slice(0, 500) ?? null, now, new Date(now.getTime() + days * 86_400_000)],
  );
  return { raw, csrf, maxAgeSeconds: days * 86_400 } satisfies NewSession;
}

async function throttleState(db: Database, keys: Array<{ key: string; max: number }>, now: Date) {
  const { rows } = await db.pool.query<{ key: string; failures: number; window_start: Date }>(
    'SELECT key, failures, window_start FROM auth_throttle WHERE key = ANY($1)',
    [keys.map((k) => k.key)],
  );
  let retryAfter = 0;
  for (const r of rows) {
    const max = keys.find((k) => k.key === r.key)!.max;
    const ends = r.window_start.getTime() + THROTTLE_WINDOW_MS;
    if (r.failures >= max && ends > now.getTime()) retryAfter = Math.max(retryAfter, Math.ceil((ends - now.getTime()) / 1000));
  }
  return retryAfter;
}

async function recordFailure(db: Database, keys: string[], now: Date) {
  await db.pool.query(
    `INSERT INTO auth_throttle (key, failures, window_start) SELECT k, 1, $2 FROM unnest($1::text[]) k
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN auth_throttle.window_start <= $3 THEN 1 ELSE auth_throttle.failures + 1 END,
       window_start = CASE WHEN auth_throttle.window_start <= $3 THEN $2 ELSE auth_throttle.window_start END`,
    [keys, now, new Date(now.getTime() - THROTTLE_WINDOW_MS)],
  );
}

/**
 * Checks e-mail and password. Failed attempts are counted per e-mail and per IP
 * (shared by every instance); past the limit the caller gets 429 with Retry-After.
 */
export async function authenticate(
  db: Database,
  clock: Clock,
  input: { email: string; password: string; ip: string; maxFailures: number },
): Promise<User> {
  const email = normalizeEmail(input.email);
  const keys = [
    { key: `email:${email}`, max: input.maxFailures },
    { key: `ip:${input.ip}`, max: input.maxFailures * IP_FACTOR },
  ];
  const now = clock.now();
  const wait = await throttleState(db, keys, now);
  if (wait > 0) throw new DomainError('auth.throttled', 429, { retryAfterSeconds: wait });
  const { rows } = await db.pool.query('SELECT id, name, email, locale, password_hash FROM users WHERE lower(email) = $1', [email]);
  const row = rows[0];
  dummyHash ??= hashPassword(token());
  const ok = await verify(row?.password_hash ?? (await dummyHash), input.password).catch(() => false);
  if (!row?.password_hash || !ok) {
    await recordFailure(db, keys.map((k) => k.key), now);
    throw new DomainError('auth.invalid_credentials', 401);
  }
  await db.pool.query('DELETE FROM auth_throttle WHERE key = $1', [keys[0]!.key]);
  return toUser(row);
}

export async function closeSession(db: Database, sessionHash: string) {
  await db.pool.query('DELETE FROM auth_sessions WHERE id_hash = $1', [sessionHash]);
}

export async function changePassword(tx: Tx, clock: Clock, userId: string, current: string, next: string, keepSession: string) {
  const { rows } = await tx.client.query('SELECT password_hash FROM users WHERE id = $1', [userId]);
  const ok = rows[0]?.password_hash && (await verify(rows[0].password_hash, current).catch(() => false));
  if (!ok) throw new DomainError('auth.invalid_credentials', 400, {}, [{ field: 'currentPassword', code: 'incorrect' }]);
  checkPassword(next, 'newPassword');
  await tx.client.query('UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1', [userId, await hashPassword(next), clock.now()]);
  // Other devices are signed out; this one stays.
  await tx.client.query('DELETE FROM auth_sessions WHERE user_id = $1 AND id_hash <> $2', [userId, keepSession]);
}

/** Stores a one-hour reset token (hashed) and returns the raw token for the e-mail, or null if no such user. */
export async function createPasswordReset(tx: Tx, clock: Clock, email: string): Promise<{ raw: string; user: User } | null> {
  const { rows } = await tx.client.query('SELECT id, name, email, locale FROM users WHERE lower(email) = $1', [normalizeEmail(email)]);
  if (!rows[0]) return null;
  const raw = token();
  const now = clock.now();
  await tx.client.query(
    'INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
    [sha256(raw), rows[0].id, now, new Date(now.getTime() + 3600_000)],
  );
  return { raw, user: toUser(rows[0]) };
}

export async function confirmPasswordReset(tx: Tx, clock: Clock, raw: string, password: string) {
  checkPassword(password);
  const now = clock.now();
  const { rows } = await tx.client.query(
    `UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`,
    [sha256(raw), now],
  );
  if (!rows[0]) throw invalid('token', 'invalid_or_expired');
  await tx.client.query('UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1', [rows[0].user_id, await hashPassword(password), now]);
  await tx.client.query('DELETE FROM auth_sessions WHERE user_id = $1', [rows[0].user_id]);
}

/**
 * Session cookie -> principal; expired sessions do not count, nor one handed over to a
 * shared till (see till.ts: only the till's own cookie uses it then).
 */
export async function resolveSession(db: Database, clock: Clock, raw: string) {
  const idHash = sha256(raw);
  const { rows } = await db.pool.query(
    'SELECT user_id, csrf_token FROM auth_sessions WHERE id_hash = $1 AND expires_at > $2 AND NOT held_by_till',
    [idHash, clock.now()],
  );
  if (!rows[0]) return null;
  return { kind: 'user' as const, userId: rows[0].user_id as string, sessionHash: idHash, csrfToken: rows[0].csrf_token as string };
}

type TokenPrincipal = { kind: 'token'; tokenId: string; companyId: string; role: Role };

/**
 * Integrations call many times a second: a token seen in the last TOKEN_CACHE_MS is
 * not looked up again. Revoking forgets it at once in this process; other instances
 * stop accepting it within TOKEN_CACHE_MS.
 */
export const TOKEN_CACHE_MS = 2000;
const tokenCache = new Map<string, { principal: TokenPrincipal; until: number }>();

export function forgetToken(tokenId: string): void {
  for (const [hash, entry] of tokenCache) if (entry.principal.tokenId === tokenId) tokenCache.delete(hash);
}

/** Bearer token -> principal of its company, unless revoked. last_used_at moves at most once a minute. */
export async function resolveToken(db: Database, clock: Clock, raw: string): Promise<TokenPrincipal | null> {
  const hash = sha256(raw);
  const cached = tokenCache.get(hash);
  if (cached && cached.until > Date.now()) return cached.principal;
  const now = clock.now();
  const { rows } = await db.pool.query(
    'SELECT company_id, id, role, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
    [hash],
  );
  const t = rows[0];
  if (!t) {
    tokenCache.delete(hash);
    return null;
  }
  if (!t.last_used_at || now.getTime() - (t.last_used_at as Date).getTime() > 60_000) {
    await db.pool.query('UPDATE api_tokens SET last_used_at = $3 WHERE company_id = $1 AND id = $2', [t.company_id, t.id, now]);
  }
  const principal: TokenPrincipal = { kind: 'token', tokenId: t.id, companyId: t.company_id, role: t.role };
  if (tokenCache.size > 10_000) tokenCache.clear();
  tokenCache.set(hash, { principal, until: Date.now() + TOKEN_CACHE_MS });
  return principal;
}

export async function membershipRole(db: Database, companyId: string, userId: string): Promise<Role | null> {
  const { rows } = await db.pool.query('SELECT role FROM memberships WHERE company_id = $1 AND user_id = $2', [companyId, userId]);
  return (rows[0]?.role as Role) ?? null;
}

