import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../platform/context.ts';
import { inTransaction, type Scope } from '../../platform/db/tx.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import { append } from '../../platform/events/append.ts';
import { CSRF_COOKIE, SESSION_COOKIE, TILL_COOKIE, tillOf } from '../../platform/http/auth.ts';
import { contextOf, runCommand } from '../../platform/http/command.ts';
import { problemBody } from '../../platform/http/problem.ts';
import type { Role } from '../../platform/permissions.ts';
import type { TenancyDeps } from './deps.ts';
import { checkPinChoice, PIN_PATTERN, storePin } from './pins.ts';
import { disableTill, enableTill, lockTill, mayManagePin, switchUser, tillState } from './till.ts';

const companyParams = z.object({ companyId: z.uuid() });
const memberParams = companyParams.extend({ userId: z.uuid() });
const pinBody = z.object({ pin: z.string().regex(PIN_PATTERN) });

/** 409 `member.pin_taken`, as an answer: the command commits (the collision was counted). */
export function pinTakenAnswer(req: FastifyRequest) {
  return { status: 409, body: problemBody(String(req.id), 409, 'member.pin_taken', { errors: [{ field: 'pin', code: 'taken' }] }) };
}

function tillCookieOptions(deps: TenancyDeps, maxAge?: number) {
  return { path: '/', sameSite: 'strict' as const, secure: deps.config.secureCookies, ...(maxAge === undefined ? {} : { maxAge }) };
}

