/**
 * Dashboard and audit reads at scale: one company (Europe/Paris) with 1,000,000 paid
 * sales over ~3 years (3,000 of them today), a payment each, refunds, 50,000 QR payment
 * sessions and provider payments, 2,000,000 events; a second, small company beside it.
 * Generated with set-based SQL as the owner role, then `buildRollups` once (timed), then
 * each dashboard / activity / audit call timed over loopback HTTP as a signed-in manager
 * (sequential requests after a warm-up). Loopback only; rate limits off.
 *
 *   npx tsx bench/dashboard.ts [--sales 1000000] [--today 3000] [--sessions 50000] [--requests 200] [--explain] [--keep]
 *
 * --keep leaves the temporary data directory (embedded PostgreSQL, stopped) for inspection.
 * --explain prints EXPLAIN (ANALYZE, BUFFERS) of the heaviest statements behind each call
 * (run as the app role, tenant set, as the server runs them); it is printed anyway for a
 * call whose p99 misses the 200 ms target.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Agent, request } from 'undici';
import { systemClock } from '../src/platform/clock.ts';
import { addDays, localDateOf, localDateRange, startOfLocalDay } from '../src/platform/dates.ts';
import { startEmbeddedPostgres } from '../src/platform/db/embedded.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createDatabase } from '../src/platform/db/tx.ts';
import type { JobDeps } from '../src/platform/jobs/index.ts';
import { buildRollups } from '../src/modules/insights/jobs.ts';

const { values } = parseArgs({
  options: {
    sales: { type: 'string', default: '1000000' },
    today: { type: 'string', default: '3000' },
    sessions: { type: 'string', default: '50000' },
    requests: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    explain: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const SALES = Number(values.sales);
const TODAY = Number(values.today);
const SESSIONS = Number(values.sessions);
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
const DAYS = 1095; // ~3 years of history before today
const TARGET_MS = 200;
const PASSWORD = 'bench-password-123';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const secs = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', COMPTOIR_RATE_LIMIT: '0', COMPTOIR_JOBS: 'off', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return child;
}

const USER_AGENTS = [
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
];

interface Shape {
  companyId: string;
  timeZone: string;
  currency: string;
  /** Sales before today (spread over DAYS local days, 08:00–22:00) and today (local midnight → now). */
  history: number;
  today: number;
  /** Payment sessions in all (paid ones come from QR sales) and provider payments in all. */
  sessions: number;
  intents: number;
  staffId: string;
  tableIds: string[];
  productIds: string[];
}

/**
 * One company's data, set-based, as the owner role (RLS does not apply). Invariants kept:
 * sale numbers continue the company's counter (references V-000001…, unique), the counter
 * row is moved past them; event positions continue event_streams.position with no gaps and
 * the row is moved past them; every event's created_at falls in an existing monthly
 * partition (or the default one); each paid sale has one succeeded payment of its total;
 * refunded amounts match approved refunds; a provider payment that succeeded shares its id
 * with its tender row.
 */
