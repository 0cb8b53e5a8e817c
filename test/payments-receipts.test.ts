import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff, createCompany, signUp, waitFor } from './support/factories.ts';
import { configureProviders, MM_CREDS, STRIPE_CREDS, startSmsReceiver } from './support/pay-kit.ts';
import { startSmtpSink } from './support/smtp-sink.ts';

// Receipts (stored, e-mailed, texted, retried, resent, sent once after a crash),
// returning clients, and who may see what.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'test-secret-key-0123456789abcdef0123456789';
/** What Intl gives for 5000 XOF in fr-FR: narrow no-break spaces around the groups, a no-break space before the symbol. */
const XOF_5000 = '5\u202F000\u00A0F\u202FCFA';

let bare: TestApp; // no SMTP, no SMS, jobs off
let full: TestApp; // SMTP + SMS, jobs on
let drop: () => Promise<void>;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let sms: Awaited<ReturnType<typeof startSmsReceiver>>;
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  [smtp, sms] = await Promise.all([startSmtpSink(), startSmsReceiver()]);
  bare = await startTestApp(db.url, { COMPTOIR_SECRET_KEY: SECRET });
  full = await startTestApp(
    db.url,
    { SMTP_URL: smtp.url, SMS_URL: sms.url, SMS_API_KEY: 'sms-key-1', COMPTOIR_SECRET_KEY: SECRET, COMPTOIR_JOBS: 'on' },
    { pollingIntervalSeconds: 0.5 },
  );
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await bare?.stop();
  await full?.stop();
  await Promise.all([smtp?.stop(), sms?.stop()]);
  await drop();
});

async function salon(a: TestApp, fields: Record<string, unknown> = {}) {
  const owner = await signUp(a.app, 'Aminata');
  const company = await createCompany(owner.client, { name: 'Salon Aminata', currency: 'XOF', timezone: 'Africa/Abidjan', ...fields });
  const base = `/api/v1/companies/${company.id}`;
  const svc = await owner.client.post(`${base}/products`, { name: 'Coupe femme', kind: 'service', price: 5000 });
  expect(svc.status, JSON.stringify(svc.body)).toBe(201);
  return { a, owner: owner.client, company, base, serviceId: svc.body.id as string };
}
type Salon = Awaited<ReturnType<typeof salon>>;

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

/** A QR session (service or amount), identified as given; `p` is its public path. */
async function identified(s: Salon, who: { name: string; phone?: string; email?: string }, session: Record<string, unknown> = {}) {
  const created = await ok(s.owner.post(`${s.base}/payment-sessions`, Object.keys(session).length ? session : { serviceId: s.serviceId }), 201);
  const p = `/api/v1/public/pay/${created.publicUrl.split('/pay/')[1]}`;
  const c = new Client(s.a.app);
  const answer = await ok(c.post(`${p}/identify`, who));
  return { id: created.id as string, p, c, answer };
}

/** The cash journey to the end: pay cash, staff confirm. */
async function payCash(s: Salon, x: { p: string; c: Client }) {
  const pay = await ok(x.c.post(`${x.p}/pay`, { method: 'cash' }));
  const confirmed = await ok(s.owner.post(`${s.base}/payments/${pay.payment.id}/confirm`, {}));
  expect(confirmed).toMatchObject({ status: 'succeeded', saleId: expect.any(String) });
  return confirmed as { id: string; saleId: string };
}

async function events(a: TestApp, companyId: string, type: string) {
  const { rows } = await a.db.pool.query(`SELECT data, level FROM events WHERE company_id = $1 AND type = $2 ORDER BY position`, [companyId, type]);
  return rows as Array<{ data: Record<string, unknown>; level: string }>;
}