/** The device is no longer a till: its cookie and CSRF token go. */
function clearTillCookies(reply: FastifyReply) {
  reply.clearCookie(TILL_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

/** The company scope of a till request, with the acting member as RLS user (none on the pad). */
function tillScope(req: FastifyRequest, companyId: string): Scope {
  return { kind: 'company', companyId, userId: req.principal?.kind === 'user' ? req.principal.userId : undefined };
}

async function memberRole(ctx: Ctx, userId: string): Promise<Role> {
  const { rows } = await ctx.tx.client.query('SELECT role FROM memberships WHERE company_id = $1 AND user_id = $2', [ctx.companyId, userId]);
  if (!rows[0]) throw notFound('member.not_found');
  return rows[0].role as Role;
}

/** Staff PINs and till mode (design: till.ts). */
export function tillRoutes(app: FastifyInstance, deps: TenancyDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // PINs: a manager sets those of cashiers and servers, an owner anyone's, everyone their own.
  const changePin = async (req: FastifyRequest, reply: FastifyReply, userId: string, pin: string | null, self: boolean) =>
    runCommand<unknown>(req, reply, deps, async (ctx) => {
      const target = await memberRole(ctx, userId);
      if (!self && !(ctx.actor.type === 'user' && ctx.actor.id === userId) && !mayManagePin(ctx.role!, target)) {
        throw forbidden('member.pin_forbidden', { role: target });
      }
      if (pin !== null && (await checkPinChoice(ctx, pin, userId)) === 'taken') return pinTakenAnswer(req);
      await storePin(ctx, userId, pin);
      append(ctx, 'member_pin_changed', { userId, cleared: pin === null }, { subjects: { userId } });
      return { status: 204, body: null };
    });

  r.put('/api/v1/companies/:companyId/members/:userId/pin', {
    config: { permission: 'members.pins' },
    schema: { tags: ['members'], summary: "Set a member's PIN (4–6 digits, unique in the company)", params: memberParams, body: pinBody },
  }, async (req, reply) => changePin(req, reply, req.params.userId, req.body.pin, false));

  r.delete('/api/v1/companies/:companyId/members/:userId/pin', {
    config: { permission: 'members.pins' },
    schema: { tags: ['members'], summary: "Clear a member's PIN", params: memberParams },
  }, async (req, reply) => changePin(req, reply, req.params.userId, null, false));

  const ownUser = (req: FastifyRequest) => {
    if (req.principal?.kind !== 'user') throw conflict('pin.user_only');
    return req.principal.userId;
  };

  r.put('/api/v1/companies/:companyId/me/pin', {
    config: { permission: 'pin.own' },
    schema: { tags: ['members'], summary: 'Set my PIN in this company', params: companyParams, body: pinBody },
  }, async (req, reply) => changePin(req, reply, ownUser(req), req.body.pin, true));

  r.delete('/api/v1/companies/:companyId/me/pin', {
    config: { permission: 'pin.own' },
    schema: { tags: ['members'], summary: 'Clear my PIN in this company', params: companyParams },
  }, async (req, reply) => changePin(req, reply, ownUser(req), null, true));

  // Till mode.
  const tags = ['till'];

  r.get('/api/v1/companies/:companyId/till', {
    config: { permission: 'till.use', tillPad: true },
    schema: { tags, summary: "This device's till state: till mode, who acts, wrong PINs left, who has a PIN", params: companyParams },
  }, async (req) => {
    const { companyId } = req.params;
    const till = tillOf(req.principal);
    return inTransaction(deps.db, tillScope(req, companyId), (tx) =>
      tillState(contextOf(req, deps, tx, companyId), till?.tillId, { role: req.company?.role, fullSignIn: req.principal?.kind === 'user' && !till }),
    );
  });

  r.post('/api/v1/companies/:companyId/till', {
    config: { permission: 'till.manage' },
    schema: {
      tags,
      summary: 'Turn this device into a shared till (manager or owner signed in with a password); the device then shows the PIN pad',
      params: companyParams,
      body: z.object({ label: z.string().trim().min(1).max(60) }),
    },
  }, async (req, reply) => {
    const p = req.principal;
    if (p?.kind !== 'user' || p.till) throw p?.kind === 'user' ? conflict('till.already_enabled') : forbidden('till.session_required');
    return runCommand(req, reply, deps, async (ctx) => {
      const till = await enableTill(ctx, { userId: p.userId, sessionHash: p.sessionHash, label: req.body.label });
      // The device keeps no session of the manager: only the till's cookie and CSRF token.
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.setCookie(TILL_COOKIE, till.raw, { ...tillCookieOptions(deps, till.maxAgeSeconds), httpOnly: true });
      reply.setCookie(CSRF_COOKIE, till.csrf, { ...tillCookieOptions(deps, till.maxAgeSeconds), sameSite: 'lax', httpOnly: false });
      return { status: 201, body: await tillState({ ...ctx, tillId: till.tillId }, till.tillId, { fullSignIn: false }) };
    });
  });

  r.delete('/api/v1/companies/:companyId/till', {
    config: { permission: 'till.manage' },
    schema: { tags, summary: 'End till mode on this device (a manager or owner acting on it); the device must sign in again', params: companyParams },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await disableTill(ctx);
      clearTillCookies(reply);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { status: 204, body: null };
    }),
  );

  r.post('/api/v1/companies/:companyId/till/switch', {
    config: { permission: 'till.use', tillPad: true },
    schema: {
      tags,
      summary: "The PIN's member acts on this till from now on (401 till.wrong_pin; the 5th wrong PIN in a row: 401 till.locked)",
      params: companyParams,
      body: pinBody,
    },
  }, async (req, reply) => {
    const { companyId } = req.params;
    if (!tillOf(req.principal)) throw conflict('till.not_enabled');
    return runCommand<unknown>(req, reply, deps, async (ctx) => {
      const result = await switchUser(ctx, req.body.pin);
      if (result.ok) return { status: 200, body: await tillState(ctx, ctx.tillId, { fullSignIn: false }) };
      if (result.lockedOut) {
        clearTillCookies(reply);
        return { status: 401, body: problemBody(String(req.id), 401, 'till.locked', { params: { companyId } }) };
      }
      return { status: 401, body: problemBody(String(req.id), 401, 'till.wrong_pin', { params: { failuresLeft: result.failuresLeft } }) };
    }, tillScope(req, companyId));
  });

  r.post('/api/v1/companies/:companyId/till/lock', {
    config: { permission: 'till.use', tillPad: true },
    schema: { tags, summary: 'Back to the PIN pad: nobody acts on this till', params: companyParams },
  }, async (req, reply) => {
    const { companyId } = req.params;
    if (!tillOf(req.principal)) throw conflict('till.not_enabled');
    return runCommand(req, reply, deps, async (ctx) => {
      await lockTill(ctx);
      return { status: 204, body: null };
    }, tillScope(req, companyId));
  });
}
