import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTransaction } from '../../platform/db/tx.ts';
import { DomainError } from '../../platform/errors.ts';
import { clearSessionCookies, requireUser, setSessionCookies, TILL_COOKIE, tillOf } from '../../platform/http/auth.ts';
import { contextOf, runCommand, runQuery } from '../../platform/http/command.ts';
import {
  authenticate,
  changePassword,
  closeSession,
  confirmPasswordReset,
  createPasswordReset,
  createUser,
  openSession,
  toUser,
} from './accounts.ts';
import { resetMail } from './mail-templates.ts';
import type { TenancyDeps } from './deps.ts';
import { endTillOnSignIn, lockTill } from './till.ts';

const email = z.email().max(254);
const password = z.string().min(1).max(200);
const userOut = z.object({ id: z.uuid(), name: z.string(), email: z.string().nullable(), locale: z.string() });

/** Sign-up, sign-in, sign-out, /me, password change and reset. */
export function authRoutes(app: FastifyInstance, deps: TenancyDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  r.post('/api/v1/auth/register', {
    config: { public: true },
    schema: { tags, summary: 'Create an account and sign in', body: z.object({ name: z.string().trim().min(1).max(200), email, password }) },
  }, async (req, reply) => {
    if (!deps.config.registrationOpen) throw new DomainError('auth.registration_closed', 403);
    return runCommand(req, reply, deps, async (ctx) => {
      const user = await createUser(ctx.tx, ctx.clock, req.body);
      const session = await openSession(ctx.tx, ctx.clock, user.id, deps.config.sessionDays, { ip: req.ip, ua: req.headers['user-agent'] });
      setSessionCookies(reply, session, deps.config.secureCookies);
      return { status: 201, body: { user } };
    });
  });

  r.post('/api/v1/auth/login', {
    config: { public: true },
    schema: { tags, summary: 'Sign in (throttled per e-mail and per IP)', body: z.object({ email: z.string().max(254), password }), response: { 200: z.object({ user: userOut }) } },
  }, async (req, reply) => {
    const user = await authenticate(deps.db, deps.clock, { ...req.body, ip: req.ip, maxFailures: deps.config.loginMaxFailures });
    // A password sign-in on a shared till ends its till mode: the device is the signed-in person's now.
    const tillRaw = req.cookies[TILL_COOKIE];
    if (tillRaw) {
      await endTillOnSignIn(deps.db, deps.clock, tillRaw, user.id);
      reply.clearCookie(TILL_COOKIE, { path: '/' });
    }
    return runCommand(req, reply, deps, async (ctx) => {
      const session = await openSession(ctx.tx, ctx.clock, user.id, deps.config.sessionDays, { ip: req.ip, ua: req.headers['user-agent'] });
      setSessionCookies(reply, session, deps.config.secureCookies);
      return { status: 200, body: { user } };
    }, { kind: 'user', userId: user.id });
  });

  r.post('/api/v1/auth/logout', { config: { public: true }, schema: { tags, summary: 'Sign out (on a shared till: back to the PIN pad)' } }, async (req, reply) => {
    const till = tillOf(req.principal);
    if (till && !till.locked) {
      await inTransaction(deps.db, { kind: 'company', companyId: till.companyId }, (tx) => lockTill({ ...contextOf(req, deps, tx, till.companyId) }));
      return reply.status(204).send();
    }
    if (till) reply.clearCookie(TILL_COOKIE, { path: '/' });
    if (req.principal?.kind === 'user') await closeSession(deps.db, req.principal.sessionHash);
    clearSessionCookies(reply);
    return reply.status(204).send();
  });

  r.get('/api/v1/me', { schema: { tags, summary: 'The signed-in user and their companies (on a shared till: the acting member, that company only, and `till`)' } }, async (req) => {
    const { userId, till } = requireUser(req);
    return runQuery(req, deps, async (ctx) => {
      const u = await ctx.tx.client.query('SELECT id, name, email, locale FROM users WHERE id = $1', [userId]);
      const m = await ctx.tx.client.query(
        `SELECT m.company_id, c.name, c.slug, m.role, c.currency FROM memberships m JOIN companies c ON c.id = m.company_id
         WHERE m.user_id = $1 AND ($2::uuid IS NULL OR m.company_id = $2) ORDER BY c.name`,
        [userId, till?.companyId ?? null],
      );
      return {
        user: toUser(u.rows[0]),
        memberships: m.rows.map((r) => ({ companyId: r.company_id, companyName: r.name, slug: r.slug, role: r.role, currency: r.currency })),
        ...(till ? { till: { tillId: till.tillId, companyId: till.companyId } } : {}),
      };
    });
  });

  r.post('/api/v1/auth/password', {
    schema: { tags, summary: 'Change my password (other sessions end)', body: z.object({ currentPassword: password, newPassword: password }) },
  }, async (req, reply) => {
    const { userId, sessionHash } = requireUser(req);
    return runCommand(req, reply, deps, async (ctx) => {
      await changePassword(ctx.tx, ctx.clock, userId, req.body.currentPassword, req.body.newPassword, sessionHash);
      return { status: 204, body: null };
    });
  });

  r.post('/api/v1/auth/password-reset/request', {
    config: { public: true },
    schema: { tags, summary: 'E-mail a reset link (202 whether or not the account exists; 409 without SMTP)', body: z.object({ email: z.string().max(254) }) },
  }, async (req, reply) => {
    if (!deps.mailerEnabled) throw new DomainError('auth.reset_unavailable', 409);
    return runCommand(req, reply, deps, async (ctx) => {
      const reset = await createPasswordReset(ctx.tx, ctx.clock, req.body.email);
      if (reset?.user.email) await deps.jobs.enqueue(ctx, 'mail.send', resetMail(reset.user, `${deps.publicUrl}/reset-password?token=${reset.raw}`));
      return { status: 202, body: { accepted: true } };
    }, { kind: 'anonymous' });
  });

  r.post('/api/v1/auth/password-reset/confirm', {
    config: { public: true },
    schema: { tags, summary: 'Set a new password with an e-mailed token', body: z.object({ token: z.string().min(10).max(200), password }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await confirmPasswordReset(ctx.tx, ctx.clock, req.body.token, req.body.password);
      return { status: 204, body: null };
    }, { kind: 'anonymous' }),
  );
}