/** "2026-11-21T22:05:00Z" at UTC+3 → "22/11/2026 01:05", by hand. */
function localAt(iso: string, offsetHours: number): string {
  const d = new Date(new Date(iso).getTime() + offsetHours * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** The decoded parts of a MIME message (quoted-printable or base64), by content type. */
function parts(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const chunks = boundary ? raw.split(`--${boundary}`) : [raw];
  for (const chunk of chunks) {
    const type = /content-type:\s*([\w/]+)/i.exec(chunk)?.[1]?.toLowerCase();
    if (!type?.startsWith('text/')) continue;
    const sep = chunk.search(/\r?\n\r?\n/);
    const body = chunk.slice(sep).trim();
    const enc = /content-transfer-encoding:\s*([\w-]+)/i.exec(chunk)?.[1]?.toLowerCase();
    out[type] =
      enc === 'base64'
        ? Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8')
        : enc === 'quoted-printable'
          ? Buffer.from(
              body
                .replace(/=\r?\n/g, '')
                .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
              'latin1',
            ).toString('utf8')
          : body;
  }
  return out;
}

describe('receipts without SMTP or SMS', () => {
  it('the payment succeeds, the receipt is stored and visible, nothing is sent and nothing fails', async () => {
    const s = await salon(bare);
    const x = await identified(s, { name: 'Fatou Diallo', phone: '+225 07 00 00 01', email: 'fatou@example.test' });
    await ok(x.c.post(`${x.p}/service`, { serviceId: s.serviceId }));
    const before = await x.c.get(`${x.p}/receipt`);
    expect([before.status, before.body.code]).toEqual([404, 'receipt.not_found']);
    const paid = await payCash(s, x);
    const session = await ok(s.owner.get(`${s.base}/payment-sessions/${x.id}`));
    expect(session).toMatchObject({ status: 'paid', receiptId: expect.any(String), saleId: paid.saleId });

    const sale = await ok(s.owner.get(`${s.base}/sales/${paid.saleId}`));
    const receipt = await ok(s.owner.get(`${s.base}/receipts/${session.receiptId}`));
    expect(receipt).toMatchObject({
      id: session.receiptId,
      reference: sale.reference,
      business: { name: 'Salon Aminata', address: null },
      lines: [{ name: 'Coupe femme', quantity: 1, unitPrice: 5000, total: 5000 }],
      total: 5000,
      currency: 'XOF',
      method: 'cash',
      paidAt: sale.paidAt,
      paidAtLocal: localAt(sale.paidAt, 0),
      timeZone: 'Africa/Abidjan',
      clientName: 'Fatou Diallo',
      deliveries: [],
    });
    const publicReceipt = await ok(x.c.get(`${x.p}/receipt`));
    expect(publicReceipt).toMatchObject({ reference: sale.reference, total: 5000, currency: 'XOF' });
    expect(publicReceipt).not.toHaveProperty('deliveries');
    const html = await x.c.get(`${x.p}/receipt.html`);
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['content-disposition']).toBe(`attachment; filename="recu-${sale.reference}.html"`);
    expect(html.body).toContain(sale.reference);
    expect(html.body).toContain('Salon Aminata');
    expect(html.body).toContain('Coupe femme');
    expect(html.body).toContain(XOF_5000);

    const { rows: deliveries } = await bare.db.pool.query('SELECT * FROM receipt_deliveries WHERE company_id = $1', [s.company.id]);
    expect(deliveries).toEqual([]);
    const { rows: jobs } = await bare.db.pool.query(`SELECT id FROM pgboss.job WHERE name = 'payments.send-receipt' AND data->>'companyId' = $1`, [s.company.id]);
    expect(jobs).toEqual([]);
    expect(await events(bare, s.company.id, 'receipt_failed')).toEqual([]);
    expect(await events(bare, s.company.id, 'receipt_sent')).toEqual([]);
    const resend = await s.owner.post(`${s.base}/receipts/${session.receiptId}/resend`, {});
    expect([resend.status, resend.body.code]).toEqual([409, 'receipt.no_channel']);
    expect(smtp.mails.filter((m) => m.to.includes('fatou@example.test'))).toEqual([]);
  });
});

describe('receipts by e-mail and SMS', () => {
  it('HTML and text e-mail and an SMS, in the company currency and time zone; receipt_sent for each', async () => {
    const s = await salon(full, { name: 'Salon Nairobi', timezone: 'Africa/Nairobi' });
    const x = await identified(s, { name: 'Wanjiru', phone: '+254 700 000 001', email: 'wanjiru@example.test' });
    const paid = await payCash(s, x);
    const sale = await ok(s.owner.get(`${s.base}/sales/${paid.saleId}`));
    const local = localAt(sale.paidAt, 3);

    const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes('wanjiru@example.test')), 15_000, 'receipt e-mail');
    expect(mail.raw).toMatch(/multipart\/alternative/i);
    const { 'text/plain': text, 'text/html': html } = parts(mail.raw);
    for (const body of [text, html]) {
      expect(body).toBeDefined();
      for (const needle of ['Salon Nairobi', 'Coupe femme', XOF_5000, local, sale.reference]) expect(body, needle).toContain(needle);
    }
    expect(html).toContain('Africa/Nairobi');
    expect(html).toMatch(/^<!doctype html>/i);
    const subject = /^Subject: (.*)$/m.exec(mail.raw)?.[1] ?? '';
    expect(subject.length).toBeGreaterThan(0);

    const text1 = await waitFor(() => sms.messages.find((m) => m.to === '+254 700 000 001'), 15_000, 'receipt SMS');
    expect(text1.authorization).toBe('Bearer sms-key-1');
    expect(text1.message).toBe(`Salon Nairobi : reçu ${sale.reference}, ${XOF_5000} payé le ${local}. Merci !`);

    const receiptId = (await ok(s.owner.get(`${s.base}/payment-sessions/${x.id}`))).receiptId;
    const receipt = await waitFor(async () => {
      const r = await ok(s.owner.get(`${s.base}/receipts/${receiptId}`));
      return r.deliveries.every((d: { status: string }) => d.status === 'sent') ? r : null;
    }, 15_000, 'deliveries sent');
    expect(receipt.deliveries).toEqual([
      { channel: 'email', to: 'w•••u@example.test', status: 'sent', attempts: 1, lastError: null, sentAt: expect.any(String) },
      { channel: 'sms', to: '•••••••••0001', status: 'sent', attempts: 1, lastError: null, sentAt: expect.any(String) },
    ]);
    const sent = await events(full, s.company.id, 'receipt_sent');
    expect(sent.map((e) => e.data).sort((p, q) => String(p.channel).localeCompare(String(q.channel)))).toEqual([
      { receiptId, channel: 'email', to: 'w•••@example.test', attempt: 1 },
      { receiptId, channel: 'sms', to: expect.stringMatching(/^•••.{0,4}$/), attempt: 1 },
    ]);
    // Events carry masked contacts only.
    expect(JSON.stringify(sent)).not.toMatch(/wanjiru|700 000/);
    expect(await events(full, s.company.id, 'receipt_failed')).toEqual([]);
    expect(smtp.mails.filter((m) => m.to.includes('wanjiru@example.test'))).toHaveLength(1);
    expect(sms.messages.filter((m) => m.to === '+254 700 000 001')).toHaveLength(1);
  });

  it('a failing SMS gateway: receipt_failed, then a retry with backoff sends it once; staff resend sends again', async () => {
    const s = await salon(full);
    const phone = '+225 07 00 00 55';
    const x = await identified(s, { name: 'Koffi', phone, email: 'koffi@example.test' });
    sms.failNext(1);
    await payCash(s, x);
    const receiptId = (await ok(s.owner.get(`${s.base}/payment-sessions/${x.id}`))).receiptId as string;
    const failed = await waitFor(async () => (await events(full, s.company.id, 'receipt_failed'))[0], 15_000, 'receipt_failed');
    expect(failed).toMatchObject({ level: 'warning', data: { receiptId, channel: 'sms', attempt: 1, final: false, reason: 'SMS gateway answered HTTP 502' } });
    const text = await waitFor(() => sms.messages.find((m) => m.to === phone), 20_000, 'the SMS, retried');
    expect(text.authorization).toBe('Bearer sms-key-1');
    const receipt = await waitFor(async () => {
      const r = await ok(s.owner.get(`${s.base}/receipts/${receiptId}`));
      return r.deliveries.every((d: { status: string }) => d.status === 'sent') ? r : null;
    }, 15_000, 'deliveries sent');
    expect(receipt.deliveries.map((d: Record<string, unknown>) => [d.channel, d.status, d.attempts, d.lastError])).toEqual([
      ['email', 'sent', 1, null],
      ['sms', 'sent', 2, null],
    ]);
    const sent = await events(full, s.company.id, 'receipt_sent');
    expect(sent.map((e) => [e.data.channel, e.data.attempt]).sort()).toEqual([['email', 1], ['sms', 2]]);
    expect(await events(full, s.company.id, 'receipt_failed')).toHaveLength(1);
    const smsJob = async () =>
      (await full.db.pool.query(`SELECT state, retry_count FROM pgboss.job WHERE name = 'payments.send-receipt' AND data->>'receiptId' = $1 AND data->>'channel' = 'sms'`, [receiptId])).rows;
    await waitFor(async () => (await smsJob())[0]?.state === 'completed', 10_000, 'the SMS job to complete');
    expect(await smsJob()).toEqual([{ state: 'completed', retry_count: 1 }]);
    expect(sms.messages.filter((m) => m.to === phone)).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.to.includes('koffi@example.test'))).toHaveLength(1);

    // Staff send it again: both channels, once more each.
    const resent = await s.owner.post(`${s.base}/receipts/${receiptId}/resend`, {});
    expect(resent.status, JSON.stringify(resent.body)).toBe(202);
    expect(resent.body.deliveries.map((d: Record<string, unknown>) => [d.channel, d.status])).toEqual([['email', 'pending'], ['sms', 'pending']]);
    await waitFor(() => sms.messages.filter((m) => m.to === phone).length === 2, 15_000, 'second SMS');
    await waitFor(() => smtp.mails.filter((m) => m.to.includes('koffi@example.test')).length === 2, 15_000, 'second e-mail');
    // ...and to another address when asked.
    const other = await s.owner.post(`${s.base}/receipts/${receiptId}/resend`, { channel: 'email', to: 'koffi.bureau@example.test' });
    expect(other.status, JSON.stringify(other.body)).toBe(202);
    const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes('koffi.bureau@example.test')), 15_000, 'e-mail to the other address');
    expect(parts(mail.raw)['text/plain']).toContain(receipt.reference);
    await waitFor(async () => (await events(full, s.company.id, 'receipt_sent')).length === 5, 15_000, 'five receipt_sent');
    expect(sms.messages.filter((m) => m.to === phone)).toHaveLength(2);
  }, 60_000);
});

