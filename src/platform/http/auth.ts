import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, forbidden, notFound, unauthenticated } from '../errors.ts';
import { can, type Permission, pinMayDo, type Role } from '../permissions.ts';

export const SESSION_COOKIE = 'comptoir_session';
export const CSRF_COOKIE = 'comptoir_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export const TILL_COOKIE = 'comptoir_till';

/** A shared till (till mode, see src/modules/tenancy/till.ts): the device's company, nothing else. */
export interface TillAccess {
  tillId: string;
  companyId: string;
  /** Locked out after too many wrong PINs: the device may only sign in again. */
  locked: boolean;
}

/**
 * Who calls. On a till, the member whose PIN was entered is a `user` carrying `till`
 * (sessionHash is empty: the device holds no session of theirs); a till where nobody
 * acts yet (the PIN pad) or that is locked out is a `till`.
 */
export type Principal =
  | { kind: 'user'; userId: string; sessionHash: string; csrfToken: string; till?: TillAccess }
  | { kind: 'token'; tokenId: string; companyId: string; role: Role }
  | { kind: 'till'; till: TillAccess; csrfToken: string };

/** What the till cookie resolves to (null: no such till, or it has ended). */
export interface TillResolution {
  tillId: string;
  companyId: string;
  csrfToken: string;
  locked: boolean;
  actingUserId: string | null;
}

export interface CompanyAccess {
  companyId: string;
  role: Role;
}

/** The look-ups the guard needs; the tenancy module provides them. */
export interface AuthResolver {
  session(rawToken: string): Promise<Extract<Principal, { kind: 'user' }> | null>;
  token(rawToken: string): Promise<Extract<Principal, { kind: 'token' }> | null>;
  membershipRole(companyId: string, userId: string): Promise<Role | null>;
  /** An integration may name the company by its external reference (`/companies/by-ref/{externalRef}/…`). */
  companyIdByRef(externalRef: string): Promise<string | null>;
  /** The till a device cookie names, if it is still a till. */
  till(rawToken: string): Promise<TillResolution | null>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    company: CompanyAccess | null;
  }
  interface FastifyContextConfig {
    /** The action this route performs, checked against the permission table. */
    permission?: Permission;
    /** Public routes skip sign-in. */
    public?: boolean;
    /** Reachable from a till's PIN pad, where nobody acts yet (the route checks the till itself). */
    tillPad?: boolean;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves who is calling (session cookie or bearer token), enforces CSRF on
 * cookie-authenticated mutations, and for /companies/{companyId}/… routes checks
 * membership (unknown or foreign company -> 404) and the route's permission (403).
 */
export function registerAuth(app: FastifyInstance, resolver: AuthResolver) {
  app.decorateRequest('principal', null);
  app.decorateRequest('company', null);

  const checkCsrf = (req: FastifyRequest, expected: string) => {
    if (SAFE_METHODS.has(req.method)) return;
    const header = req.headers[CSRF_HEADER];
    const cookie = req.cookies[CSRF_COOKIE];
    if (typeof header !== 'string' || header !== cookie || header !== expected) {
      throw new DomainError('auth.csrf', 403);
    }
  };

  app.addHook('onRequest', async (req) => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      req.principal = await resolver.token(auth.slice(7).trim());
      if (!req.principal) throw unauthenticated();
      return;
    }
    // A till's cookie comes first: on a shared till nobody holds a session of their own.
    const tillRaw = req.cookies[TILL_COOKIE];
    const till = tillRaw ? await resolver.till(tillRaw) : null;
    if (till) {
      const access: TillAccess = { tillId: till.tillId, companyId: till.companyId, locked: till.locked };
      req.principal =
        till.actingUserId && !till.locked
          ? { kind: 'user', userId: till.actingUserId, sessionHash: '', csrfToken: till.csrfToken, till: access }
          : { kind: 'till', till: access, csrfToken: till.csrfToken };
      // A locked-out till grants nothing; it may still sign in (login is public).
      if (!till.locked) checkCsrf(req, till.csrfToken);
      return;
    }
    const raw = req.cookies[SESSION_COOKIE];
    if (!raw) return;
    const session = await resolver.session(raw);
    if (!session) return;
    req.principal = session;
    checkCsrf(req, session.csrfToken);
  });

  app.addHook('preValidation', async (req, reply) => {
    const config = req.routeOptions.config;
    // The request's own logger (the reply logs its completion with it) names who calls:
    // bindings added in place, no new child logger per request.
    if (req.principal) bindLog(req, logFields(req.principal));
    if (reply.log !== req.log) reply.log = req.log;
    if (config.public) return;
    // Every API route that is not public needs a signed-in caller, checked before the body.
    if (!req.principal && req.routeOptions.url?.startsWith('/api/')) throw unauthenticated();
    const params = req.params as { companyId?: string; externalRef?: string } | undefined;
    const till = tillOf(req.principal);
    if (till && req.routeOptions.url?.startsWith('/api/')) {
      // A till acts for its company only, and its PIN pad reaches only the till's own routes.
      if (till.locked) throw new DomainError('till.locked', 401, { companyId: till.companyId });
      const pad = req.principal?.kind === 'till';
      const pinRequired = () => new DomainError('till.pin_required', 401, { companyId: till.companyId });
      if (params?.companyId === undefined) {
        if (pad) throw pinRequired();
        if (!TILL_OTHER_ROUTES.has(`${req.method} ${req.routeOptions.url}`)) throw forbidden('till.forbidden');
        return;
      }
      if (params.companyId !== till.companyId) throw notFound('company.not_found');
      if (pad) {
        if (!config.tillPad) throw pinRequired();
        return;
      }
    }
    if (config.permission === undefined && params?.companyId === undefined && params?.externalRef === undefined) return;
    if (!req.principal) throw unauthenticated();
    let companyId = params?.companyId;
    if (companyId === undefined && params?.externalRef !== undefined) {
      companyId = (await resolver.companyIdByRef(params.externalRef)) ?? undefined;
      if (!companyId) throw notFound('company.not_found');
    }
    if (!companyId) return;
    if (!UUID.test(companyId)) throw notFound('company.not_found');
    const role =
      req.principal.kind === 'token'
        ? req.principal.companyId === companyId
          ? req.principal.role
          : null
        : req.principal.kind === 'user'
          ? await resolver.membershipRole(companyId, req.principal.userId)
          : null;
    if (!role) throw notFound('company.not_found');
    req.company = { companyId, role };
    // Every later line of this request names the company and who acts.
    bindLog(req, { companyId });
    if (!config.permission) throw new Error(`route ${req.routeOptions.url} has no permission`);
    if (!can(role, config.permission)) throw forbidden('auth.forbidden', { permission: config.permission });
    // A PIN is a weak secret: who may get in (members, PINs, tokens) needs a full sign-in.
    if (till && !pinMayDo(config.permission)) throw forbidden('till.full_sign_in_required', { permission: config.permission });
  });
}

