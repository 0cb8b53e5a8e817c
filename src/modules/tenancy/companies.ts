import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/context.ts';
import { conflict, DomainError, invalid, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/http/pagination.ts';
import type { Role } from '../../platform/permissions.ts';
import { checkPassword, createUser, hashPassword } from './accounts.ts';
import { checkPinChoice, storePin } from './pins.ts';
import {
  type CompanySettings,
  CURRENCIES,
  isTimeZone,
  keepsAnOwner,
  normalizeEmail,
  resolveSettings,
  SLUG_PATTERN,
  settingsSchema,
  slugify,
} from './rules.ts';
import { companies, memberships, users } from './schema.ts';

export interface Company {
  id: string;
  name: string;
  slug: string;
  externalRef: string | null;
  currency: string;
  timezone: string;
  settings: CompanySettings;
  createdAt: string;
}

type CompanyRow = typeof companies.$inferSelect;
const toCompany = (r: CompanyRow): Company => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  externalRef: r.externalRef,
  currency: r.currency,
  timezone: r.timezone,
  settings: resolveSettings(r.settings),
  createdAt: r.createdAt.toISOString(),
});

export interface CompanyInput {
  name: string;
  slug?: string;
  externalRef?: string | null;
  currency: string;
  timezone: string;
  settings?: Partial<CompanySettings>;
}

function checkCompanyFields(input: Partial<CompanyInput>) {
  if (input.currency !== undefined && !(input.currency in CURRENCIES)) throw invalid('currency', 'unsupported');
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) throw invalid('timezone', 'invalid_value');
  if (input.slug !== undefined && !SLUG_PATTERN.test(input.slug)) throw invalid('slug', 'invalid_format');
}

/** Drizzle wraps driver errors: PostgreSQL's code and constraint are on the cause. */
const pgError = (err: unknown) => ((err as { cause?: unknown }).cause ?? err) as { code?: string; constraint?: string };

/** Postgres unique violations on companies -> the field the user must change. */
function uniqueViolation(err: unknown): never {
  const e = pgError(err);
  if (e.code === '23505' && e.constraint?.includes('slug')) throw conflict('company.slug_taken');
  if (e.code === '23505' && e.constraint?.includes('external_ref')) throw conflict('company.external_ref_taken');
  throw err;
}

/** Creates a company with the caller as owner. ctx.companyId is the new company's id. */
export async function createCompany(ctx: Ctx, userId: string, input: CompanyInput): Promise<Company> {
  checkCompanyFields(input);
  const now = ctx.clock.now();
  const settings = { ...settingsSchema.parse({}), ...(input.settings ?? {}) };
  const row = {
    id: ctx.companyId,
    name: input.name.trim(),
    slug: input.slug ?? slugify(input.name),
    externalRef: input.externalRef ?? null,
    currency: input.currency,
    timezone: input.timezone,
    settings,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.tx.client.query('SAVEPOINT company_insert');
  try {
    await ctx.tx.db.insert(companies).values(row);
  } catch (err) {
    await ctx.tx.client.query('ROLLBACK TO SAVEPOINT company_insert');
    // Derived slugs get a short suffix rather than an error; chosen ones must be unique.
    const e = pgError(err);
    if (input.slug || e.code !== '23505' || !e.constraint?.includes('slug')) uniqueViolation(err);
    row.slug = `${row.slug.slice(0, 57)}-${randomUUID().slice(0, 6)}`;
    await ctx.tx.db.insert(companies).values(row).catch(uniqueViolation);
  }
  await ctx.tx.db.insert(memberships).values({ companyId: ctx.companyId, userId, role: 'owner', createdAt: now });
  append(ctx, 'company_created', { name: row.name });
  return toCompany(row);
}

export async function getCompany(ctx: Ctx): Promise<Company> {
  const [row] = await ctx.tx.db.select().from(companies).where(eq(companies.id, ctx.companyId));
  if (!row) throw notFound('company.not_found');
  return toCompany(row);
}

/** Event types meaning money has been recorded in the company's currency. */
const MONEY_EVENTS = ['sale_opened', 'sale_paid', 'payment_initiated', 'payment_confirmed', 'order_created'];

export async function updateCompany(ctx: Ctx, patch: Partial<CompanyInput>): Promise<Company> {
  checkCompanyFields(patch);
  const [current] = await ctx.tx.db.select().from(companies).where(eq(companies.id, ctx.companyId)).for('update');
  if (!current) throw notFound('company.not_found');
  if (patch.currency !== undefined && patch.currency !== current.currency) {
    const { rowCount } = await ctx.tx.client.query(
      'SELECT 1 FROM events WHERE company_id = $1 AND type = ANY($2) LIMIT 1',
      [ctx.companyId, MONEY_EVENTS],
    );
    if (rowCount) throw conflict('company.currency_frozen', { currency: current.currency });
  }
  const settings = patch.settings ? { ...resolveSettings(current.settings), ...patch.settings } : current.settings;
  const changes = {
    ...(patch.name !== undefined && { name: patch.name.trim() }),
    ...(patch.slug !== undefined && { slug: patch.slug }),
    ...(patch.externalRef !== undefined && { externalRef: patch.externalRef }),
    ...(patch.currency !== undefined && { currency: patch.currency }),
    ...(patch.timezone !== undefined && { timezone: patch.timezone }),
    settings,
    updatedAt: ctx.clock.now(),
  };
  const [row] = await ctx.tx.db
    .update(companies)
    .set(changes)
    .where(eq(companies.id, ctx.companyId))
    .returning()
    .catch(uniqueViolation);
  append(ctx, 'company_updated', { fields: Object.keys(patch) });
  return toCompany(row!);
}

export interface Member {
  userId: string;
  name: string;
  /** null: a member who uses a PIN only (never signs in with a password). */
  email: string | null;
  role: Role;
  hasPin: boolean;
  createdAt: string;
}

const hasPin = sql<boolean>`${memberships.pinHash} IS NOT NULL`;

export async function listMembers(ctx: Ctx, q: { limit: number; cursor?: string }): Promise<Page<Member>> {
  const after = decodeCursor(q.cursor, 2) as [string, string] | null;
  const rows = await ctx.tx.db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, hasPin, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.companyId, ctx.companyId),
        after
          ? or(gt(memberships.createdAt, new Date(after[0])), and(eq(memberships.createdAt, new Date(after[0])), gt(memberships.userId, after[1])))
          : undefined,
      ),
    )
    .orderBy(asc(memberships.createdAt), asc(memberships.userId))
    .limit(q.limit + 1);
  return pageOf(
    rows,
    q.limit,
    (r) => ({ ...r, role: r.role as Role, createdAt: r.createdAt.toISOString() }),
    (r) => [r.createdAt.toISOString(), r.userId],
  );
}

