import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, forbidden, notFound, unauthenticated } from '../errors.ts';
import { can, type Permission, type Role } from '../permissions.ts';

export const SESSION_COOKIE = 'comptoir_session';
export const CSRF_COOKIE = 'comptoir_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export type Principal =
  | { kind: 'user'; userId: string; sessionHash: string; csrfToken: string }
  | { kind: 'token'; tokenId: string; companyId: string; role: Role };

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

  app.addHook('onRequest', async (req) => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      req.principal = await resolver.token(auth.slice(7).trim());
      if (!req.principal) throw unauthenticated();
      return;
    }
    const raw = req.cookies[SESSION_COOKIE];
    if (!raw) return;
    const session = await resolver.session(raw);
    if (!session) return;
    req.principal = session;
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers[CSRF_HEADER];
      const cookie = req.cookies[CSRF_COOKIE];
      if (typeof header !== 'string' || header !== cookie || header !== session.csrfToken) {
        throw new DomainError('auth.csrf', 403);
      }
    }
  });

  app.addHook('preValidation', async (req, reply) => {
    const config = req.routeOptions.config;
    if (req.principal) req.log = req.log.child(req.principal.kind === 'user' ? { userId: req.principal.userId } : { tokenId: req.principal.tokenId });
    // The reply logs the request's completion: the same fields.
    reply.log = req.log;
    if (config.public) return;
    // Every API route that is not public needs a signed-in caller, checked before the body.
    if (!req.principal && req.routeOptions.url?.startsWith('/api/')) throw unauthenticated();
    const params = req.params as { companyId?: string; externalRef?: string } | undefined;
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
        : await resolver.membershipRole(companyId, req.principal.userId);
    if (!role) throw notFound('company.not_found');
    req.company = { companyId, role };
    // Every later line of this request names the company and who acts.
    req.log = req.log.child({ companyId });
    reply.log = req.log;
    if (!config.permission) throw new Error(`route ${req.routeOptions.url} has no permission`);
    if (!can(role, config.permission)) throw forbidden('auth.forbidden', { permission: config.permission });
  });
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