async function generate(db: pg.Client, s: Shape, log: (m: string) => void) {
  const t0 = performance.now();
  const q = async (label: string, sql: string, params: unknown[]) => {
    const t = performance.now();
    const r = await db.query(sql, params);
    log(`  ${label.padEnd(34)} ${String(r.rowCount ?? '').padStart(9)} rows  ${secs(t)}`);
    return r;
  };
  const { rows: base } = await db.query(
    `SELECT (SELECT coalesce(max(last_number), 0) FROM sale_counters WHERE company_id = $1)::bigint AS number,
            (SELECT coalesce(max(position), 0) FROM event_streams WHERE company_id = $1)::bigint AS position,
            ((now() AT TIME ZONE $2)::date - $3::int) AS first_day,
            ((now() AT TIME ZONE $2)::date)::timestamp AT TIME ZONE $2 AS today_start`,
    [s.companyId, s.timeZone, DAYS],
  );
  const firstNumber = Number(base[0].number) + 1;
  const lastNumber = firstNumber + s.history + s.today - 1;
  const basePosition = Number(base[0].position);

  // Sales: the columns the app reads. Totals in minor units by channel; 1.5% refunded, 1.5% partly.
  const salesSql = (openedAt: string) => `
    INSERT INTO sales (company_id, id, number, reference, status, channel, table_id, server_id, currency, total, paid, refunded, version, opened_at, paid_at)
    SELECT $1, gen_random_uuid(), n, 'V-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END,
      CASE WHEN r4 < 0.015 THEN 'refunded' WHEN r4 < 0.03 THEN 'partially_refunded' ELSE 'paid' END,
      ch, CASE WHEN ch = 'table' THEN ($5::uuid[])[1 + (n % cardinality($5::uuid[]))::int] END, CASE WHEN ch = 'table' THEN $6::uuid END, $7, total, total,
      CASE WHEN r4 < 0.015 THEN total WHEN r4 < 0.03 THEN total / 3 ELSE 0 END, CASE WHEN r4 < 0.03 THEN 3 ELSE 2 END,
      opened_at,
      least(opened_at + CASE WHEN ch = 'table' THEN interval '25 minutes' + r3 * interval '70 minutes' ELSE interval '1 minute' + r3 * interval '5 minutes' END, now() - interval '5 seconds')
    FROM (
      SELECT n, r3, r4, opened_at, ch,
        CASE ch WHEN 'counter' THEN 250 + (r2 * r2 * 2500)::int WHEN 'table' THEN 1800 + (r2 * r2 * 10000)::int
                WHEN 'online' THEN 1500 + (r2 * r2 * 6000)::int WHEN 'qr' THEN 500 + (r2 * r2 * 4000)::int ELSE 2000 + (r2 * r2 * 8000)::int END AS total
      FROM (
        SELECT $2::bigint + g - 1 AS n, random() AS r1, random() AS r2, random() AS r3, random() AS r4, ${openedAt} AS opened_at
        FROM generate_series(1, $3::int) g OFFSET 0
      ) a
      CROSS JOIN LATERAL (SELECT CASE WHEN r1 < 0.45 THEN 'counter' WHEN r1 < 0.75 THEN 'table' WHEN r1 < 0.87 THEN 'online' WHEN r1 < 0.95 THEN 'qr' ELSE 'live' END AS ch) c
    ) b`;
  // History: sale g on local day floor(g·DAYS/history), at a time of day rising with g (numbers follow time).
  await q('sales (history)', salesSql(
    `((($4::date + ((g - 1)::bigint * ${DAYS} / $3::int)::int)::timestamp + interval '8 hours'
       + ((((g - 1)::bigint * ${DAYS}) % $3::int)::float8 / $3::int) * interval '14 hours') AT TIME ZONE $8)`,
  ), [s.companyId, firstNumber, s.history, base[0].first_day, s.tableIds, s.staffId, s.currency, s.timeZone]);
  // Today: spread from local midnight to two minutes ago.
  await q('sales (today)', salesSql(`$4::timestamptz + ((g - 0.5) / $3::int) * (now() - interval '2 minutes' - $4::timestamptz)`),
    [s.companyId, firstNumber + s.history, s.today, base[0].today_start, s.tableIds, s.staffId, s.currency]);

  // One tender per sale: cash / card / mobile money by channel.
  await q('payments', `
    INSERT INTO payments (company_id, id, sale_id, method, amount, tendered, change, status, actor_type, actor_id, created_at)
    SELECT company_id, gen_random_uuid(), id, m, total,
      CASE WHEN m = 'cash' THEN ((total + 499) / 500) * 500 END, CASE WHEN m = 'cash' THEN ((total + 499) / 500) * 500 - total ELSE 0 END,
      'succeeded', 'user', $4, paid_at
    FROM (
      SELECT s.company_id, s.id, s.total, s.paid_at,
        CASE WHEN s.channel IN ('counter', 'table') THEN CASE WHEN r < 0.55 THEN 'cash' WHEN r < 0.9 THEN 'card' ELSE 'mobile_money' END
             WHEN s.channel = 'online' THEN CASE WHEN r < 0.8 THEN 'card' ELSE 'mobile_money' END
             WHEN s.channel = 'qr' THEN CASE WHEN r < 0.6 THEN 'card' ELSE 'mobile_money' END
             ELSE CASE WHEN r < 0.3 THEN 'card' ELSE 'mobile_money' END END AS m
      FROM (SELECT s.*, random() AS r FROM sales s WHERE s.company_id = $1 AND s.number BETWEEN $2 AND $3 OFFSET 0) s
    ) x`, [s.companyId, firstNumber, lastNumber, s.staffId]);

  // Fresh statistics, so the joins below are planned for this company's rows.
  await db.query('ANALYZE sales, payments');
  await q('refunds (approved)', `
    INSERT INTO refunds (company_id, id, sale_id, amount, reason, restock, items, method, status, requested_by, decided_by, created_at, decided_at)
    SELECT s.company_id, gen_random_uuid(), s.id, s.refunded, 'Erreur de commande', false, '[]', p.method, 'approved', $4, $4,
      least(s.paid_at + interval '2 hours', now() - interval '4 seconds'), least(s.paid_at + interval '3 hours', now() - interval '3 seconds')
    FROM sales s JOIN payments p ON p.company_id = s.company_id AND p.sale_id = s.id
    WHERE s.company_id = $1 AND s.number BETWEEN $2 AND $3 AND s.refunded > 0`, [s.companyId, firstNumber, lastNumber, s.staffId]);

  // Two events per sale, positions in number order: sale_opened, then sale_paid or another
  // type (payments, receipts, holds, stock, problems); more system errors in the last 24 h.
  await q('events', `
    INSERT INTO events (company_id, id, position, type, level, subjects, actor_type, actor_id, ip, user_agent, request_id, duration_ms, data, created_at)
    SELECT $1, gen_random_uuid(), $4::bigint + (n - $2) * 2 + slot + 1, t,
      CASE WHEN t IN ('low_stock', 'payment_issue', 'payment_failed') THEN 'warning' WHEN t = 'system_error' THEN CASE WHEN r3 < 0.3 THEN 'critical' ELSE 'error' END ELSE 'info' END,
      CASE WHEN t IN ('sale_opened', 'sale_paid') THEN jsonb_strip_nulls(jsonb_build_object('saleId', sid, 'tableId', tid))
           WHEN t IN ('payment_confirmed', 'payment_issue', 'payment_failed') THEN jsonb_build_object('saleId', sid, 'paymentId', pid)
           WHEN t IN ('hold_placed', 'low_stock') THEN jsonb_build_object('productId', prod)
           WHEN t = 'system_error' AND r3 < 0.3 THEN jsonb_build_object('saleId', sid, 'paymentId', pid)
           ELSE jsonb_build_object('saleId', sid) END,
      CASE WHEN t = 'payment_failed' THEN 'provider' WHEN t = 'low_stock' THEN 'system' ELSE 'user' END,
      CASE WHEN t = 'payment_failed' THEN 'stripe' WHEN t = 'low_stock' THEN NULL ELSE $5 END,
      CASE WHEN t NOT IN ('payment_failed', 'low_stock') THEN ('192.168.1.' || (10 + ua * 7))::inet END,
      CASE WHEN t NOT IN ('payment_failed', 'low_stock') THEN ($6::text[])[ua] END,
      CASE WHEN t = 'system_error' THEN 'req-' || n END,
      CASE WHEN t IN ('sale_paid', 'payment_confirmed') THEN 20 + (r3 * 280)::int END,
      CASE t WHEN 'sale_opened' THEN jsonb_strip_nulls(jsonb_build_object('saleId', sid, 'reference', ref, 'tableId', tid, 'channel', ch))
             WHEN 'sale_paid' THEN jsonb_build_object('saleId', sid, 'reference', ref, 'amount', total, 'currency', $7::text)
             WHEN 'payment_confirmed' THEN jsonb_build_object('paymentId', pid, 'method', method, 'amount', total, 'currency', $7::text)
             WHEN 'receipt_sent' THEN jsonb_build_object('receiptId', md5(sid::text)::uuid, 'channel', 'email', 'to', 'c***@example.com', 'attempt', 1)
             WHEN 'hold_placed' THEN jsonb_build_object('holdId', md5(pid::text)::uuid, 'productId', prod, 'quantity', 1, 'owner', 'sale:' || sid)
             WHEN 'low_stock' THEN jsonb_build_object('productId', prod, 'name', 'Produit', 'available', 2, 'threshold', 5)
             WHEN 'payment_issue' THEN jsonb_build_object('paymentId', pid, 'issue', 'underpaid', 'received', total - 100, 'due', total, 'currency', $7::text)
             WHEN 'payment_failed' THEN jsonb_build_object('paymentId', pid, 'method', method, 'reason', 'card_declined')
             ELSE jsonb_build_object('message', CASE WHEN r3 < 0.3 THEN 'connect ETIMEDOUT 10.0.0.7:443' ELSE 'deadlock detected' END, 'requestId', 'req-' || n,
                    'route', CASE WHEN r3 < 0.3 THEN '/api/v1/companies/:companyId/payment-sessions/:id/pay' ELSE '/api/v1/companies/:companyId/sales/:id' END, 'method', 'POST') END,
      CASE WHEN slot = 0 THEN opened_at ELSE paid_at END
    FROM (
      SELECT s.number AS n, s.id AS sid, s.reference AS ref, s.channel AS ch, s.table_id AS tid, s.total, s.opened_at, s.paid_at, p.id AS pid, p.method,
        random() AS r, random() AS r2, random() AS r3, 1 + floor(random() * 5)::int AS ua, ($8::uuid[])[1 + (s.number % cardinality($8::uuid[]))::int] AS prod
      FROM sales s JOIN payments p ON p.company_id = s.company_id AND p.sale_id = s.id
      WHERE s.company_id = $1 AND s.number BETWEEN $2 AND $3 OFFSET 0
    ) x
    CROSS JOIN (VALUES (0), (1)) v(slot)
    CROSS JOIN LATERAL (SELECT CASE WHEN slot = 0 THEN 'sale_opened'
      WHEN paid_at > now() - interval '24 hours' AND r2 < 0.03 THEN 'system_error'
      WHEN r < 0.80 THEN 'sale_paid' WHEN r < 0.88 THEN 'payment_confirmed' WHEN r < 0.93 THEN 'receipt_sent' WHEN r < 0.96 THEN 'hold_placed'
      WHEN r < 0.975 THEN 'low_stock' WHEN r < 0.99 THEN 'payment_issue' WHEN r < 0.997 THEN 'payment_failed' ELSE 'system_error' END AS t) tt`,
  [s.companyId, firstNumber, lastNumber, basePosition, s.staffId, USER_AGENTS, s.currency, s.productIds]);
  const eventCount = 2 * (lastNumber - firstNumber + 1);
  await db.query('UPDATE event_streams SET position = position + $2 WHERE company_id = $1', [s.companyId, eventCount]);
  await db.query(
    `INSERT INTO sale_counters (company_id, last_number) VALUES ($1, $2) ON CONFLICT (company_id) DO UPDATE SET last_number = greatest(sale_counters.last_number, EXCLUDED.last_number)`,
    [s.companyId, lastNumber],
  );

  // QR sessions: a paid one for every third QR sale (its provider payment shares the tender's id);
  // the rest abandoned, expired or failed, spread over the same years; a few under way now.
  await db.query('DROP TABLE IF EXISTS bench_paid, bench_unpaid');
  await q('paid sessions (staging)', `
    CREATE TEMP TABLE bench_paid AS
    SELECT gen_random_uuid() AS session_id, s.id AS sale_id, p.id AS pid, p.method, s.total, s.opened_at, s.paid_at
    FROM sales s JOIN payments p ON p.company_id = s.company_id AND p.sale_id = s.id
    WHERE s.company_id = $1 AND s.number BETWEEN $2 AND $3 AND s.channel = 'qr' AND s.number % 3 = 0`, [s.companyId, firstNumber, lastNumber]);
  const { rows: paidCount } = await db.query('SELECT count(*)::int AS n FROM bench_paid');
  const unpaid = Math.max(0, s.sessions - paidCount[0].n);
  await q('unpaid sessions (staging)', `
    CREATE TEMP TABLE bench_unpaid AS
    SELECT gen_random_uuid() AS session_id, gen_random_uuid() AS intent_id, 500 + (random() * 4000)::int AS amount, at,
      CASE WHEN r < 0.4 THEN 'abandoned' WHEN r < 0.75 THEN 'expired' ELSE 'failed' END AS status, r
    FROM (SELECT random() AS r, $1::timestamptz + random() * (now() - interval '1 hour' - $1::timestamptz) AS at FROM generate_series(1, $2::int) OFFSET 0) x`,
  [new Date(new Date(base[0].today_start).getTime() - DAYS * 86_400_000), unpaid]);
  await q('payment sessions', `
    INSERT INTO payment_sessions (company_id, id, token, status, amount, fixed_amount, currency, payment_id, sale_id, created_by, created_at, step_at, updated_at)
    SELECT $1::uuid, session_id, 'bs' || replace(session_id::text, '-', ''), 'paid', total, true, $2::text, pid, sale_id, 'user:' || $3::text, opened_at - interval '2 minutes', paid_at, paid_at FROM bench_paid
    UNION ALL
    SELECT $1::uuid, session_id, 'bs' || replace(session_id::text, '-', ''), status, amount, true, $2::text, NULL, NULL, 'user:' || $3::text, at, at + interval '5 minutes', at + interval '15 minutes' FROM bench_unpaid
    UNION ALL
    SELECT $1::uuid, gen_random_uuid(), 'bs' || md5(random()::text || g), (ARRAY['created', 'scanned', 'identified', 'service_selected', 'payment_initiated'])[1 + g % 5],
      1500, true, $2::text, NULL, NULL, 'user:' || $3::text, now() - g * interval '90 seconds', now() - g * interval '60 seconds', now() - g * interval '60 seconds'
    FROM generate_series(1, 12) g`, [s.companyId, s.currency, s.staffId]);
  const provider = (m: string) => `CASE ${m} WHEN 'card' THEN 'stripe' ELSE 'mobile_money' END`;
  const { rows: before } = await db.query(
    `SELECT (SELECT count(*) FROM bench_paid)::int + (SELECT count(*) FROM bench_unpaid WHERE status = 'failed' OR (status = 'expired' AND r < 0.575))::int AS n`,
  );
  await q('payment intents', `
    INSERT INTO payment_intents (company_id, id, method, provider, status, amount, received, currency, purpose, payment_session_id, sale_id,
                                 provider_reference, failure_reason, created_by, created_at, updated_at, completed_at)
    SELECT $1::uuid, pid, method, ${provider('method')}, 'succeeded', total, total, $2::text, 'session', session_id, sale_id,
      'ref_' || replace(pid::text, '-', ''), NULL, 'client:', opened_at - interval '1 minute', paid_at, paid_at FROM bench_paid
    UNION ALL
    SELECT $1::uuid, intent_id, m, ${provider('m')}, CASE status WHEN 'failed' THEN 'failed' ELSE 'expired' END, amount, NULL, $2::text, 'session', session_id, NULL,
      'ref_' || replace(intent_id::text, '-', ''), CASE status WHEN 'failed' THEN 'card_declined' END, 'client:', at + interval '2 minutes', at + interval '14 minutes', NULL
    FROM (SELECT *, CASE status WHEN 'failed' THEN 'card' ELSE 'mobile_money' END AS m FROM bench_unpaid WHERE status = 'failed' OR (status = 'expired' AND r < 0.575)) u
    UNION ALL
    (SELECT $1::uuid, p.id, p.method, ${provider('p.method')}, 'succeeded', s.total, s.total, $2::text, 'sale', NULL, s.id,
      'ref_' || replace(p.id::text, '-', ''), NULL, 'client:', s.opened_at, s.paid_at, s.paid_at
     FROM sales s JOIN payments p ON p.company_id = s.company_id AND p.sale_id = s.id
     WHERE s.company_id = $1 AND s.number BETWEEN $3 AND $4 AND s.channel = 'online' AND p.method = 'card' AND s.number % 5 = 0
     LIMIT $5)`, [s.companyId, s.currency, firstNumber, lastNumber, Math.max(0, s.intents - before[0].n)]);
  await db.query(`INSERT INTO payment_intents (company_id, id, method, provider, status, amount, currency, purpose, payment_session_id, created_by, created_at, updated_at)
    SELECT company_id, gen_random_uuid(), 'mobile_money', 'mobile_money', 'pending', amount, currency, 'session', id, 'client:', updated_at, updated_at
    FROM payment_sessions WHERE company_id = $1 AND status = 'payment_initiated'`, [s.companyId]);
  await db.query('DROP TABLE bench_paid, bench_unpaid');
  log(`  generated in ${secs(t0)}`);
  return { firstNumber, lastNumber, events: eventCount };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const pgServer = await startEmbeddedPostgres({ dataDir, database: 'bench' });
  const url = pgServer.url();
  await migrate(url);
  const port = await freePort();
  const server = await startServer(url, port);
  const agent = new Agent({ connections: 4, keepAliveTimeout: 60_000 });
  const base = `http://127.0.0.1:${port}/api/v1`;
  const call = async (method: 'GET' | 'POST', p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await request(`${base}${p}`, {
      method,
      dispatcher: agent,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers of any shape
    return { status: res.statusCode, headers: res.headers, body: (text ? JSON.parse(text) : null) as any };
  };
  const cookieOf = (h: Record<string, string | string[] | undefined>) => {
    const set = h['set-cookie'];
    return (Array.isArray(set) ? set : [String(set)]).map((c) => c.split(';')[0]).join('; ');
  };
  const admin = new pg.Client({ connectionString: url });
  admin.on('error', () => {});
  const db = createDatabase(url, 4);
  try {
    await admin.connect();
    // Only the bulk load's checkpoints: reads are measured with the server's defaults.
    await admin.query(`ALTER SYSTEM SET max_wal_size = '8GB'`);
    await admin.query('SELECT pg_reload_conf()');

    // Owner, manager, two companies, through the API.
    const ownerEmail = `owner-${randomUUID()}@example.test`;
    const reg = await call('POST', '/auth/register', { name: 'Owner', email: ownerEmail, password: PASSWORD });
    const ownerCookie = cookieOf(reg.headers);
    const csrf = ownerCookie.match(/comptoir_csrf=([^;]+)/)![1]!;
    const asOwner = { cookie: ownerCookie, 'x-csrf-token': csrf };
    const managerEmail = `manager-${randomUUID()}@example.test`;
    const setUp = async (name: string, timezone: string, currency: string, tables: number, products: number, manager: boolean) => {
      const company = (await call('POST', '/companies', { name, currency, timezone }, asOwner)).body;
      const c = `/companies/${company.id}`;
      if (manager) {
        const m = await call('POST', `${c}/members`, { email: managerEmail, role: 'manager', name: 'Manager', password: PASSWORD }, asOwner);
        if (m.status !== 201) throw new Error(`members → ${m.status} ${JSON.stringify(m.body)}`);
      }
      const area = (await call('POST', `${c}/areas`, { name: 'Salle' }, asOwner)).body;
      const tableIds: string[] = [];
      for (let i = 0; i < tables; i++) tableIds.push((await call('POST', `${c}/tables`, { areaId: area.id, label: `T${i + 1}`, seats: 4 }, asOwner)).body.id);
      const productIds: string[] = [];
      for (let i = 0; i < products; i++) {
        const p = (await call('POST', `${c}/products`, { name: `Produit ${i + 1}`, price: 350 + i * 50, kind: 'good', lowStockThreshold: 5 }, asOwner)).body;
        // A few low on stock, for the alerts card.
        await call('POST', `${c}/products/${p.id}/restock`, { quantity: i % 6 === 0 ? 3 : 500 }, asOwner);
        productIds.push(p.id);
      }
      return { id: company.id as string, tableIds, productIds };
    };
    const big = await setUp('Brasserie du Port', 'Europe/Paris', 'EUR', 24, 30, true);
    const small = await setUp('Petit Kiosque', 'Africa/Dakar', 'XOF', 4, 6, false);
    const userId = async (email: string) => (await admin.query('SELECT id FROM users WHERE lower(email) = lower($1)', [email])).rows[0].id as string;
    const ownerId = await userId(ownerEmail);
    const managerId = await userId(managerEmail);

    // Monthly event partitions for the whole span first (rows must not land in the default partition).
    const { rows: parts } = await admin.query(`SELECT comptoir_ensure_event_partitions((now() - interval '${DAYS + 31} days')::date, 40) AS n`);
    console.log(`event partitions created: ${parts[0].n}`);

    const log = (m: string) => console.log(m);
    const tGen = performance.now();
    await admin.query(`SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'; SET synchronous_commit = off`);
    console.log(`company A (Europe/Paris, EUR): ${SALES} sales (${TODAY} today), ${2 * SALES} events, ${SESSIONS} sessions`);
    const genA = await generate(admin, {
      companyId: big.id, timeZone: 'Europe/Paris', currency: 'EUR', history: SALES - TODAY, today: TODAY, sessions: SESSIONS, intents: SESSIONS,
      staffId: managerId, tableIds: big.tableIds, productIds: big.productIds,
    }, log);
    const smallSales = Math.max(1000, Math.round(SALES / 100));
    console.log(`company B (Africa/Dakar, XOF): ${smallSales} sales, ${2 * smallSales} events`);
    await generate(admin, {
      companyId: small.id, timeZone: 'Africa/Dakar', currency: 'XOF', history: smallSales - 100, today: 100, sessions: Math.round(SESSIONS / 100), intents: Math.round(SESSIONS / 100),
      staffId: ownerId, tableIds: small.tableIds, productIds: small.productIds,
    }, log);
    const genTime = secs(tGen);
    const tVac = performance.now();
    // Steady state: autovacuum would do this soon after such a load (and must not run during the timing).
    await admin.query('VACUUM (ANALYZE) sales, payments, refunds, payment_sessions, payment_intents, events, event_streams, sale_counters');
    // And the load's dirty pages written out now rather than by a checkpoint during the timing.
    await admin.query('CHECKPOINT');
    const vacTime = secs(tVac);

    // Invariants: references unique, positions consecutive and the stream row past them.
    const { rows: inv } = await admin.query(
      `SELECT (SELECT count(*) FROM sales WHERE company_id = $1)::int AS sales, (SELECT count(DISTINCT reference) FROM sales WHERE company_id = $1)::int AS refs,
              (SELECT last_number FROM sale_counters WHERE company_id = $1)::int AS counter, (SELECT max(number) FROM sales WHERE company_id = $1)::int AS max_number,
              (SELECT count(*) FROM events WHERE company_id = $1)::int AS events, (SELECT count(DISTINCT position) FROM events WHERE company_id = $1)::int AS positions,
              (SELECT max(position) FROM events WHERE company_id = $1)::int AS max_position, (SELECT position FROM event_streams WHERE company_id = $1)::int AS stream,
              (SELECT count(*) FROM events_default)::int AS in_default,
              (SELECT count(*) FROM payments WHERE company_id = $1)::int AS payments, (SELECT count(*) FROM refunds WHERE company_id = $1)::int AS refunds,
              (SELECT count(*) FROM payment_sessions WHERE company_id = $1)::int AS sessions, (SELECT count(*) FROM payment_intents WHERE company_id = $1)::int AS intents,
              pg_size_pretty(pg_database_size(current_database())) AS size`,
      [big.id],
    );
    const v = inv[0];
    console.log(`generated in ${genTime} (+ VACUUM ANALYZE and CHECKPOINT ${vacTime}); database ${v.size}`);
    console.log(`company A: ${v.sales} sales (${v.refs} distinct references, counter ${v.counter} = max number ${v.max_number}), ${v.payments} payments, ${v.refunds} refunds, ${v.sessions} sessions, ${v.intents} provider payments`);
    console.log(`           ${v.events} events, positions ${v.positions} distinct, max ${v.max_position} = stream ${v.stream}: ${v.events === v.positions && v.max_position === v.stream}; ${v.in_default} rows in events_default`);
    if (v.refs !== v.sales || v.counter !== v.max_number || v.events !== v.positions || v.max_position !== v.stream) throw new Error('invariants broken');

    // The manager signs in; a few tables are taken right now through the API (the counters carry on past the load).
    const login = await call('POST', '/auth/login', { email: managerEmail, password: PASSWORD });
    const managerCookie = cookieOf(login.headers);
    const mcsrf = managerCookie.match(/comptoir_csrf=([^;]+)/)![1]!;
    const asManager = { cookie: managerCookie };
    const A = `/companies/${big.id}`;
    for (let i = 0; i < 4; i++) {
      const sale = await call('POST', `${A}/sales`, { tableId: big.tableIds[i], channel: 'table', items: [{ productId: big.productIds[1 + i], quantity: 2 }] },
        { cookie: managerCookie, 'x-csrf-token': mcsrf, 'idempotency-key': randomUUID() });
      if (sale.status !== 201) throw new Error(`open sale → ${sale.status} ${JSON.stringify(sale.body)}`);
      if (i === 0) console.log(`a sale opened through the API after the load: ${sale.body.reference} (number ${genA.lastNumber + 1} expected)`);
    }

    // The rollup job, once, as it runs hourly (every company; first build backfills up to 400 days).
    const tRoll = performance.now();
    const built = await buildRollups({ db, clock: systemClock, log: { info() {}, warn() {}, error() {} } } as unknown as JobDeps);
    const rollTime = secs(tRoll);
    await admin.query('ANALYZE daily_figures');
    console.log(`buildRollups: ${built} company-days frozen in ${rollTime}`);

    // The calls, sequentially, after a warm-up.
    const today = localDateOf(new Date(), 'Europe/Paris');
    const calls: Array<[string, string]> = [
      ['GET /dashboard (today)', `${A}/dashboard`],
      ['GET /dashboard 30 days', `${A}/dashboard?from=${addDays(today, -29)}&to=${today}`],
      ['GET /dashboard 1 year', `${A}/dashboard?from=${addDays(today, -365)}&to=${today}`],
      ['GET /dashboard/daily?days=30', `${A}/dashboard/daily?days=30`],
      ['GET /dashboard/errors?hours=24', `${A}/dashboard/errors?hours=24`],
      ['GET /activity?limit=20', `${A}/activity?limit=20`],
      ['GET /events?limit=50', `${A}/events?limit=50`],
      ['GET /events?type=sale_paid&limit=50', `${A}/events?type=sale_paid&limit=50`],
    ];
    const results: Array<{ name: string; p50: number; p99: number; max: number; note: string }> = [];
    for (const [name, p] of calls) {
      let last: Awaited<ReturnType<typeof call>> | null = null;
      for (let i = 0; i < WARMUP; i++) last = await call('GET', p, undefined, asManager);
      if (last?.status !== 200) throw new Error(`${name} → ${last?.status} ${JSON.stringify(last?.body)}`);
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t = performance.now();
        const res = await call('GET', p, undefined, asManager);
        times.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`${name} → ${res.status}`);
        last = res;
      }
      times.sort((a, b) => a - b);
      const b = last!.body;
      const note = b.sales ? `${b.sales.count} sales, ${b.sessions.total} sessions, ${b.refunds.count} refunds`
        : b.days ? `${b.days.length} days, ${b.days.reduce((n: number, d: { revenue: number }) => n + d.revenue, 0)} revenue`
        : `${b.items.length} items`;
      results.push({ name, p50: pct(times, 50), p99: pct(times, 99), max: times[times.length - 1]!, note });
    }

    // The API's figures against the base tables (the frozen days must agree with them).
    const yearFrom = addDays(today, -365);
    const { start, end } = localDateRange('Europe/Paris', yearFrom, today);
    const { rows: truth } = await admin.query(
      `SELECT count(*)::int AS n, sum(total)::bigint AS revenue FROM sales WHERE company_id = $1 AND paid_at >= $2 AND paid_at < $3 AND status IN ('paid', 'partially_refunded', 'refunded')`,
      [big.id, start, end],
    );
    const yearNote = results[2]!.note;

    console.log(JSON.stringify({ machine: `${os.cpus().length}× ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`, sales: SALES, events: 2 * SALES, sessions: SESSIONS, requests: REQUESTS, warmup: WARMUP }));
    console.log(`generation ${genTime}, VACUUM ANALYZE + CHECKPOINT ${vacTime}, buildRollups ${rollTime}`);
    for (const r of results) {
      console.log(`${r.name.padEnd(38)} p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  max ${r.max.toFixed(1).padStart(6)} ms  ${r.p99 < TARGET_MS ? 'under' : 'OVER'} ${TARGET_MS} ms  (${r.note})`);
    }
    console.log(`1-year check: API ${yearNote.split(',')[0]} vs base tables ${truth[0].n} sales, revenue ${truth[0].revenue}`);

    // Plans of the statements behind the calls, as the app role (asked for, or for a call that missed).
    const missed = new Set(results.filter((r) => r.p99 >= TARGET_MS).map((r) => r.name));
    if (values.explain || missed.size) await explainAll(admin, big.id, today, missed, values.explain === true);
  } finally {
    await admin.end().catch(() => {});
    await agent.close();
    await db.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await pgServer.stop();
    if (values.keep) console.log(`data directory kept: ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the heaviest statements behind each call, in a
 * transaction as the app role with the tenant set (row-level security applies, as in
 * the server). The SQL mirrors src/modules/insights (figures.ts, dashboard.ts,
 * activity.ts, audit.ts).
 */
async function explainAll(db: pg.Client, companyId: string, today: string, missed: Set<string>, all: boolean) {
  const tz = 'Europe/Paris';
  const live = (from: string) => {
    const dates: string[] = [];
    for (let d = from; d <= today; d = addDays(d, 1)) dates.push(d);
    const bounds = [...dates, addDays(today, 1)].map((d) => startOfLocalDay(d, tz));
    const p = [companyId, bounds[0], bounds[bounds.length - 1], bounds];
    const local = (col: string) => `width_bucket(${col}, $4::timestamptz[])`;
    return [
      [`sessions ${from}..${today}`, `SELECT ${local('created_at')} AS b, count(*)::int, count(*) FILTER (WHERE status = 'paid')::int FROM payment_sessions WHERE company_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY 1`, p],
      [`tenders ${from}..${today}`, `SELECT ${local('created_at')} AS b, method, count(*)::int, sum(amount)::bigint FROM payments WHERE company_id = $1 AND created_at >= $2 AND created_at < $3 AND status = 'succeeded' GROUP BY 1, 2`, p],
      [`failed intents ${from}..${today}`, `SELECT ${local('updated_at')} AS b, count(*)::int FROM payment_intents WHERE company_id = $1 AND updated_at >= $2 AND updated_at < $3 AND status IN ('failed', 'expired')
        AND coalesce(failure_reason, '') NOT IN ('replaced', 'superseded') GROUP BY 1`, p],
      [`sales ${from}..${today}`, `SELECT ${local('paid_at')} AS b, channel, count(*)::int, sum(total)::bigint, count(*) FILTER (WHERE table_id IS NOT NULL)::int,
        coalesce(sum(extract(epoch FROM paid_at - opened_at) / 60) FILTER (WHERE table_id IS NOT NULL), 0)::bigint
        FROM sales WHERE company_id = $1 AND paid_at >= $2 AND paid_at < $3 AND status IN ('paid', 'partially_refunded', 'refunded') GROUP BY 1, 2`, p],
      [`refunds ${from}..${today}`, `SELECT ${local('decided_at')} AS b, count(*)::int, sum(amount)::bigint FROM refunds WHERE company_id = $1 AND decided_at >= $2 AND decided_at < $3 AND status = 'approved' GROUP BY 1`, p],
    ] as Array<[string, string, unknown[]]>;
  };
  const frozen = (from: string): [string, string, unknown[]] => [`daily_figures ${from}..${today}`, `SELECT f.*, to_char(f.day, 'YYYY-MM-DD') AS local_day FROM daily_figures f WHERE f.company_id = $1 AND f.day >= $2::date AND f.day <= $3::date ORDER BY f.day`, [companyId, from, today]];
  const common: Array<[string, string, unknown[]]> = [
    ['active sessions', `SELECT count(*)::int AS n FROM payment_sessions WHERE company_id = $1 AND status IN ('created', 'scanned', 'identified', 'service_selected', 'payment_initiated')`, [companyId]],
  ];
  const lastLive = addDays(today, -7);
  const retention = new Date();
  retention.setUTCMonth(retention.getUTCMonth() - 12);
  const SELECT = `SELECT e.id, e.position, e.type, e.level, e.created_at, e.subjects, e.actor_type, e.actor_id, host(e.ip) AS ip, e.user_agent, e.request_id, e.duration_ms, e.data,
    CASE e.actor_type WHEN 'user' THEN u.name WHEN 'token' THEN t.name END AS actor_name FROM events e
    LEFT JOIN users u ON e.actor_type = 'user' AND u.id::text = e.actor_id
    LEFT JOIN api_tokens t ON e.actor_type = 'token' AND t.id::text = e.actor_id AND t.company_id = e.company_id`;
  const byCall: Record<string, Array<[string, string, unknown[]]>> = {
    'GET /dashboard (today)': [frozen(today), ...live(today), ...common],
    'GET /dashboard 30 days': [frozen(addDays(today, -29)), ...live(lastLive), ...common],
    'GET /dashboard 1 year': [frozen(addDays(today, -365)), ...live(lastLive), ...common],
    'GET /dashboard/daily?days=30': [frozen(addDays(today, -29)), ...live(lastLive)],
    'GET /dashboard/errors?hours=24': [['errors', `SELECT id, type, level, created_at, subjects, data, request_id FROM events WHERE company_id = $1 AND level IN ('error', 'critical') AND created_at >= $2 ORDER BY created_at DESC, position DESC LIMIT 100`, [companyId, new Date(Date.now() - 86_400_000)]]],
    'GET /activity?limit=20': [['activity', `SELECT id, position, type, subjects, data, created_at FROM events WHERE company_id = $1 AND type = ANY($2::text[]) ORDER BY position DESC LIMIT $3`,
      [companyId, ['sale_opened', 'sale_paid', 'payment_confirmed', 'payment_issue', 'order_created', 'live_started', 'live_ended'], 20]]],
    'GET /events?limit=50': [['events', `${SELECT} WHERE e.company_id = $1 AND e.created_at >= $2 ORDER BY e.position DESC LIMIT $3`, [companyId, retention, 51]]],
    'GET /events?type=sale_paid&limit=50': [['events sale_paid', `${SELECT} WHERE e.company_id = $1 AND e.created_at >= $2 AND e.type = ANY($3::text[]) ORDER BY e.position DESC LIMIT $4`, [companyId, retention, ['sale_paid'], 51]]],
  };
  for (const [name, statements] of Object.entries(byCall)) {
    if (!all && !missed.has(name)) continue;
    console.log(`\n=== ${name}${missed.has(name) ? ' (missed the target)' : ''}`);
    for (const [label, sql, params] of statements) {
      await db.query(`BEGIN; SET LOCAL ROLE comptoir_app; SELECT set_config('app.company_id', '${companyId}', true)`);
      try {
        const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        const plan = rows.map((r) => r['QUERY PLAN'] as string);
        const total = plan.find((l) => l.startsWith('Execution Time'));
        console.log(`--- ${label}: ${total}`);
        if (all || missed.size) console.log(plan.map((l) => `    ${l}`).join('\n'));
      } finally {
        await db.query('ROLLBACK');
      }
    }
  }
}

void main();