async function loadMember(ctx: Ctx, userId: string, lock = false) {
  const base = ctx.tx.db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, hasPin, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.companyId, ctx.companyId), eq(memberships.userId, userId)));
  const [row] = lock ? await base.for('update', { of: memberships }) : await base;
  if (!row) throw notFound('member.not_found');
  return { ...row, role: row.role as Role, createdAt: row.createdAt.toISOString() } satisfies Member;
}

/**
 * Adds a member by e-mail, creating the account if it does not exist yet; or, without
 * an e-mail, a new account with a name and a PIN only (kitchen, servers), which can
 * never sign in with a password. A PIN may come with either. Answers `pinTaken`
 * (nothing added; the collision counted, see checkPinChoice) when another member has it.
 */
export async function addMember(
  ctx: Ctx,
  input: { email?: string; role: Role; name?: string; password?: string; pin?: string },
): Promise<{ member: Member; created: boolean } | { pinTaken: true }> {
  if (input.email === undefined) {
    if (input.password !== undefined) throw invalid('password', 'requires_email');
    if (input.pin === undefined) throw invalid('email', 'required');
    if (!input.name?.trim()) throw invalid('name', 'required');
  }
  if (input.password !== undefined) checkPassword(input.password);
  if (input.pin !== undefined && (await checkPinChoice(ctx, input.pin, null)) === 'taken') return { pinTaken: true };
  const email = input.email === undefined ? null : normalizeEmail(input.email);
  const [existing] = email === null ? [] : await ctx.tx.db.select().from(users).where(sql`lower(${users.email}) = ${email}`);
  let userId = existing?.id;
  if (!userId) {
    const name = input.name?.trim() || email!.split('@')[0]!;
    const user = await createUser(ctx.tx, ctx.clock, { name, email, password: input.password });
    userId = user.id;
  } else if (input.password !== undefined) {
    throw new DomainError('member.password_existing_account', 409);
  }
  const inserted = await ctx.tx.db
    .insert(memberships)
    .values({ companyId: ctx.companyId, userId, role: input.role, createdAt: ctx.clock.now() })
    .onConflictDoNothing()
    .returning();
  if (!inserted.length) throw conflict('member.exists');
  if (input.pin !== undefined) await storePin(ctx, userId, input.pin);
  append(ctx, 'member_added', { userId, role: input.role }, { subjects: { userId } });
  return { member: await loadMember(ctx, userId), created: !existing };
}

async function ownerCount(ctx: Ctx): Promise<number> {
  // Lock every owner row so two concurrent demotions cannot both pass the check.
  const { rows } = await ctx.tx.client.query(
    `SELECT user_id FROM memberships WHERE company_id = $1 AND role = 'owner' FOR UPDATE`,
    [ctx.companyId],
  );
  return rows.length;
}

export async function changeMemberRole(ctx: Ctx, userId: string, role: Role): Promise<Member> {
  const owners = await ownerCount(ctx);
  const member = await loadMember(ctx, userId, true);
  if (!keepsAnOwner(owners, member, { role })) throw conflict('member.last_owner');
  if (member.role === role) return member;
  await ctx.tx.db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.companyId, ctx.companyId), eq(memberships.userId, userId)));
  append(ctx, 'member_role_changed', { userId, from: member.role, to: role }, { subjects: { userId } });
  return { ...member, role };
}

export async function removeMember(ctx: Ctx, userId: string): Promise<void> {
  const owners = await ownerCount(ctx);
  const member = await loadMember(ctx, userId, true);
  if (!keepsAnOwner(owners, member, 'remove')) throw conflict('member.last_owner');
  await ctx.tx.db.delete(memberships).where(and(eq(memberships.companyId, ctx.companyId), eq(memberships.userId, userId)));
  append(ctx, 'member_removed', { userId, role: member.role }, { subjects: { userId } });
}

/** An owner sets a member's password (e.g. staff without e-mail access); their sessions end. */
export async function setMemberPassword(ctx: Ctx, userId: string, password: string): Promise<void> {
  const member = await loadMember(ctx, userId);
  // Without an e-mail there is no password sign-in: a PIN-only member stays one.
  if (member.email === null) throw conflict('member.no_email');
  checkPassword(password);
  // Never across companies: an account that belongs elsewhere too keeps its own password.
  const { rows } = await ctx.tx.client.query('SELECT comptoir_membership_count($1) AS n', [userId]);
  if (Number(rows[0].n) > 1) throw conflict('member.password_shared_account');
  await ctx.tx.db.update(users).set({ passwordHash: await hashPassword(password), updatedAt: ctx.clock.now() }).where(eq(users.id, userId));
  await ctx.tx.client.query('DELETE FROM auth_sessions WHERE user_id = $1', [userId]);
}

