import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../src/app.ts';
import { PERMISSIONS, type Permission, ROLES, type Role } from '../src/platform/permissions.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff, createCompany, signUp, waitFor } from './support/factories.ts';
import { SseClient } from './support/sse.ts';

let app: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  app = await startTestApp(db.url);
});
afterAll(async () => {
  // fetch may leave a connection without a request open after an aborted stream; close it
  // now rather than wait for its keep-alive timeout (every stream here is already over).
  app?.app.server.closeAllConnections();
  await app?.stop();
  await drop?.();
});

const COMPANY_PREFIX = '/api/v1/companies/:companyId';
/** Integrations may name the company by its external reference instead (same guard, same table). */
const BY_REF_PREFIX = '/api/v1/companies/by-ref/:externalRef';
/** The external reference the tests give a company. */
const refOf = (companyId: string) => `ref-${companyId}`;
const STREAM_URL = `${COMPANY_PREFIX}/stream`;
/** Routes for a signed-in user that are not about one company, with a valid body. Adding one here is a decision. */
const SIGNED_IN: Record<string, unknown> = {
  'GET /api/v1/me': undefined,
  'POST /api/v1/auth/password': { currentPassword: 'correct-horse-battery-9', newPassword: 'another-horse-battery-7' },
  'POST /api/v1/companies': { name: 'Nobody', currency: 'XOF', timezone: 'Africa/Abidjan' },
};
const SIGNED_IN_ROUTES = Object.keys(SIGNED_IN);

const routes = (): RouteInfo[] => app.app.routeTable;
const isCompanyRoute = (r: RouteInfo) => [COMPANY_PREFIX, BY_REF_PREFIX].some((p) => r.url === p || r.url.startsWith(`${p}/`));
const companyRoutes = () => routes().filter((r) => !r.public && isCompanyRoute(r));
const label = (r: RouteInfo) => `${r.method} ${r.url}`;

/** The route's URL with the company filled in (by id or by reference) and every other parameter a random UUID. */
function fill(url: string, companyId: string): string {
  return url.replace(':companyId', companyId).replace(':externalRef', refOf(companyId)).replace(/:[A-Za-z]+/g, () => randomUUID());
}

