/**
 * Sales opened and paid per second over HTTP by N concurrent cashiers, each on its own
 * table (and its own product, so stock rows do not contend). Every cycle: POST /sales
 * (table occupied, goods held, gapless reference, events) then POST /payments (holds
 * consumed as movements, table freed). Loopback only; rate limits off.
 *
 *   npx tsx bench/sales.ts [--cashiers 16] [--seconds 10]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startEmbeddedPostgres } from '../src/platform/db/embedded.ts';
import { migrate } from '../src/platform/db/migrate.ts';

const { values } = parseArgs({ options: { cashiers: { type: 'string', default: '16' }, seconds: { type: 'string', default: '10' } } });
const N = Number(values.cashiers);
const SECONDS = Number(values.seconds);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir, database: 'bench' });
  await migrate(pg.url());
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: pg.url(), PORT: String(port), HOST: '127.0.0.1', COMPTOIR_RATE_LIMIT: '0', COMPTOIR_JOBS: 'off', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const agent = new Agent({ connections: N + 2 });
  const base = `http://127.0.0.1:${port}/api/v1`;
  const call = async (method: 'GET' | 'POST', p: string, body: unknown, headers: Record<string, string>) => {
    const res = await request(`${base}${p}`, { method, dispatcher: agent, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
  try {
    const reg = await call('POST', '/auth/register', { name: 'Bench', email: `bench-${randomUUID()}@example.test`, password: 'bench-password-123' }, {});
    const cookies = String(reg.headers['set-cookie']);
    const csrf = cookies.match(/comptoir_csrf=([^;]+)/)![1]!;
    const owner = { cookie: `comptoir_session=${cookies.match(/comptoir_session=([^;]+)/)![1]}; comptoir_csrf=${csrf}`, 'x-csrf-token': csrf };
    const company = (await call('POST', '/companies', { name: 'Bench', currency: 'XOF', timezone: 'UTC' }, owner)).body;
    const c = `/companies/${company.id}`;
    const token = (await call('POST', `${c}/api-tokens`, { name: 'till', role: 'cashier' }, owner)).body.token;
    const area = (await call('POST', `${c}/areas`, { name: 'Salle' }, owner)).body;
    const setups: Array<{ table: string; product: string }> = [];
    for (let i = 0; i < N; i++) {
      const table = (await call('POST', `${c}/tables`, { areaId: area.id, label: `T${i}`, seats: 4 }, owner)).body;
      const product = (await call('POST', `${c}/products`, { name: `Plat ${i}`, price: 2500, kind: 'good' }, owner)).body;
      await call('POST', `${c}/products/${product.id}/restock`, { quantity: 1_000_000 }, owner);
      setups.push({ table: table.id, product: product.id });
    }
    const auth = { authorization: `Bearer ${token}` };
    const open: number[] = [];
    const pay: number[] = [];
    let cycles = 0;
    let errors = 0;
    const run = async (seconds: number, record: boolean) => {
      const deadline = performance.now() + seconds * 1000;
      await Promise.all(
        setups.map(async ({ table, product }) => {
          while (performance.now() < deadline) {
            const t0 = performance.now();
            const sale = await call('POST', `${c}/sales`, { tableId: table, channel: 'table', items: [{ productId: product, quantity: 1 }] }, { ...auth, 'idempotency-key': randomUUID() });
            const t1 = performance.now();
            if (sale.status !== 201) {
              errors++;
              continue;
            }
            const paid = await call('POST', `${c}/sales/${sale.body.id}/payments`, { method: 'cash', amount: sale.body.due }, { ...auth, 'idempotency-key': randomUUID() });
            const t2 = performance.now();
            if (paid.status !== 201) errors++;
            if (!record) continue;
            open.push(t1 - t0);
            pay.push(t2 - t1);
            cycles++;
          }
        }),
      );
    };
    await run(1, false);
    const t0 = performance.now();
    await run(SECONDS, true);
    const elapsed = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ machine: `${os.cpus().length}× ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`, cashiers: N, seconds: SECONDS }));
    console.log(`sales opened and paid/s  ${(cycles / elapsed).toFixed(0)}  (${cycles} sales, ${errors} errors)`);
    console.log(`open  p50 ${pct(open, 50).toFixed(1)} ms  p99 ${pct(open, 99).toFixed(1)} ms`);
    console.log(`pay   p50 ${pct(pay, 50).toFixed(1)} ms  p99 ${pct(pay, 99).toFixed(1)} ms`);
  } finally {
    await agent.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await pg.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
