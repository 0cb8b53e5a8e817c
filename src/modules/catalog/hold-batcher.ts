import type { FastifyRequest } from 'fastify';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { conflict, DomainError } from '../../platform/errors.ts';
import { contextOf, type HttpDeps, IDEMPOTENCY_TTL, type Idempotency, idempotencyOf } from '../../platform/http/command.ts';
import { getCompany } from '../tenancy/index.ts';
import { type HoldOwner, holdsOfOwners, planHolds, recordReleases, releaseCandidates } from './holds.ts';
import type { HoldLine } from './rules.ts';
import { holdExpiry } from './rules.ts';
import { lockAndEnd, saveStock } from './stock.ts';

type Job = { kind: 'place'; owner: HoldOwner; lines: readonly HoldLine[] } | { kind: 'release'; owner: HoldOwner };

export interface BatchAnswer {
  status: number;
  body: unknown;
  replayed?: boolean;
}

interface Pending {
  job: Job;
  req: FastifyRequest;
  idem: Idempotency | null;
  resolve: (a: BatchAnswer) => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 256;
const IN_FLIGHT = 2;

/**
 * Group commit for hold requests on hot stock. Requests of one company that arrive
 * while its previous batch runs are taken together into ONE transaction: their
 * products are locked once (in id order), each request is still decided all-or-nothing
 * on its own, each gets its own hold rows, events (with its own actor) and
 * idempotency row, and one commit answers them all. A lone request runs alone, so
 * latency is a single transaction when idle; under load, the row lock and the commit
 * are paid once per batch instead of once per request.
 */
export class HoldBatcher {
  private readonly queues = new Map<string, Pending[]>();
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly deps: HttpDeps) {}

  submit(req: FastifyRequest, companyId: string, job: Job): Promise<BatchAnswer> {
    const idem = idempotencyOf(req);
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(companyId) ?? [];
      queue.push({ job, req, idem, resolve, reject });
      this.queues.set(companyId, queue);
      this.pump(companyId);
    });
  }

  /**
   * Starts a batch with what is queued, up to IN_FLIGHT batches per company: while
   * one holds the product locks, the next prepares (keys, settings, candidates).
   */
  private pump(companyId: string) {
    const running = this.inFlight.get(companyId) ?? 0;
    const queue = this.queues.get(companyId);
    if (running >= IN_FLIGHT || !queue?.length) return;
    const batch = queue.splice(0, MAX_BATCH);
    if (!queue.length) this.queues.delete(companyId);
    this.inFlight.set(companyId, running + 1);
    void this.run(companyId, batch)
      .catch((err) => {
        for (const p of batch) p.reject(err);
      })
      .finally(() => {
        const left = (this.inFlight.get(companyId) ?? 1) - 1;
        if (left) this.inFlight.set(companyId, left);
        else this.inFlight.delete(companyId);
        this.pump(companyId);
      });
  }

  private async run(companyId: string, batch: Pending[]) {
    const answers = await inTransaction(this.deps.db, { kind: 'company', companyId }, async (tx) => {
      const ctxs = batch.map((p) => contextOf(p.req, this.deps, tx, companyId));
      const ctx = ctxs[0]!;
      const { fresh, replays, followers } = await claimKeys(tx, batch, this.deps.clock.now());
      const answers = new Map<Pending, BatchAnswer | DomainError>(replays);
      const todo = batch.filter((p) => fresh.has(p));
      const releases = todo.filter((p) => p.job.kind === 'release');
      const places = todo.filter((p) => p.job.kind === 'place');
      // Everything that needs no lock first. Then ONE statement locks every product of
      // the batch (id order), expires lapsed holds and ends the released ones; ONE
      // statement writes new holds and counters back.
      const { settings } = await getCompany(ctx);
      const releaseReqs = releases.map((p) => ({ owner: p.job.owner, ctx: ctxs[batch.indexOf(p)] }));
      const candidates = releaseCandidates(releaseReqs, await holdsOfOwners(ctx, releaseReqs.map((r) => r.owner)));
      const { stock, ended } = await lockAndEnd(
        ctx,
        [...candidates.map((h) => h.productId), ...places.flatMap((p) => (p.job.kind === 'place' ? p.job.lines.map((l) => l.productId) : []))],
        candidates.map((h) => h.id),
        'released',
      );
      const counts = recordReleases(ctx, releaseReqs, ended);
      releases.forEach((p, i) => {
        answers.set(p, { status: 200, body: { released: counts[i] } });
      });
      const expiresAt = holdExpiry('live_order', ctx.clock.now(), settings.holdMinutes);
      const { outcomes, inserts } = planHolds(
        ctx,
        stock,
        places.map((p) => ({ owner: p.job.owner, lines: p.job.kind === 'place' ? p.job.lines : [], expiresAt, ctx: ctxs[batch.indexOf(p)] })),
      );
      places.forEach((p, i) => {
        const o = outcomes[i]!;
        answers.set(
          p,
          o.ok
            ? { status: 201, body: { holds: o.holds, expiresAt: expiresAt?.toISOString() ?? null } }
            : conflict('stock.insufficient', { ...o.shortages[0], lines: o.shortages }),
        );
      });
      await saveStock(ctx, stock, inserts);
      await storeAnswers(tx, todo, answers);
      // Later copies of a key in the same batch are replays of the first: same answer, marked as such.
      for (const [first, rest] of followers) {
        const a = answers.get(first)!;
        for (const p of rest) {
          const same = p.idem!.fingerprint === first.idem!.fingerprint;
          answers.set(p, !same ? new DomainError('idempotency.key_reused', 422) : a instanceof DomainError ? a : { ...a, replayed: true });
        }
      }
      return answers;
    });
    for (const p of batch) {
      const a = answers.get(p)!;
      if (a instanceof DomainError) p.reject(a);
      else p.resolve(a);
    }
  }
}

