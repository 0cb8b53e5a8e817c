/**
 * Notifications at scale: one company, 50 users, 1,000,000 notification rows
 * (recipient rows), and 2,000 connected stream clients on one instance. Prints
 * GET /count and first-page latency, commit → delivered-to-every-target latency of a
 * broadcast, connections held and server memory. Loopback only; rate limits off.
 *
 *   npx tsx bench/notifications.ts [--clients 2000] [--rows 1000000] [--broadcasts 20]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { systemClock } from '../src/platform/clock.ts';
import { startEmbeddedPostgres } from '../src/platform/db/embedded.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createDatabase, inTransaction } from '../src/platform/db/tx.ts';
import { append } from '../src/platform/events/append.ts';
import '../src/modules/notifications/index.ts';

const { values } = parseArgs({
  options: { clients: { type: 'string', default: '2000' }, rows: { type: 'string', default: '1000000' }, broadcasts: { type: 'string', default: '20' } },
});
const CLIENTS = Number(values.clients);
const ROWS = Number(values.rows);
const BROADCASTS = Number(values.broadcasts);
const USERS = 50;
const PASSWORD = 'bench-password-123';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms  p99 ${pct(xs, 99).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function call(port: number, method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of any shape
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }>((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, method, path: `/api/v1${p}`, agent, headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** A stream client that records when each notification (by its event's tableId) arrives. */
function openStream(port: number, companyId: string, cookie: string, onNotification: (tableId: string) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: `/api/v1/companies/${companyId}/stream`, headers: { cookie, accept: 'text/event-stream' }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${res.statusCode}`));
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (block.startsWith('event: notification\n')) {
            const m = block.match(/"tableId":"([0-9a-f-]{36})"/);
            if (m) onNotification(m[1]!);
          }
          i = buf.indexOf('\n\n');
        }
      });
      resolve(req);
    });
    req.on('error', reject);
    req.end();
  });
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const pgServer = await startEmbeddedPostgres({ dataDir, database: 'bench' });
  const url = pgServer.url();
  await migrate(url);
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', COMPTOIR_RATE_LIMIT: '0', COMPTOIR_JOBS: 'off', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const db = createDatabase(url, 4);
  const streams: http.ClientRequest[] = [];
  try {
    // 50 members with sessions.
    const reg = await call(port, 'POST', '/auth/register', { name: 'Owner', email: `owner-${randomUUID()}@example.test`, password: PASSWORD });
    const cookieOf = (h: http.IncomingHttpHeaders) => (h['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const ownerCookie = cookieOf(reg.headers);
    const csrf = ownerCookie.match(/comptoir_csrf=([^;]+)/)![1]!;
    const company = (await call(port, 'POST', '/companies', { name: 'Bench', currency: 'XOF', timezone: 'UTC' }, { cookie: ownerCookie, 'x-csrf-token': csrf })).body;
    const cookies = [ownerCookie];
    const roles = ['manager', 'cashier', 'server'];
    for (let i = 1; i < USERS; i++) {
      const email = `member-${i}-${randomUUID()}@example.test`;
      await call(port, 'POST', `/companies/${company.id}/members`, { email, role: roles[i % 3], password: PASSWORD }, { cookie: ownerCookie, 'x-csrf-token': csrf });
      cookies.push(cookieOf((await call(port, 'POST', '/auth/login', { email, password: PASSWORD })).headers));
    }

    // 1,000,000 recipient rows: ROWS/USERS notifications, each to all 50 users, 90% of them read.
    const admin = new pg.Client({ connectionString: url });
    admin.on('error', () => {});
    await admin.connect();
    const t0 = performance.now();
    const perUser = Math.floor(ROWS / USERS);
    await admin.query(
      `INSERT INTO notifications (company_id, id, type, priority, params, link, data, toast, created_at)
       SELECT $1, gen_random_uuid(), 'low_stock', (ARRAY['low','medium','high','urgent'])[1 + g % 4], '{"name":"Produit","available":1,"threshold":2}',
              NULL, '{}', true, now() - make_interval(secs => g)
       FROM generate_series(1, $2) g`,
      [company.id, perUser],
    );
    await admin.query(
      `INSERT INTO notification_recipients (company_id, notification_id, user_id, type, priority, created_at, read_at)
       SELECT n.company_id, n.id, m.user_id, n.type, n.priority, n.created_at, CASE WHEN random() < 0.9 THEN now() END
       FROM notifications n CROSS JOIN memberships m WHERE n.company_id = $1 AND m.company_id = $1`,
      [company.id],
    );
    // Steady state: autovacuum keeps the visibility map set, so counts are index-only scans.
    await admin.query('VACUUM ANALYZE notifications');
    await admin.query('VACUUM ANALYZE notification_recipients');
    const { rows: cnt } = await admin.query('SELECT count(*)::int AS n FROM notification_recipients');
    console.log(`seeded ${cnt[0].n} notification rows for ${USERS} users in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // GET /count and the first page, 4 at a time across users (latency, not throughput).
    const timeCalls = async (p: string, n: number) => {
      const times: number[] = [];
      let next = 0;
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (next < n) {
          const i = next++;
          const t = performance.now();
          const res = await call(port, 'GET', `/companies/${company.id}${p}`, undefined, { cookie: cookies[i % USERS]! });
          if (res.status !== 200) throw new Error(`${p} → ${res.status}`);
          times.push(performance.now() - t);
        }
      }));
      return times;
    };
    await timeCalls('/notifications/count', 200);
    const countTimes = await timeCalls('/notifications/count', 2000);
    const pageTimes = await timeCalls('/notifications?limit=50', 2000);

    // 2,000 streams, spread over the 50 users.
    const arrivals = new Map<string, number[]>();
    for (let i = 0; i < CLIENTS; i++) {
      streams.push(await openStream(port, company.id, cookies[i % USERS]!, (tableId) => arrivals.get(tableId)?.push(performance.now())));
    }
    // The server registers a stream before its headers go out, so all are live now.

    // Broadcasts: table_freed → all four roles → every connected client.
    const delivery: number[] = [];
    const worst: number[] = [];
    for (let b = 0; b < BROADCASTS; b++) {
      const tableId = randomUUID();
      arrivals.set(tableId, []);
      await inTransaction(db, { kind: 'company', companyId: company.id }, async (tx) => {
        append({ companyId: company.id, actor: { type: 'system', id: 'bench' }, clock: systemClock, tx }, 'table_freed', { tableId, label: String(b) });
      });
      const committed = performance.now();
      const deadline = committed + 10_000;
      while (arrivals.get(tableId)!.length < CLIENTS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      const got = arrivals.get(tableId)!.map((t) => t - committed);
      if (got.length < CLIENTS) console.log(`broadcast ${b}: only ${got.length}/${CLIENTS} delivered within 10 s`);
      delivery.push(...got);
      worst.push(Math.max(...got));
    }

    const serverRss = rssOf(server.pid!);
    console.log(JSON.stringify({ machine: `${os.cpus().length}× ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`, clients: CLIENTS, users: USERS, rows: cnt[0].n, broadcasts: BROADCASTS }));
    console.log(`GET /count          ${fmt(countTimes)}`);
    console.log(`first page (50)     ${fmt(pageTimes)}`);
    console.log(`broadcast delivery  ${fmt(delivery)}  (commit → each of ${CLIENTS} clients; slowest client per broadcast p50 ${pct(worst, 50).toFixed(1)} ms)`);
    console.log(`connections held    ${streams.length} streams`);
    console.log(`server memory       ${serverRss.toFixed(0)} MiB RSS`);
    await admin.end();
  } finally {
    for (const s of streams) s.destroy();
    agent.destroy();
    await db.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await pgServer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
