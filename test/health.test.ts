import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { startTestApp, type TestApp } from './support/app.ts';

let app: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  app = await startTestApp(db.url);
});
afterAll(async () => {
  await app.stop();
  await drop();
});

describe('platform endpoints', () => {
  it('answers health and readiness', async () => {
    const c = new Client(app.app);
    expect((await c.get('/api/v1/health')).body).toEqual({ status: 'ok' });
    expect((await c.get('/api/v1/ready')).body).toEqual({ status: 'ready' });
  });

  it('publishes the OpenAPI document with every API route', async () => {
    const res = await fetch(`${app.url}/docs/json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/companies/{companyId}/members');
    expect(Object.keys(doc.paths)).toContain('/api/v1/auth/login');
    const ui = await fetch(`${app.url}/docs`);
    expect(ui.status).toBe(200);
  });

  it('answers unknown API paths with a problem', async () => {
    const res = await new Client(app.app).get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, code: 'not_found' });
    expect(res.body.requestId).toBeTruthy();
  });
});