/**
 * Claims every request's idempotency key in one statement. A key already stored
 * answers as before to each request with its body (422 with another body). The same
 * new key twice in one batch is one command: the later request gets the first one's
 * answer (422 if its body differs).
 */
async function claimKeys(tx: Tx, batch: Pending[], now: Date) {
  const fresh = new Set(batch.filter((p) => !p.idem));
  const replays = new Map<Pending, BatchAnswer | DomainError>();
  const followers = new Map<Pending, Pending[]>();
  const lead = new Map<string, Pending>();
  for (const p of batch) {
    if (!p.idem) continue;
    const k = `${p.idem.scope}\n${p.idem.key}`;
    const first = lead.get(k);
    if (!first) lead.set(k, p);
    else followers.set(first, [...(followers.get(first) ?? []), p]);
  }
  // Sorted, so two batches claiming the same keys take their row locks in one order.
  const claimants = [...lead.values()].sort((a, b) =>
    a.idem!.scope === b.idem!.scope ? (a.idem!.key < b.idem!.key ? -1 : 1) : a.idem!.scope < b.idem!.scope ? -1 : 1,
  );
  if (!claimants.length) return { fresh, replays, followers };
  const col = (f: (i: Idempotency) => string) => claimants.map((p) => f(p.idem!));
  const { rows } = await tx.client.query(
    `INSERT INTO idempotency_keys (scope, key, fingerprint, created_at, expires_at)
     SELECT s, k, f, $4::timestamptz, $5::timestamptz FROM unnest($1::text[], $2::text[], $3::text[]) AS u(s, k, f)
     ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status = NULL, body = NULL,
       created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
     WHERE idempotency_keys.expires_at <= EXCLUDED.created_at
     RETURNING scope, key`,
    [col((i) => i.scope), col((i) => i.key), col((i) => i.fingerprint), now, new Date(now.getTime() + IDEMPOTENCY_TTL)],
  );
  const claimed = new Set(rows.map((r) => `${r.scope}\n${r.key}`));
  const stored = claimants.filter((p) => !claimed.has(`${p.idem!.scope}\n${p.idem!.key}`));
  for (const p of claimants) if (!stored.includes(p)) fresh.add(p);
  if (stored.length) {
    const { rows: prev } = await tx.client.query(
      `SELECT scope, key, fingerprint, status, body FROM idempotency_keys
       WHERE (scope, key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [stored.map((p) => p.idem!.scope), stored.map((p) => p.idem!.key)],
    );
    const byKey = new Map(prev.map((r) => [`${r.scope}\n${r.key}`, r]));
    for (const first of stored) {
      const r = byKey.get(`${first.idem!.scope}\n${first.idem!.key}`);
      // Each copy is compared with the stored command, not with the first copy in this batch.
      for (const p of [first, ...(followers.get(first) ?? [])]) {
        const same = r && r.fingerprint === p.idem!.fingerprint && r.status !== null;
        replays.set(p, same ? { status: r.status, body: r.body, replayed: true } : new DomainError('idempotency.key_reused', 422));
      }
      followers.delete(first);
    }
  }
  return { fresh, replays, followers };
}

/** Stores successful answers under their keys; refused requests give their key back. */
async function storeAnswers(tx: Tx, todo: Pending[], answers: Map<Pending, BatchAnswer | DomainError>) {
  const keyed = todo.filter((p) => p.idem);
  const ok = keyed.filter((p) => !(answers.get(p) instanceof DomainError));
  const refused = keyed.filter((p) => answers.get(p) instanceof DomainError);
  if (ok.length) {
    await tx.client.query(
      `UPDATE idempotency_keys AS i SET status = v.status, body = v.body
       FROM unnest($1::text[], $2::text[], $3::int[], $4::jsonb[]) AS v(scope, key, status, body)
       WHERE i.scope = v.scope AND i.key = v.key`,
      [ok.map((p) => p.idem!.scope), ok.map((p) => p.idem!.key), ok.map((p) => (answers.get(p) as BatchAnswer).status),
        ok.map((p) => JSON.stringify((answers.get(p) as BatchAnswer).body))],
    );
  }
  if (refused.length) {
    await tx.client.query(`DELETE FROM idempotency_keys WHERE (scope, key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`, [
      refused.map((p) => p.idem!.scope),
      refused.map((p) => p.idem!.key),
    ]);
  }
}
