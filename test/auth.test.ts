import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { createCompany, PASSWORD, signUp, waitFor } from './support/factories.ts';
import { startSmtpSink } from './support/smtp-sink.ts';

let app: TestApp;
let dbUrl: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  dbUrl = db.url;
  drop = db.drop;
  app = await startTestApp(db.url);
});
afterAll(async () => {
  await app?.stop();
  await drop?.();
});

const uniq = () => randomBytes(4).toString('hex');
const newEmail = () => `auth-${uniq()}@example.test`;
// Each throttling test signs in from its own address so the per-IP counter is its own.
const newIp = () => `10.${[1, 2, 3].map(() => 1 + randomBytes(1)[0]! % 250).join('.')}`;

async function loginFrom(ip: string, email: string, password: string) {
  const res = await app.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });
  return { status: res.statusCode, headers: res.headers, body: res.json() };
}

function setCookies(headers: Record<string, unknown>): string[] {
  const h = headers['set-cookie'];
  return Array.isArray(h) ? h : h ? [String(h)] : [];
}

describe('registration', () => {
  it('creates the account and signs in with an HttpOnly session cookie and a readable CSRF cookie', async () => {
    const c = new Client(app.app);
    const email = newEmail();
    const res = await c.post('/api/v1/auth/register', { name: 'Awa', email, password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ name: 'Awa', email });
    const cookies = setCookies(res.headers);
    const session = cookies.find((s) => s.startsWith('comptoir_session='))!;
    const csrf = cookies.find((s) => s.startsWith('comptoir_csrf='))!;
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
    expect(session).not.toMatch(/; Secure/i);
    expect(csrf).toBeTruthy();
    expect(csrf).not.toMatch(/HttpOnly/i);
    const me = await c.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: res.body.user, memberships: [] });
  });

  it('refuses weak passwords naming the field and the reason', async () => {
    const c = new Client(app.app);
    const short = await c.post('/api/v1/auth/register', { name: 'A', email: newEmail(), password: 'abc12345' });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ code: 'auth.weak_password', errors: [{ field: 'password', code: 'too_short' }] });
    const common = await c.post('/api/v1/auth/register', { name: 'A', email: newEmail(), password: '1234567890' });
    expect(common.status).toBe(400);
    expect(common.body).toMatchObject({ code: 'auth.weak_password', errors: [{ field: 'password', code: 'too_common' }] });
    expect(c.cookies.size).toBe(0);
  });

  it('refuses an e-mail already in use, whatever its case', async () => {
    const { email } = await signUp(app.app);
    const res = await new Client(app.app).post('/api/v1/auth/register', { name: 'B', email: email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'auth.email_taken', errors: [{ field: 'email', code: 'taken' }] });
  });

  it('is refused when registration is closed', async () => {
    const closed = await startTestApp(dbUrl, { COMPTOIR_REGISTRATION: 'closed' });
    try {
      const res = await new Client(closed.app).post('/api/v1/auth/register', { name: 'C', email: newEmail(), password: PASSWORD });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('auth.registration_closed');
    } finally {
      await closed.stop();
    }
  });

  it('marks the session cookie Secure when the public URL is https', async () => {
    const https = await startTestApp(dbUrl, { COMPTOIR_PUBLIC_URL: 'https://pos.example.test' });
    try {
      const res = await new Client(https.app).post('/api/v1/auth/register', { name: 'D', email: newEmail(), password: PASSWORD });
      expect(res.status).toBe(201);
      const cookies = setCookies(res.headers);
      expect(cookies.find((s) => s.startsWith('comptoir_session='))).toMatch(/; Secure/i);
      expect(cookies.find((s) => s.startsWith('comptoir_csrf='))).toMatch(/; Secure/i);
    } finally {
      await https.stop();
    }
  });
});

