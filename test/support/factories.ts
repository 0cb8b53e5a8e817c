import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Role } from '../../src/platform/permissions.ts';
import { Client } from './client.ts';

export const PASSWORD = 'correct-horse-battery-9';
const uniq = () => randomBytes(4).toString('hex');

/** Registers a new account and returns a signed-in client. */
export async function signUp(app: FastifyInstance, name = 'Test User'): Promise<{ client: Client; userId: string; email: string }> {
  const client = new Client(app);
  const email = `user-${uniq()}@example.test`;
  const res = await client.post('/api/v1/auth/register', { name, email, password: PASSWORD });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { client, userId: res.body.user.id, email };
}

export async function createCompany(owner: Client, overrides: Record<string, unknown> = {}) {
  const res = await owner.post('/api/v1/companies', {
    name: `Boutique ${uniq()}`,
    currency: 'XOF',
    timezone: 'Africa/Abidjan',
    ...overrides,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; slug: string; currency: string; settings: Record<string, unknown> };
}

/** An owner with a company, plus a signed-in member for each other role. */
export async function companyWithStaff(app: FastifyInstance) {
  const owner = await signUp(app, 'Owner');
  const company = await createCompany(owner.client);
  const members = { owner } as Record<Role, { client: Client; userId: string; email: string }>;
  for (const role of ['manager', 'cashier', 'server'] as const) {
    members[role] = await addMember(app, owner.client, company.id, role);
  }
  return { company, owner, members };
}

/** The owner adds a new account with an initial password; returns it signed in. */
export async function addMember(app: FastifyInstance, owner: Client, companyId: string, role: Role) {
  const email = `${role}-${uniq()}@example.test`;
  const res = await owner.post(`/api/v1/companies/${companyId}/members`, { email, role, name: role, password: PASSWORD });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const client = new Client(app);
  const login = await client.post('/api/v1/auth/login', { email, password: PASSWORD });
  expect(login.status).toBe(200);
  return { client, userId: res.body.userId as string, email };
}

/** Polls until the condition holds (never a fixed sleep). */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