/** Gives the company its test external reference (refOf), for the by-ref routes. */
async function withRef(owner: Client, companyId: string) {
  const res = await owner.patch(`/api/v1/companies/${companyId}`, { externalRef: refOf(companyId) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

function call(client: Client, r: RouteInfo, companyId: string) {
  const body = ['POST', 'PUT', 'PATCH'].includes(r.method) ? {} : undefined;
  return client.request(r.method, fill(r.url, companyId), body);
}

describe('the route table', () => {
  it('lists the company routes, each with a known permission', () => {
    const company = companyRoutes();
    expect(company.map(label)).toEqual(
      expect.arrayContaining([
        `GET ${COMPANY_PREFIX}`,
        `PATCH ${COMPANY_PREFIX}`,
        `GET ${COMPANY_PREFIX}/members`,
        `POST ${COMPANY_PREFIX}/members`,
        `GET ${COMPANY_PREFIX}/api-tokens`,
        `GET ${STREAM_URL}`,
      ]),
    );
    const missing = routes().filter((r) => !r.public && (r.url.includes(':companyId') || r.url.includes(':externalRef')) && !r.permission);
    expect(missing.map(label)).toEqual([]);
    const unknown = routes().filter((r) => r.permission && !(r.permission in PERMISSIONS));
    expect(unknown.map(label)).toEqual([]);
  });

  it('keeps members, tokens and settings behind the roles that own them', () => {
    const permissionOf = Object.fromEntries(companyRoutes().map((r) => [label(r), r.permission]));
    expect(permissionOf).toMatchObject({
      [`GET ${COMPANY_PREFIX}`]: 'company.read',
      [`PATCH ${COMPANY_PREFIX}`]: 'company.update',
      [`GET ${COMPANY_PREFIX}/members`]: 'members.read',
      [`POST ${COMPANY_PREFIX}/members`]: 'members.manage',
      [`PATCH ${COMPANY_PREFIX}/members/:userId`]: 'members.manage',
      [`DELETE ${COMPANY_PREFIX}/members/:userId`]: 'members.manage',
      [`PUT ${COMPANY_PREFIX}/members/:userId/password`]: 'members.manage',
      [`GET ${COMPANY_PREFIX}/api-tokens`]: 'tokens.manage',
      [`POST ${COMPANY_PREFIX}/api-tokens`]: 'tokens.manage',
      [`DELETE ${COMPANY_PREFIX}/api-tokens/:tokenId`]: 'tokens.manage',
      [`GET ${STREAM_URL}`]: 'stream.read',
    });
    expect(PERMISSIONS['members.manage']).toEqual(['owner']);
    expect(PERMISSIONS['tokens.manage']).toEqual(['owner']);
    expect(PERMISSIONS['members.read']).toEqual(['owner', 'manager']);
    expect(PERMISSIONS['company.update']).toEqual(['owner', 'manager']);
  });

  it('puts every API route under a company, in the public set or in the signed-in allow-list', () => {
    const api = routes().filter((r) => r.url.startsWith('/api/'));
    expect(api.filter((r) => !r.url.startsWith('/api/v1/')).map(label)).toEqual([]);
    const stray = api.filter((r) => !r.public && !isCompanyRoute(r) && !SIGNED_IN_ROUTES.includes(label(r)));
    expect(stray.map(label)).toEqual([]);
    // The allow-list names real routes (a renamed route must be re-decided).
    for (const allowed of SIGNED_IN_ROUTES) expect(api.map(label)).toContain(allowed);
  });

  it('asks for a sign-in on the signed-in routes', async () => {
    const anonymous = new Client(app.app);
    for (const entry of SIGNED_IN_ROUTES) {
      const [method, url] = entry.split(' ') as [string, string];
      const res = await anonymous.request(method, url, SIGNED_IN[entry]);
      expect(res.status, entry).toBe(401);
      expect(res.body.code, entry).toBe('auth.unauthenticated');
    }
  });
});

describe('every company route against every role', () => {
  it('refuses the roles the table does not allow (403) and lets the others through', async () => {
    const { company, owner, members } = await companyWithStaff(app.app);
    await withRef(owner.client, company.id);
    // The same matrix with API tokens of each role: their role comes from the token.
    const tokens = {} as Record<Role, Client>;
    for (const role of ROLES) {
      const res = await owner.client.post(`/api/v1/companies/${company.id}/api-tokens`, { name: `t-${role}`, role });
      expect(res.status).toBe(201);
      tokens[role] = owner.client.withToken(res.body.token);
    }
    const tested = companyRoutes().filter((r) => r.url !== STREAM_URL);
    expect(tested.length).toBeGreaterThanOrEqual(10);
    const wrong: string[] = [];
    for (const r of tested) {
      const allowed = PERMISSIONS[r.permission as Permission] as readonly Role[];
      for (const role of ROLES) {
        for (const [kind, client] of [['user', members[role].client], ['token', tokens[role]]] as const) {
          const res = await call(client, r, company.id);
          const seen = `${label(r)} as ${role} ${kind}: ${res.status} ${res.body?.code ?? ''}`;
          if (!allowed.includes(role)) {
            if (res.status !== 403 || res.body.code !== 'auth.forbidden') wrong.push(`${seen} (expected 403 auth.forbidden)`);
            else if (res.body.params?.permission !== r.permission) wrong.push(`${seen} (names ${res.body.params?.permission})`);
          } else if ([401, 403].includes(res.status) || res.status >= 500 || res.body?.code === 'company.not_found') {
            wrong.push(`${seen} (allowed role refused)`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    // Nothing an allowed role sent with an empty body removed anyone.
    const list = await owner.client.get(`/api/v1/companies/${company.id}/members`);
    expect(list.body.items).toHaveLength(4);
  });

  it('opens the live stream over HTTP for every role the table allows', async () => {
    const { company, members } = await companyWithStaff(app.app);
    const url = `${app.url}/api/v1/companies/${company.id}/stream`;
    const allowed = PERMISSIONS['stream.read'] as readonly Role[];
    for (const role of ROLES) {
      const client = members[role].client;
      const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      if (!allowed.includes(role)) {
        const res = await client.get(`/api/v1/companies/${company.id}/stream`);
        expect(res.status, role).toBe(403);
        expect(res.body.code).toBe('auth.forbidden');
        continue;
      }
      const controller = new AbortController();
      const raw = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
      expect(raw.status, role).toBe(200);
      expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
      controller.abort();
      await waitFor(() => app.hub.size === 0, 5000, 'first stream closed');
      const sse = await SseClient.open(url, { cookie });
      expect(sse.status, role).toBe(200);
      await waitFor(() => app.hub.size === 1, 5000, `${role} stream registered`);
      sse.close();
      await waitFor(() => app.hub.size === 0, 5000, `${role} stream closed`);
    }
  });
});

describe('another company is invisible', () => {
  async function twoCompanies() {
    const a = await companyWithStaff(app.app);
    await withRef(a.owner.client, a.company.id);
    const b = await signUp(app.app, 'Owner B');
    const companyB = await createCompany(b.client);
    const token = await b.client.post(`/api/v1/companies/${companyB.id}/api-tokens`, { name: 'b', role: 'owner' });
    expect(token.status).toBe(201);
    return { a, b, companyB, tokenB: b.client.withToken(token.body.token) };
  }

  it("answers 404 to the owner of company B and to B's owner token on every route of company A", async () => {
    const { a, b, tokenB } = await twoCompanies();
    const wrong: string[] = [];
    for (const r of companyRoutes()) {
      for (const [who, client] of [['owner of B', b.client], ['token of B', tokenB]] as const) {
        const res = await call(client, r, a.company.id);
        if (res.status !== 404 || res.body.code !== 'company.not_found') {
          wrong.push(`${label(r)} by ${who}: ${res.status} ${res.body?.code ?? ''}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // And nothing changed in A.
    const after = await a.owner.client.get(`/api/v1/companies/${a.company.id}/members`);
    expect(after.body.items).toHaveLength(4);
  });

  it('answers 401 without a sign-in and 404 for a malformed or unknown company id', async () => {
    const { a } = await twoCompanies();
    const anonymous = new Client(app.app);
    const wrong: string[] = [];
    for (const r of companyRoutes()) {
      const cases: Array<[string, Client, string, number, string]> = [
        ['anonymous', anonymous, a.company.id, 401, 'auth.unauthenticated'],
        ['non-UUID id', a.owner.client, 'not-a-uuid', 404, 'company.not_found'],
        ['unknown id', a.owner.client, randomUUID(), 404, 'company.not_found'],
      ];
      for (const [what, client, companyId, status, code] of cases) {
        const res = await call(client, r, companyId);
        if (res.status !== status || res.body.code !== code) wrong.push(`${label(r)} ${what}: ${res.status} ${res.body?.code ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
