#!/usr/bin/env node
// Builds the web app (web/ → dist/web) with Vite's build() API when dist/web/index.html
// is missing or older than the newest file under web/ or vite.config.ts.
// Up to date: prints nothing and exits 0. `npm start` runs it before the server.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'web');
const configFile = path.join(root, 'vite.config.ts');
const builtIndex = path.join(root, 'dist', 'web', 'index.html');
const SKIP = new Set(['node_modules', '.vite', 'dist']);

/** Newest modification time (ms) of any file under dir, 0 when empty or missing. */
function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!existsSync(builtIndex)) return true;
  const built = statSync(builtIndex).mtimeMs;
  const sources = Math.max(newestMtime(webDir), existsSync(configFile) ? statSync(configFile).mtimeMs : 0);
  return sources > built;
}

if (isStale()) {
  const started = Date.now();
  process.stderr.write('Building the web app (dist/web)…\n');
  const { build } = await import('vite');
  try {
    await build({ configFile, logLevel: 'warn' });
  } catch (err) {
    process.stderr.write(`Web build failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  process.stderr.write(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
}