// --- a real server process, killed after the payment committed -------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A browser-like client over real HTTP (cookies, CSRF header on mutations). */
function httpClient(base: string) {
  const cookies = new Map<string, string>();
  return async (method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && cookies.has('comptoir_csrf')) headers['x-csrf-token'] = cookies.get('comptoir_csrf')!;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    const text = await res.text();
    return { status: res.status, body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
  };
}

describe('a crash after the payment committed', () => {
  it('kill -9 of the server: the next instance sends the receipt e-mail exactly once', async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-crash-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: db.url,
        COMPTOIR_DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        COMPTOIR_RATE_LIMIT: '0',
        COMPTOIR_JOBS: 'off',
        SMTP_URL: smtp.url,
        COMPTOIR_SECRET_KEY: SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`main.ts exited early:\n${out}`);
      return out.includes(`Comptoir listening on http://localhost:${port}`);
    }, 60_000, `start-up line in:\n${out}`);

    const base = `http://127.0.0.1:${port}`;
    const staff = httpClient(base);
    const reg = await staff('POST', '/api/v1/auth/register', { name: 'Owner', email: `crash-${port}@example.test`, password: 'correct-horse-battery-9' });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const company = await staff('POST', '/api/v1/companies', { name: 'Chez Crash', currency: 'XOF', timezone: 'Africa/Abidjan' });
    expect(company.status, JSON.stringify(company.body)).toBe(201);
    const cbase = `/api/v1/companies/${company.body.id}`;
    const created = await staff('POST', `${cbase}/payment-sessions`, { amount: 3000 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const client = httpClient(base);
    const p = `/api/v1/public/pay/${created.body.publicUrl.split('/pay/')[1]}`;
    const address = `crash-${port}@example.test`.replace('crash-', 'client-');
    expect((await client('POST', `${p}/identify`, { name: 'Aya', email: address })).status).toBe(200);
    const pay = await client('POST', `${p}/pay`, { method: 'cash' });
    expect(pay.status, JSON.stringify(pay.body)).toBe(200);
    const confirmed = await staff('POST', `${cbase}/payments/${pay.body.payment.id}/confirm`, {});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.status).toBe('succeeded');

    // Committed with the payment: the delivery and its job; nothing worked them (jobs off).
    const probe = await startTestApp(db.url, { COMPTOIR_SECRET_KEY: SECRET });
    cleanups.push(() => probe.stop());
    const jobsOf = async () =>
      (await probe.db.pool.query(`SELECT state FROM pgboss.job WHERE name = 'payments.send-receipt' AND data->>'companyId' = $1`, [company.body.id])).rows;
    expect(await jobsOf()).toEqual([{ state: 'created' }]);
    const deliveryOf = async () => (await probe.db.pool.query(`SELECT status, attempts FROM receipt_deliveries WHERE company_id = $1`, [company.body.id])).rows;
    expect(await deliveryOf()).toEqual([{ status: 'pending', attempts: 0 }]);

    process.kill(child.pid!, 'SIGKILL');
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(smtp.mails.filter((m) => m.to.includes(address))).toEqual([]);

    const revived = await startTestApp(db.url, { SMTP_URL: smtp.url, COMPTOIR_SECRET_KEY: SECRET, COMPTOIR_JOBS: 'on' }, { pollingIntervalSeconds: 0.5 });
    cleanups.push(() => revived.stop());
    await waitFor(async () => (await jobsOf()).every((j) => j.state === 'completed'), 20_000, 'the receipt job to complete');
    expect(await deliveryOf()).toEqual([{ status: 'sent', attempts: 1 }]);
    const mails = smtp.mails.filter((m) => m.to.includes(address));
    expect(mails).toHaveLength(1);
    expect(parts(mails[0]!.raw)['text/plain']).toContain('Chez Crash');
    expect(await events(revived, company.body.id, 'receipt_sent')).toHaveLength(1);
  }, 120_000);
});

