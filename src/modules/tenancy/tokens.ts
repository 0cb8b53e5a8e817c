import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';
import type { Role } from '../../platform/permissions.ts';
import { forgetToken, sha256 } from './accounts.ts';
import { apiTokens } from './schema.ts';

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type Row = typeof apiTokens.$inferSelect;
const toToken = (r: Row): ApiToken => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  prefix: r.prefix,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

/** Creates a token for integrations; only its hash is stored, the raw value is returned once. */
export async function createApiToken(ctx: Ctx, input: { name: string; role: Role }): Promise<ApiToken & { token: string }> {
  const raw = `cpt_${randomBytes(30).toString('base64url')}`;
  const [row] = await ctx.tx.db
    .insert(apiTokens)
    .values({
      companyId: ctx.companyId,
      id: randomUUID(),
      name: input.name.trim(),
      role: input.role,
      tokenHash: sha256(raw),
      prefix: raw.slice(0, 10),
      createdBy: ctx.actor.type === 'user' ? ctx.actor.id : null,
      createdAt: ctx.clock.now(),
    })
    .returning();
  append(ctx, 'token_created', { tokenId: row!.id, name: row!.name, role: input.role }, { subjects: { tokenId: row!.id } });
  return { ...toToken(row!), token: raw };
}

export async function listApiTokens(ctx: Ctx, q: { limit: number; cursor?: string }): Promise<Page<ApiToken>> {
  const after = decodeCursor(q.cursor, 2) as [string, string] | null;
  const rows = await ctx.tx.db
    .select()
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.companyId, ctx.companyId),
        after
          ? or(lt(apiTokens.createdAt, new Date(after[0])), and(eq(apiTokens.createdAt, new Date(after[0])), lt(apiTokens.id, after[1])))
          : undefined,
      ),
    )
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(q.limit + 1);
  return pageOf(rows, q.limit, toToken, (r) => [r.createdAt.toISOString(), r.id]);
}

export async function revokeApiToken(ctx: Ctx, id: string): Promise<void> {
  const [row] = await ctx.tx.db
    .update(apiTokens)
    .set({ revokedAt: ctx.clock.now() })
    .where(and(eq(apiTokens.companyId, ctx.companyId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning();
  if (!row) {
    const [exists] = await ctx.tx.db.select({ id: apiTokens.id }).from(apiTokens).where(and(eq(apiTokens.companyId, ctx.companyId), eq(apiTokens.id, id)));
    if (!exists) throw notFound('token.not_found');
    return;
  }
  append(ctx, 'token_revoked', { tokenId: id }, { subjects: { tokenId: id } });
  forgetToken(id);
}