/** Routes about no company that the member acting on a till may use (/me answers for the till's company only). */
const TILL_OTHER_ROUTES = new Set(['GET /api/v1/me']);

/** The till the request comes from, if any. */
export function tillOf(p: Principal | null | undefined): TillAccess | undefined {
  return p?.kind === 'till' ? p.till : p?.kind === 'user' ? p.till : undefined;
}

/** Adds fields to the request's logger in place (a disabled logger has nothing to add to). */
function bindLog(req: FastifyRequest, fields: Record<string, string>): void {
  const log = req.log as FastifyRequest['log'] & { setBindings?: (b: Record<string, string>) => void };
  log.setBindings?.(fields);
}

function logFields(p: Principal): Record<string, string> {
  if (p.kind === 'token') return { tokenId: p.tokenId };
  if (p.kind === 'till') return { tillId: p.till.tillId };
  return p.till ? { userId: p.userId, tillId: p.till.tillId } : { userId: p.userId };
}

/** The signed-in user, or 401. */
export function requireUser(req: FastifyRequest): Extract<Principal, { kind: 'user' }> {
  if (req.principal?.kind !== 'user') throw unauthenticated();
  return req.principal;
}

/** The company access checked by the guard (routes under /companies/{companyId}). */
export function requireCompany(req: FastifyRequest): CompanyAccess {
  if (!req.company) throw unauthenticated();
  return req.company;
}

export function setSessionCookies(
  reply: FastifyReply,
  session: { raw: string; csrf: string; maxAgeSeconds: number },
  secure: boolean,
) {
  const base = { path: '/', sameSite: 'lax' as const, secure, maxAge: session.maxAgeSeconds };
  reply.setCookie(SESSION_COOKIE, session.raw, { ...base, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, session.csrf, { ...base, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
