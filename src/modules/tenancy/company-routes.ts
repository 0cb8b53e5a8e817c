import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../platform/http/auth.ts';
import { runCommand, runQuery } from '../../platform/http/command.ts';
import { pageQuery } from '../../platform/http/pagination.ts';
import { ROLES } from '../../platform/permissions.ts';
import {
  addMember,
  changeMemberRole,
  createCompany,
  getCompany,
  listMembers,
  removeMember,
  setMemberPassword,
  updateCompany,
} from './companies.ts';
import type { TenancyDeps } from './deps.ts';
import { PIN_PATTERN } from './pins.ts';
import { settingsSchema } from './rules.ts';
import { pinTakenAnswer } from './till-routes.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './tokens.ts';

const role = z.enum(ROLES);
const companyParams = z.object({ companyId: z.uuid() });
const memberParams = companyParams.extend({ userId: z.uuid() });
const companyFields = z.object({
  name: z.string().trim().min(1).max(200),
  slug: z.string().min(1).max(64).optional(),
  externalRef: z.string().trim().min(1).max(100).nullable().optional(),
  currency: z.string().length(3).toUpperCase(),
  timezone: z.string().min(1).max(64),
  settings: settingsSchema.partial().strict().optional(),
});
const settingsPatch = z.object(
  Object.fromEntries(Object.entries(settingsSchema.shape).map(([k, v]) => [k, v.removeDefault().optional()])),
).strict();

/** Companies, members and API tokens. */
export function companyRoutes(app: FastifyInstance, deps: TenancyDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['companies'];

  r.post('/api/v1/companies', {
    schema: { tags, summary: 'Create a company; the caller becomes its owner', body: companyFields },
  }, async (req, reply) => {
    const { userId } = requireUser(req);
    const companyId = randomUUID();
    return runCommand(req, reply, deps, async (ctx) => ({ status: 201, body: await createCompany(ctx, userId, req.body) }), {
      kind: 'company',
      companyId,
      userId,
    });
  });

  r.get('/api/v1/companies/:companyId', {
    config: { permission: 'company.read' },
    schema: { tags, summary: 'The company with its settings', params: companyParams },
  }, async (req) => runQuery(req, deps, (ctx) => getCompany(ctx)));

  r.patch('/api/v1/companies/:companyId', {
    config: { permission: 'company.update' },
    schema: {
      tags,
      summary: 'Update name, slug, externalRef, currency (frozen once money exists), timezone or settings',
      params: companyParams,
      body: companyFields.partial().extend({ settings: settingsPatch.optional() }).strict(),
    },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await updateCompany(ctx, req.body as never) })),
  );

  r.get('/api/v1/companies/:companyId/members', {
    config: { permission: 'members.read' },
    schema: { tags: ['members'], summary: 'Members of the company', params: companyParams, querystring: pageQuery },
  }, async (req) => runQuery(req, deps, (ctx) => listMembers(ctx, req.query)));

  r.post('/api/v1/companies/:companyId/members', {
    config: { permission: 'members.manage' },
    schema: {
      tags: ['members'],
      summary:
        'Add a member by e-mail (the account is created if unknown; an initial password may be set), or by name and PIN only (no e-mail: never signs in with a password)',
      params: companyParams,
      body: z.object({
        email: z.email().max(254).optional(),
        role,
        name: z.string().trim().min(1).max(200).optional(),
        password: z.string().max(200).optional(),
        pin: z.string().regex(PIN_PATTERN).optional(),
      }),
    },
  }, async (req, reply) =>
    runCommand<unknown>(req, reply, deps, async (ctx) => {
      const added = await addMember(ctx, req.body);
      if ('pinTaken' in added) return pinTakenAnswer(req);
      return { status: 201, body: added.member };
    }),
  );

  r.patch('/api/v1/companies/:companyId/members/:userId', {
    config: { permission: 'members.manage' },
    schema: { tags: ['members'], summary: "Change a member's role (never the last owner)", params: memberParams, body: z.object({ role }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await changeMemberRole(ctx, req.params.userId, req.body.role) })),
  );

  r.delete('/api/v1/companies/:companyId/members/:userId', {
    config: { permission: 'members.manage' },
    schema: { tags: ['members'], summary: 'Remove a member (never the last owner)', params: memberParams },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await removeMember(ctx, req.params.userId);
      return { status: 204, body: null };
    }),
  );

  r.put('/api/v1/companies/:companyId/members/:userId/password', {
    config: { permission: 'members.manage' },
    schema: { tags: ['members'], summary: "Set a member's password (owner)", params: memberParams, body: z.object({ password: z.string().max(200) }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await setMemberPassword(ctx, req.params.userId, req.body.password);
      return { status: 204, body: null };
    }),
  );

  r.get('/api/v1/companies/:companyId/api-tokens', {
    config: { permission: 'tokens.manage' },
    schema: { tags: ['api-tokens'], summary: 'API tokens of the company', params: companyParams, querystring: pageQuery },
  }, async (req) => runQuery(req, deps, (ctx) => listApiTokens(ctx, req.query)));

  r.post('/api/v1/companies/:companyId/api-tokens', {
    config: { permission: 'tokens.manage' },
    schema: {
      tags: ['api-tokens'],
      summary: 'Create an API token with a role (the token is shown once)',
      params: companyParams,
      body: z.object({ name: z.string().trim().min(1).max(100), role }),
    },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => ({ status: 201, body: await createApiToken(ctx, req.body) })),
  );

  r.delete('/api/v1/companies/:companyId/api-tokens/:tokenId', {
    config: { permission: 'tokens.manage' },
    schema: { tags: ['api-tokens'], summary: 'Revoke an API token', params: companyParams.extend({ tokenId: z.uuid() }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await revokeApiToken(ctx, req.params.tokenId);
      return { status: 204, body: null };
    }),
  );
}
