/**
 * Hot-product holds: N concurrent HTTP clients each place then release a 1-unit hold
 * on one product through the staff API (bearer token, Idempotency-Key, events and all),
 * against a bare autocommit conditional UPDATE loop on one row of the same database,
 * with the same N connections and duration. Loopback only; rate limits off.
 *
 *   npx tsx bench/holds.ts [--clients 32] [--seconds 10]
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
import { startEmbeddedPostgres } from '../src/platform/db/embedded.ts';
import { migrate } from '../src/platform/db/migrate.ts';

const { values } = parseArgs({
  options: { clients: { type: 'string', default: '32' }, seconds: { type: 'string', default: '10' }, stock: { type: 'string' } },
});
const N = Number(values.clients);
const SECONDS = Number(values.seconds);
// Fewer units than clients, so the product is contended and some holds are refused.
const STOCK = Number(values.stock ?? Math.max(1, Math.floor(N / 2)));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), '--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', COMPTOIR_RATE_LIMIT: '0', COMPTOIR_JOBS: 'off', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (process.env.BENCH_DEBUG) process.stderr.write(d); if (d.toString().includes('listening')) resolve(); });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return child;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const pgServer = await startEmbeddedPostgres({ dataDir, database: 'bench' });
  const url = pgServer.url();
  await migrate(url);
  const port = await freePort();
  const server = await startServer(url, port);
  const base = `http://127.0.0.1:${port}/api/v1`;
  const agent = new Agent({ connections: N, pipelining: 1, keepAliveTimeout: 30_000 });
  const call = async (method: 'POST' | 'GET', p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await request(`${base}${p}`, {
      method,
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : null };
  };

  try {
    // An owner, a company, an API token and one hot product with STOCK units.
    const reg = await call('POST', '/auth/register', { name: 'Bench', email: `bench-${randomUUID()}@example.test`, password: 'bench-password-123' });
    const cookie = String(reg.headers['set-cookie']).match(/comptoir_session=([^;]+)/)![1];
    const csrf = String(reg.headers['set-cookie']).match(/comptoir_csrf=([^;]+)/)![1];
    const asOwner = { cookie: `comptoir_session=${cookie}; comptoir_csrf=${csrf}`, 'x-csrf-token': csrf! };
    const company = (await call('POST', '/companies', { name: 'Bench', currency: 'XOF', timezone: 'UTC' }, asOwner)).body;
    const token = (await call('POST', `/companies/${company.id}/api-tokens`, { name: 'bench', role: 'cashier' }, asOwner)).body.token;
    const auth = { authorization: `Bearer ${token}` };
    const product = (await call('POST', `/companies/${company.id}/products`, { name: 'Hot', price: 1000, kind: 'good' }, asOwner)).body;
    await call('POST', `/companies/${company.id}/products/${product.id}/restock`, { quantity: STOCK }, asOwner);

    // Watch for oversell: active unexpired holds above on-hand at any sampled moment.
    const probe = new pg.Client({ connectionString: url });
    await probe.connect();
    let oversell = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await probe.query(
          `SELECT p.on_hand, (SELECT coalesce(sum(quantity), 0)::int FROM holds h WHERE h.company_id = p.company_id AND h.product_id = p.id AND h.status = 'active') AS active
           FROM products p WHERE p.company_id = $1 AND p.id = $2`,
          [company.id, product.id],
        );
        if (rows[0].active > rows[0].on_hand) oversell++;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    // Warm-up, then the measured run.
    const latencies: number[] = [];
    let placed = 0;
    let refused = 0;
    let errors = 0;
    const runClients = async (seconds: number, record: boolean) => {
      const deadline = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: N }, async () => {
          while (performance.now() < deadline) {
            const owner = { type: 'live_order', id: randomUUID() };
            const t0 = performance.now();
            const res = await call('POST', `/companies/${company.id}/holds`, { owner, lines: [{ productId: product.id, quantity: 1 }] }, { ...auth, 'idempotency-key': randomUUID() });
            const dt = performance.now() - t0;
            if (!record) {
              if (res.status === 201) await call('POST', `/companies/${company.id}/holds/release`, { owner }, { ...auth, 'idempotency-key': randomUUID() });
              continue;
            }
            latencies.push(dt);
            if (res.status === 201) {
              placed++;
              const rel = await call('POST', `/companies/${company.id}/holds/release`, { owner }, { ...auth, 'idempotency-key': randomUUID() });
              if (rel.status !== 200) errors++;
            } else if (res.status === 409) refused++;
            else errors++;
          }
        }),
      );
    };
    await runClients(1, false);
    const t0 = performance.now();
    await runClients(SECONDS, true);
    const elapsed = (performance.now() - t0) / 1000;
    sampling = false;
    await sampler;

    // Ledger and counters after the run.
    const { rows: check } = await probe.query(
      `SELECT p.on_hand, p.held,
              (SELECT coalesce(sum(quantity), 0)::int FROM stock_movements m WHERE m.company_id = p.company_id AND m.product_id = p.id) AS ledger,
              (SELECT coalesce(sum(quantity), 0)::int FROM holds h WHERE h.company_id = p.company_id AND h.product_id = p.id AND h.status = 'active') AS active
       FROM products p WHERE p.company_id = $1 AND p.id = $2`,
      [company.id, product.id],
    );

    // The bare baseline: N autocommit connections, one conditional UPDATE on one row.
    await probe.query('CREATE TABLE IF NOT EXISTS bench_stock (id int PRIMARY KEY, available bigint NOT NULL)');
    await probe.query('INSERT INTO bench_stock VALUES (1, 1000000000) ON CONFLICT (id) DO UPDATE SET available = 1000000000');
    const conns = await Promise.all(Array.from({ length: N }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }));
    let bare = 0;
    const bareDeadline = performance.now() + SECONDS * 1000;
    const bt0 = performance.now();
    await Promise.all(conns.map(async (c) => {
      while (performance.now() < bareDeadline) {
        const r = await c.query('UPDATE bench_stock SET available = available - 1 WHERE id = 1 AND available >= 1');
        bare += r.rowCount ?? 0;
      }
    }));
    const bareElapsed = (performance.now() - bt0) / 1000;
    await Promise.all(conns.map((c) => c.end()));
    await probe.end();

    latencies.sort((a, b) => a - b);
    const holdsPerSec = placed / elapsed;
    const attemptsPerSec = latencies.length / elapsed;
    const barePerSec = bare / bareElapsed;
    const c = check[0];
    console.log(JSON.stringify({ machine: `${os.cpus().length}× ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`, clients: N, seconds: SECONDS, stock: STOCK }));
    console.log(`hold attempts/s  ${attemptsPerSec.toFixed(0)}  (placed ${placed}, refused ${refused}, errors ${errors})`);
    console.log(`holds placed/s   ${holdsPerSec.toFixed(0)}  (each also released: 2 HTTP commands per hold)`);
    console.log(`latency place    p50 ${percentile(latencies, 50).toFixed(1)} ms  p99 ${percentile(latencies, 99).toFixed(1)} ms`);
    console.log(`oversell         ${oversell} sampled moments; ledger ${c.ledger} = onHand ${c.on_hand}: ${c.ledger === c.on_hand}; held ${c.held} = active ${c.active}: ${c.held === c.active}`);
    console.log(`bare UPDATE/s    ${barePerSec.toFixed(0)}  (autocommit conditional UPDATE, one row, ${N} connections)`);
    console.log(`ratio            ${(attemptsPerSec / barePerSec).toFixed(2)}× (hold attempts / bare updates)`);
    console.log(`ratio/command    ${((latencies.length + placed) / elapsed / barePerSec).toFixed(2)}× (HTTP commands — places and releases — / bare updates)`);
  } finally {
    await agent.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await pgServer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