describe('sign-in and sign-out', () => {
  it('signs in with the right password and refuses a wrong one or an unknown e-mail alike', async () => {
    const { email, userId } = await signUp(app.app);
    const c = new Client(app.app);
    const ok = await c.post('/api/v1/auth/login', { email: email.toUpperCase(), password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(userId);
    expect((await c.get('/api/v1/me')).status).toBe(200);
    const wrong = await new Client(app.app).post('/api/v1/auth/login', { email, password: 'not-the-password-1' });
    const unknown = await new Client(app.app).post('/api/v1/auth/login', { email: newEmail(), password: PASSWORD });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('auth.invalid_credentials');
    }
    expect(wrong.body).toEqual({ ...unknown.body, requestId: wrong.body.requestId });
  });

  it('signs out: the session no longer works', async () => {
    const { client } = await signUp(app.app);
    const stolen = client.cookies.get('comptoir_session')!;
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
    expect(client.cookies.has('comptoir_session')).toBe(false);
    const replay = new Client(app.app);
    replay.cookies.set('comptoir_session', stolen);
    const me = await replay.get('/api/v1/me');
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('auth.unauthenticated');
  });
});

describe('sign-in throttling', () => {
  it('locks an e-mail after too many failures, with Retry-After, until the window passes', async () => {
    const { email } = await signUp(app.app);
    const ip = newIp();
    for (let i = 0; i < 5; i++) expect((await loginFrom(ip, email, `wrong-password-${i}`)).status).toBe(401);
    const locked = await loginFrom(ip, email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('auth.throttled');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Another address does not unlock the e-mail.
    expect((await loginFrom(newIp(), email, PASSWORD)).status).toBe(429);
    const moved = await new Client(app.app).post('/api/v1/__test/clock', { advanceMinutes: 16 });
    expect(moved.status).toBe(200);
    expect((await loginFrom(ip, email, PASSWORD)).status).toBe(200);
  });

  it('locks an address after four times the limit across many e-mails', async () => {
    const ip = newIp();
    for (let i = 0; i < 20; i++) expect((await loginFrom(ip, newEmail(), PASSWORD)).status).toBe(401);
    const { email } = await signUp(app.app);
    const locked = await loginFrom(ip, email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('auth.throttled');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await loginFrom(newIp(), email, PASSWORD)).status).toBe(200);
  });
});

describe('CSRF and API tokens', () => {
  it('requires the CSRF header matching the cookie on cookie-authenticated mutations', async () => {
    const { client } = await signUp(app.app);
    client.sendCsrf = false;
    const body = { name: `Csrf ${uniq()}`, currency: 'XOF', timezone: 'Africa/Abidjan' };
    const none = await client.post('/api/v1/companies', body);
    expect(none.status).toBe(403);
    expect(none.body.code).toBe('auth.csrf');
    const wrong = await client.post('/api/v1/companies', body, { 'x-csrf-token': 'not-the-token' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('auth.csrf');
    expect((await client.get('/api/v1/me')).body.memberships).toEqual([]);
    const right = await client.post('/api/v1/companies', body, { 'x-csrf-token': client.cookies.get('comptoir_csrf')! });
    expect(right.status).toBe(201);
  });

  it('accepts a bearer token without CSRF, and refuses it once revoked', async () => {
    const { client } = await signUp(app.app);
    const company = await createCompany(client);
    const created = await client.post(`/api/v1/companies/${company.id}/api-tokens`, { name: 'Caisse', role: 'manager' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^cpt_/);
    const bot = client.withToken(created.body.token);
    const renamed = await bot.patch(`/api/v1/companies/${company.id}`, { name: 'Renamed by token' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Renamed by token');
    // A manager token cannot manage tokens.
    expect((await bot.get(`/api/v1/companies/${company.id}/api-tokens`)).status).toBe(403);
    expect((await client.delete(`/api/v1/companies/${company.id}/api-tokens/${created.body.id}`)).status).toBe(204);
    const after = await bot.get(`/api/v1/companies/${company.id}`);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('auth.unauthenticated');
  });
});

describe('password change', () => {
  it('checks the current password, signs out other sessions and keeps this one', async () => {
    const { client, email } = await signUp(app.app);
    const other = new Client(app.app);
    expect((await other.post('/api/v1/auth/login', { email, password: PASSWORD })).status).toBe(200);
    const wrong = await client.post('/api/v1/auth/password', { currentPassword: 'not-my-password-1', newPassword: 'a-new-passphrase-7' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ field: 'currentPassword', code: 'incorrect' }]);
    const weak = await client.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toEqual([{ field: 'newPassword', code: 'too_short' }]);
    const ok = await client.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'a-new-passphrase-7' });
    expect(ok.status).toBe(204);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    expect((await new Client(app.app).post('/api/v1/auth/login', { email, password: PASSWORD })).status).toBe(401);
    expect((await new Client(app.app).post('/api/v1/auth/login', { email, password: 'a-new-passphrase-7' })).status).toBe(200);
  });
});

describe('password reset by e-mail', () => {
  it('is unavailable without SMTP', async () => {
    const res = await new Client(app.app).post('/api/v1/auth/password-reset/request', { email: newEmail() });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('auth.reset_unavailable');
  });

  it('mails a one-time link that sets a new password', async () => {
    const smtp = await startSmtpSink();
    const mailing = await startTestApp(dbUrl, { SMTP_URL: smtp.url, COMPTOIR_JOBS: 'on' }, { pollingIntervalSeconds: 1 });
    try {
      const c = new Client(mailing.app);
      const unknown = newEmail();
      const none = await c.post('/api/v1/auth/password-reset/request', { email: unknown });
      expect(none.status).toBe(202);
      const { email, client: session } = await signUp(mailing.app);
      const res = await c.post('/api/v1/auth/password-reset/request', { email: email.toUpperCase() });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ accepted: true });

      const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes(email)), 10_000, 'reset mail');
      const token = /reset-password\?token=([\w-]+)/.exec(mail.text)?.[1];
      expect(token).toBeTruthy();
      // No job was ever enqueued for the unknown address, so no mail can follow.
      const jobs = await mailing.db.pool.query(`SELECT data->>'to' AS "to" FROM pgboss.job WHERE name = 'mail.send'`);
      expect(jobs.rows.map((r) => r.to)).not.toContain(unknown);
      expect(smtp.mails.filter((m) => m.to.includes(unknown))).toEqual([]);

      const weak = await c.post('/api/v1/auth/password-reset/confirm', { token, password: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.body.code).toBe('auth.weak_password');
      const done = await c.post('/api/v1/auth/password-reset/confirm', { token, password: 'reset-passphrase-42' });
      expect(done.status).toBe(204);
      expect((await session.get('/api/v1/me')).status).toBe(401);
      expect((await c.post('/api/v1/auth/login', { email, password: 'reset-passphrase-42' })).status).toBe(200);
      const again = await new Client(mailing.app).post('/api/v1/auth/password-reset/confirm', { token, password: 'another-passphrase-9' });
      expect(again.status).toBe(400);
      expect(again.body).toMatchObject({ code: 'validation', errors: [{ field: 'token', code: 'invalid_or_expired' }] });
    } finally {
      await mailing.stop();
      await smtp.stop();
    }
  });
});
