import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Ctx } from '../context.ts';
import { type Database, inTransaction, type Scope, type Tx } from '../db/tx.ts';
import { DomainError } from '../errors.ts';
import type { Actor } from '../events/event-map.ts';
import { tillOf } from './auth.ts';

export interface HttpDeps {
  db: Database;
  clock: Clock;
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

export function actorOf(req: FastifyRequest): Actor {
  const p = req.principal;
  if (p?.kind === 'user') return { type: 'user', id: p.userId };
  if (p?.kind === 'token') return { type: 'token', id: p.tokenId };
  return { type: 'client' };
}

function scopeOf(req: FastifyRequest): Scope {
  const p = req.principal;
  if (req.company) return { kind: 'company', companyId: req.company.companyId, userId: p?.kind === 'user' ? p.userId : undefined };
  if (p?.kind === 'user') return { kind: 'user', userId: p.userId };
  return { kind: 'anonymous' };
}

/** The request's context for a command or query in the given transaction. */
export function contextOf(req: FastifyRequest, deps: HttpDeps, tx: Tx, companyId?: string): Ctx {
  return {
    companyId: companyId ?? req.company?.companyId ?? '',
    actor: actorOf(req),
    role: req.company?.role,
    clock: deps.clock,
    tx,
    requestId: String(req.id),
    ip: req.ip,
    userAgent: req.headers['user-agent'],
    tillId: tillOf(req.principal)?.tillId,
  };
}

export interface Idempotency {
  scope: string;
  key: string;
  fingerprint: string;
}

/** The request's Idempotency-Key, scoped to the caller and route, with a fingerprint of its body. */
export function idempotencyOf(req: FastifyRequest): Idempotency | null {
  const key = req.headers['idempotency-key'];
  if (key === undefined) return null;
  if (typeof key !== 'string' || key.length < 1 || key.length > 200) {
    throw new DomainError('validation', 400, {}, [{ field: 'Idempotency-Key', code: 'invalid_format' }]);
  }
  const p = req.principal;
  const who = p?.kind === 'user' ? `u:${p.userId}` : p?.kind === 'token' ? `t:${p.tokenId}` : p?.kind === 'till' ? `till:${p.till.tillId}` : `ip:${req.ip}`;
  return {
    scope: `${who} ${req.method} ${req.url.split('?')[0]}`,
    key,
    fingerprint: createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('hex'),
  };
}

export const IDEMPOTENCY_TTL = IDEMPOTENCY_TTL_MS;

/** Read-only work in the caller's tenant scope. */
export function runQuery<T>(req: FastifyRequest, deps: HttpDeps, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return inTransaction(deps.db, scopeOf(req), (tx) => fn(contextOf(req, deps, tx)));
}

/**
 * Runs a command in one transaction and sends its answer. With an Idempotency-Key
 * header the key, a fingerprint of the body and the answer are stored in that same
 * transaction: a retry gets the first answer, another body gets 422, and a
 * concurrent duplicate waits on the key's row lock, then gets the first answer.
 */
export async function runCommand<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: HttpDeps,
  fn: (ctx: Ctx) => Promise<Answer<T>>,
  scope: Scope = scopeOf(req),
) {
  const idem = idempotencyOf(req);
  const answer = await inTransaction(deps.db, scope, async (tx) => {
    const companyId = scope.kind === 'company' ? scope.companyId : undefined;
    const ctx = contextOf(req, deps, tx, companyId);
    if (!idem) return fn(ctx);
    const { scope: idemScope, key, fingerprint } = idem;
    const now = deps.clock.now();
    const claimed = await tx.client.query(
      `INSERT INTO idempotency_keys (scope, key, fingerprint, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status = NULL, body = NULL,
         created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
       WHERE idempotency_keys.expires_at <= EXCLUDED.created_at
       RETURNING 1`,
      [idemScope, key, fingerprint, now, new Date(now.getTime() + IDEMPOTENCY_TTL_MS)],
    );
    if (!claimed.rowCount) {
      const { rows } = await tx.client.query(
        'SELECT fingerprint, status, body FROM idempotency_keys WHERE scope = $1 AND key = $2',
        [idemScope, key],
      );
      const first = rows[0];
      if (!first || first.fingerprint !== fingerprint) throw new DomainError('idempotency.key_reused', 422);
      return { status: first.status as number, body: first.body as T, replayed: true };
    }
    const result = await fn(ctx);
    await tx.client.query('UPDATE idempotency_keys SET status = $3, body = $4 WHERE scope = $1 AND key = $2', [
      idemScope,
      key,
      result.status,
      JSON.stringify(result.body ?? null),
    ]);
    return result;
  });
  if ('replayed' in answer) reply.header('Idempotent-Replayed', 'true');
  if (answer.status === 204) return reply.status(204).send();
  if (answer.status >= 400) reply.type('application/problem+json');
  return reply.status(answer.status).send(answer.body);
}