describe('returning clients', () => {
  it('recognised by phone (any formatting) or e-mail (any case): one client, visits and total spent', async () => {
    const s = await salon(bare);
    const first = await identified(s, { name: 'Fatou Diallo', phone: '+225 07 00 00 03', email: 'Fatou.Diallo@Example.test' });
    expect(first.answer.client).toEqual({ name: 'Fatou Diallo' });
    await ok(first.c.post(`${first.p}/service`, { serviceId: s.serviceId }));
    await payCash(s, first);
    const second = await identified(s, { name: 'Fatou', phone: '+22507000003' }, { amount: 2500 });
    await payCash(s, second);
    const [one, two] = [await ok(s.owner.get(`${s.base}/payment-sessions/${first.id}`)), await ok(s.owner.get(`${s.base}/payment-sessions/${second.id}`))];
    expect(one.client.id).toBe(two.client.id);
    expect(two).toMatchObject({ client: { name: 'Fatou Diallo' }, clientName: 'Fatou' });

    const byMail1 = await identified(s, { name: 'Mariam', email: 'mariam@example.test' }, { amount: 1000 });
    await payCash(s, byMail1);
    const byMail2 = await identified(s, { name: 'Mariam K.', email: 'MARIAM@Example.TEST' }, { amount: 1500 });
    await payCash(s, byMail2);
    const [m1, m2] = [await ok(s.owner.get(`${s.base}/payment-sessions/${byMail1.id}`)), await ok(s.owner.get(`${s.base}/payment-sessions/${byMail2.id}`))];
    expect(m1.client.id).toBe(m2.client.id);
    expect(m1.client.id).not.toBe(one.client.id);

    const fatou = await ok(s.owner.get(`${s.base}/clients/${one.client.id}`));
    expect(fatou).toMatchObject({ id: one.client.id, name: 'Fatou Diallo', phone: '+225 07 00 00 03', email: 'Fatou.Diallo@Example.test', visitCount: 2, totalSpent: 7500 });
    expect(fatou.history).toEqual([
      expect.objectContaining({ saleId: two.saleId, reference: two.saleReference, total: 2500, currency: 'XOF', channel: 'qr', paymentSessionId: second.id, service: 'Paiement' }),
      expect.objectContaining({ saleId: one.saleId, reference: one.saleReference, total: 5000, currency: 'XOF', channel: 'qr', paymentSessionId: first.id, service: 'Coupe femme' }),
    ]);
    expect(fatou.lastVisitAt).toBe(fatou.history[0].paidAt);
    const mariam = await ok(s.owner.get(`${s.base}/clients/${m1.client.id}`));
    expect(mariam).toMatchObject({ name: 'Mariam', email: 'mariam@example.test', phone: null, visitCount: 2, totalSpent: 2500 });
    // A returning client's number and e-mail are kept as first given.
    const { rows } = await bare.db.pool.query('SELECT count(*)::int AS n FROM clients WHERE company_id = $1', [s.company.id]);
    expect(rows[0].n).toBe(2);
  });

  it("someone typing a known number with another name never sees the stored client's data", async () => {
    const s = await salon(bare);
    const known = await identified(s, { name: 'Fatou Diallo', phone: '+225 07 00 00 03', email: 'fatou.diallo@example.test' }, { amount: 1000 });
    await payCash(s, known);
    const other = await identified(s, { name: 'Imposteur', phone: '+225 0700 0003' }, { amount: 2000 });
    const leaks = (body: unknown) => /fatou|diallo/i.test(JSON.stringify(body));
    expect(other.answer.client).toEqual({ name: 'Imposteur' });
    expect(leaks(other.answer)).toBe(false);
    expect(leaks((await other.c.get(other.p)).body)).toBe(false);
    const paying = await ok(other.c.post(`${other.p}/pay`, { method: 'cash' }));
    expect(leaks(paying)).toBe(false);
    // Staff see who it was matched to; the stored client is not renamed.
    const staffView = await ok(s.owner.get(`${s.base}/payment-sessions/${other.id}`));
    const knownView = await ok(s.owner.get(`${s.base}/payment-sessions/${known.id}`));
    expect(staffView).toMatchObject({ clientName: 'Imposteur', client: { id: knownView.client.id, name: 'Fatou Diallo' } });
    expect(await ok(s.owner.get(`${s.base}/clients/${knownView.client.id}`))).toMatchObject({ name: 'Fatou Diallo', email: 'fatou.diallo@example.test' });
  });

  it('20 parallel first visits with the same new number make one client', async () => {
    const s = await salon(bare);
    const sessions = [];
    for (let i = 0; i < 20; i++) sessions.push(await ok(s.owner.post(`${s.base}/payment-sessions`, { amount: 1000 + i }), 201));
    const answers = await Promise.all(
      sessions.map((x, i) => new Client(bare.app).post(`/api/v1/public/pay/${x.publicUrl.split('/pay/')[1]}/identify`, { name: `Nouveau ${i}`, phone: i % 2 ? '+225 05 55 55 55' : '+22505555555' })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(answers.map((r) => r.body.client)).toEqual(answers.map((_, i) => ({ name: `Nouveau ${i}` })));
    const { rows } = await bare.db.pool.query('SELECT id, phone_key FROM clients WHERE company_id = $1', [s.company.id]);
    expect(rows).toEqual([{ id: expect.any(String), phone_key: '+22505555555' }]);
    for (const x of sessions) expect((await ok(s.owner.get(`${s.base}/payment-sessions/${x.id}`))).client.id).toBe(rows[0].id);
    const identifiedEvents = await events(bare, s.company.id, 'client_identified');
    expect(identifiedEvents.map((e) => e.data.returning).sort()).toEqual([false, ...Array(19).fill(true)]);
  });

  it('GET /clients searches by name, phone digits and e-mail', async () => {
    const s = await salon(bare);
    for (const who of [
      { name: 'Adjoua Kouassi', phone: '+225 01 02 03 04' },
      { name: 'Bamba Traoré', email: 'bamba.traore@example.test' },
      { name: 'Chantal Yao', phone: '+225 09 08 07 06', email: 'chantal@example.test' },
    ]) {
      await identified(s, who, { amount: 1000 });
    }
    const names = async (q: string) => (await ok(s.owner.get(`${s.base}/clients?search=${encodeURIComponent(q)}`))).items.map((c: { name: string }) => c.name);
    expect(await names('kouassi')).toEqual(['Adjoua Kouassi']);
    expect(await names('01020304')).toEqual(['Adjoua Kouassi']);
    expect(await names('01 02 03')).toEqual(['Adjoua Kouassi']);
    expect(await names('BAMBA.TRAORE@')).toEqual(['Bamba Traoré']);
    expect(await names('example.test')).toEqual(['Chantal Yao', 'Bamba Traoré']);
    expect(await names('+225')).toEqual(['Chantal Yao', 'Adjoua Kouassi']);
    expect(await names('zzz')).toEqual([]);
    const all = await ok(s.owner.get(`${s.base}/clients?limit=2`));
    expect(all.items.map((c: { name: string }) => c.name)).toEqual(['Chantal Yao', 'Bamba Traoré']);
    const next = await ok(s.owner.get(`${s.base}/clients?limit=2&cursor=${encodeURIComponent(all.nextCursor)}`));
    expect(next).toMatchObject({ items: [{ name: 'Adjoua Kouassi', visitCount: 0, totalSpent: 0, lastVisitAt: null }], nextCursor: null });
  });
});

describe('isolation and permissions', () => {
  it("another company's sessions, payments, receipts, clients, counters and sales answer 404", async () => {
    const A = await salon(bare);
    const B = await salon(bare);
    const paidA = await identified(A, { name: 'Awa', phone: '+225 07 11 11 11' }, { amount: 1200 });
    await payCash(A, paidA);
    const viewA = await ok(A.owner.get(`${A.base}/payment-sessions/${paidA.id}`));
    const pendingA = await identified(A, { name: 'Awa', phone: '+225 07 11 11 11' }, { amount: 800 });
    const pendingPay = await ok(pendingA.c.post(`${pendingA.p}/pay`, { method: 'cash' }));
    const openA = await ok(A.owner.post(`${A.base}/payment-sessions`, {}), 201);
    const counterA = await ok(A.owner.post(`${A.base}/payment-counters`, { name: 'Caisse 1' }), 201);
    const saleA = await ok(A.owner.post(`${A.base}/sales`, { channel: 'counter', items: [{ productId: A.serviceId, quantity: 1 }] }), 201);
    await configureProviders(B.owner, B.company.id);

    const calls: Array<[string, string, unknown?]> = [
      ['GET', `payment-sessions/${openA.id}`],
      ['GET', `payment-sessions/${openA.id}/qr.svg`],
      ['GET', `payment-sessions/${openA.id}/qr.png`],
      ['POST', `payment-sessions/${openA.id}/cancel`, {}],
      ['GET', `payments/${pendingPay.payment.id}`],
      ['POST', `payments/${pendingPay.payment.id}/confirm`, {}],
      ['GET', `receipts/${viewA.receiptId}`],
      ['POST', `receipts/${viewA.receiptId}/resend`, {}],
      ['GET', `clients/${viewA.client.id}`],
      ['GET', `payment-counters/${counterA.id}/qr.svg`],
      ['GET', `payment-counters/${counterA.id}/qr.png`],
      ['DELETE', `payment-counters/${counterA.id}`],
      ['POST', `sales/${saleA.id}/payment-requests`, { method: 'mobile_money', phone: '+225 07 00 00 00' }],
      ['POST', `sales/${saleA.id}/payment-requests`, { method: 'card' }],
    ];
    for (const [method, url, body] of calls) {
      const res = await B.owner.request(method, `${B.base}/${url}`, body);
      expect([method, url, res.status], JSON.stringify(res.body)).toEqual([method, url, 404]);
      // Through A's own path, B's owner is not a member: 404 as well.
      const direct = await B.owner.request(method, `${A.base}/${url}`, body);
      expect([method, url, direct.status]).toEqual([method, url, 404]);
    }
    const lists = await Promise.all(['payment-sessions', 'payments', 'clients', 'payment-counters'].map((l) => ok(B.owner.get(`${B.base}/${l}`))));
    for (const l of lists) expect(l.items).toEqual([]);
    // Nothing of A's changed.
    expect(await ok(A.owner.get(`${A.base}/payment-sessions/${openA.id}`))).toMatchObject({ status: 'created' });
    expect(await ok(A.owner.get(`${A.base}/payments/${pendingPay.payment.id}`))).toMatchObject({ status: 'pending' });
    expect((await ok(A.owner.get(`${A.base}/payment-counters`))).items).toHaveLength(1);
    expect(await ok(A.owner.get(`${A.base}/sales/${saleA.id}`))).toMatchObject({ status: 'open' });
  });

  it('a server gets 403 on payments.run routes; a cashier gets 403 on payment providers and counters', async () => {
    const { company, owner, members } = await companyWithStaff(bare.app);
    const base = `/api/v1/companies/${company.id}`;
    const svc = await ok(owner.client.post(`${base}/products`, { name: 'Coupe', kind: 'service', price: 3000 }), 201);
    const s = { a: bare, owner: owner.client, company, base, serviceId: svc.id as string };
    const paid = await identified(s, { name: 'Awa', email: 'awa@example.test' });
    const payId = (await payCash(s, paid)).id;
    const view = await ok(owner.client.get(`${base}/payment-sessions/${paid.id}`));
    const counter = await ok(owner.client.post(`${base}/payment-counters`, { name: 'Caisse' }), 201);
    const sale = await ok(owner.client.post(`${base}/sales`, { channel: 'counter', items: [{ productId: s.serviceId, quantity: 1 }] }), 201);

    const run: Array<[string, string, unknown?]> = [
      ['POST', 'payment-sessions', { amount: 1000 }],
      ['GET', 'payment-sessions'],
      ['GET', `payment-sessions/${paid.id}`],
      ['GET', `payment-sessions/${paid.id}/qr.svg`],
      ['POST', `payment-sessions/${paid.id}/cancel`, {}],
      ['GET', 'payments'],
      ['GET', `payments/${payId}`],
      ['POST', `payments/${payId}/confirm`, {}],
      ['GET', 'clients'],
      ['GET', `clients/${view.client.id}`],
      ['GET', `receipts/${view.receiptId}`],
      ['POST', `receipts/${view.receiptId}/resend`, {}],
      ['GET', 'payment-counters'],
      ['GET', `payment-counters/${counter.id}/qr.png`],
      ['POST', `sales/${sale.id}/payment-requests`, { method: 'card' }],
    ];
    for (const [method, url, body] of run) {
      const res = await members.server.client.request(method, `${base}/${url}`, body);
      expect([method, url, res.status, res.body.code]).toEqual([method, url, 403, 'auth.forbidden']);
    }
    const manage: Array<[string, string, unknown?]> = [
      ['GET', 'payment-providers'],
      ['PUT', 'payment-providers/stripe', STRIPE_CREDS],
      ['PUT', 'payment-providers/mobile_money', MM_CREDS],
      ['DELETE', 'payment-providers/stripe'],
      ['POST', 'payment-providers/stripe/test', {}],
      ['POST', 'payment-counters', { name: 'Caisse 2' }],
      ['DELETE', `payment-counters/${counter.id}`],
    ];
    for (const [method, url, body] of manage) {
      const res = await members.cashier.client.request(method, `${base}/${url}`, body);
      expect([method, url, res.status, res.body.code]).toEqual([method, url, 403, 'auth.forbidden']);
    }
    // The cashier runs payments; the manager manages providers.
    expect((await members.cashier.client.get(`${base}/payment-sessions`)).status).toBe(200);
    expect((await members.cashier.client.get(`${base}/receipts/${view.receiptId}`)).status).toBe(200);
    expect((await members.manager.client.get(`${base}/payment-providers`)).status).toBe(200);
    const { rows } = await bare.db.pool.query('SELECT count(*)::int AS n FROM provider_credentials WHERE company_id = $1', [company.id]);
    expect(rows[0].n).toBe(0);
  });

  it('provider secrets are never answered and are not stored in clear', async () => {
    const s = await salon(bare);
    const before = await ok(s.owner.get(`${s.base}/payment-providers`));
    expect(before).toEqual({
      stripe: { configured: false, updatedAt: null, hint: null, webhookUrl: expect.stringMatching(new RegExp(`/api/v1/webhooks/stripe/${s.company.id}$`)) },
      mobile_money: { configured: false, updatedAt: null, hint: null, webhookUrl: expect.stringMatching(new RegExp(`/api/v1/webhooks/mobile-money/${s.company.id}$`)) },
    });
    const putStripe = await ok(s.owner.put(`${s.base}/payment-providers/stripe`, STRIPE_CREDS));
    const putMm = await ok(s.owner.put(`${s.base}/payment-providers/mobile_money`, MM_CREDS));
    expect(putStripe).toEqual({ configured: true, updatedAt: expect.any(String), hint: '…0001', webhookUrl: before.stripe.webhookUrl });
    expect(putMm).toEqual({ configured: true, updatedAt: expect.any(String), hint: '…6789', webhookUrl: before.mobile_money.webhookUrl });
    const after = await s.owner.get(`${s.base}/payment-providers`);
    expect(after.body).toEqual({ stripe: putStripe, mobile_money: putMm });
    const secrets = [STRIPE_CREDS.secretKey, STRIPE_CREDS.webhookSecret, MM_CREDS.apiKey, MM_CREDS.webhookSecret];
    const encodings = (x: string) => [x, x.slice(0, -4), Buffer.from(x).toString('base64'), Buffer.from(x).toString('base64url'), Buffer.from(x).toString('hex')];
    for (const answer of [JSON.stringify(putStripe), JSON.stringify(putMm), JSON.stringify(after.body)]) {
      for (const secret of secrets) for (const form of encodings(secret)) expect(answer).not.toContain(form);
    }
    const { rows } = await bare.db.pool.query('SELECT provider, sealed, row_to_json(pc)::text AS everything FROM provider_credentials pc WHERE company_id = $1 ORDER BY provider', [s.company.id]);
    expect(rows.map((r) => r.provider)).toEqual(['mobile_money', 'stripe']);
    for (const r of rows) {
      expect(r.sealed).toMatch(/^v1\./);
      for (const secret of secrets) for (const form of encodings(secret)) expect(r.everything).not.toContain(form);
    }
    // The sealed credentials still work: card is offered on the public page.
    const x = await identified(s, { name: 'Awa' });
    expect(x.answer.methods).toEqual([
      { method: 'cash', available: true },
      { method: 'card', available: true },
      { method: 'mobile_money', available: false },
    ]);
  });
});
