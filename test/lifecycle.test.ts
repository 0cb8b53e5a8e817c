import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from './support/app.ts';
import { createTestDatabase } from './support/db.ts';
import { waitFor } from './support/factories.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = { email: 'owner@demo.comptoir.local', password: 'Demo-Comptoir-2026' };

const children: ChildProcess[] = [];
const pgPids = new Set<number>();
const dirs: string[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null && c.pid) kill(c.pid, 'SIGKILL');
  for (const pid of pgPids) if (alive(pid)) kill(pid, 'SIGINT');
  await waitFor(() => [...pgPids].every((pid) => !alive(pid)), 30_000, 'leftover PostgreSQL to stop').catch(() => {});
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function kill(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

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

interface Started {
  child: ChildProcess;
  base: string;
  pgPort: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `node --import tsx src/main.ts` on a data dir and waits for its start-up line. */
async function startMain(dataDir: string): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      COMPTOIR_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      COMPTOIR_RATE_LIMIT: '0',
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
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const line = new RegExp(
    `Comptoir listening on http://localhost:${port} — database: embedded PostgreSQL on 127\\.0\\.0\\.1:(\\d+) \\(${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/pg\\)`,
  );
  const match = await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`main.ts exited early:\n${out}`);
    return line.exec(out);
  }, 60_000, `start-up line in:\n${out}`);
  return { child, base: `http://127.0.0.1:${port}`, pgPort: Number(match[1]), output: () => out, exited };
}

function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** Signs in over real HTTP; returns the headers a browser would send on mutations. */
async function signIn(base: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookies = Object.fromEntries(res.headers.getSetCookie().map((c) => c.split(';')[0]!.split('=') as [string, string]));
  return {
    cookie: `comptoir_session=${cookies.comptoir_session}; comptoir_csrf=${cookies.comptoir_csrf}`,
    'x-csrf-token': cookies.comptoir_csrf!,
  };
}

async function demoCounts(dataDir: string, pgPort: number) {
  const password = fs.readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
  const c = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', password, database: 'comptoir' });
  await c.connect();
  try {
    const { rows } = await c.query(
      `SELECT (SELECT count(*)::int FROM companies WHERE slug = 'demo') AS companies,
              (SELECT count(*)::int FROM users WHERE email LIKE '%@demo.comptoir.local') AS users`,
    );
    return rows[0];
  } finally {
    await c.end();
  }
}

describe('graceful shutdown', () => {
  it('finishes a request in flight, then stops; new connections are refused', async () => {
    const db = await createTestDatabase();
    const app = await startTestApp(db.url);
    try {
      let finishedAt = 0;
      const received = new Promise<void>((resolve) =>
        app.app.server.once('request', (_req, res) => {
          res.once('finish', () => {
            finishedAt = Date.now();
          });
          resolve();
        }),
      );
      const slow = fetch(`${app.url}/api/v1/__test/slow?ms=800`);
      await received;
      const stopped = app.stop().then(() => Date.now());
      const res = await slow;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ done: true });
      // Its keep-alive socket must not hold the shutdown open.
      expect(res.headers.get('connection')).toBe('close');
      const stoppedAt = await stopped;
      expect(finishedAt).toBeGreaterThan(0);
      expect(stoppedAt).toBeGreaterThanOrEqual(finishedAt);
      const refused = await fetch(`${app.url}/api/v1/health`).then(
        () => 'connected',
        (err: Error & { cause?: { code?: string } }) => err.cause?.code,
      );
      expect(refused).toBe('ECONNREFUSED');
    } finally {
      await db.drop();
    }
  });
});

describe('the real process on embedded PostgreSQL', () => {
  it('survives kill -9: stops the orphan server, keeps committed data, seeds once, exits 0 on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-life-'));
    fs.chmodSync(dataDir, 0o755);
    dirs.push(dataDir);

    const first = await startMain(dataDir);
    const oldPg = postmasterPid(dataDir);
    pgPids.add(oldPg);
    expect(alive(oldPg)).toBe(true);
    expect(await (await fetch(`${first.base}/api/v1/ready`)).json()).toEqual({ status: 'ready' });
    const auth = await signIn(first.base);
    const created = await fetch(`${first.base}/api/v1/companies`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Chez Kill Neuf', currency: 'EUR', timezone: 'Europe/Paris' }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const company = (await created.json()) as { id: string };

    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // The server runs in its own process group: it outlives the killed app.
    expect(alive(oldPg)).toBe(true);

    const second = await startMain(dataDir);
    const newPg = postmasterPid(dataDir);
    pgPids.add(newPg);
    expect(alive(oldPg)).toBe(false);
    expect(newPg).not.toBe(oldPg);
    expect(alive(newPg)).toBe(true);
    expect(await (await fetch(`${second.base}/api/v1/ready`)).json()).toEqual({ status: 'ready' });

    const me = await fetch(`${second.base}/api/v1/me`, { headers: await signIn(second.base) });
    expect(me.status).toBe(200);
    const { memberships } = (await me.json()) as { memberships: Array<{ companyId: string; slug: string; role: string }> };
    expect(memberships).toContainEqual(expect.objectContaining({ companyId: company.id, role: 'owner' }));
    expect(memberships.filter((m) => m.slug === 'demo')).toHaveLength(1);
    expect(await demoCounts(dataDir, second.pgPort)).toEqual({ companies: 1, users: 4 });

    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toEqual({ code: 0, signal: null });
    expect(alive(newPg)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
