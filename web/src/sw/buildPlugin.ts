import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Plugin, transformWithOxc } from 'vite';

/**
 * Build-time only (imported by vite.config.ts, never by the app): emits /sw.js from
 * sw.ts — types stripped, no imports — with the list of the built files to precache
 * and a version hash, so a new build installs a new worker and drops the old shell.
 */
export function serviceWorkerPlugin(): Plugin {
  const source = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sw.ts');
  let publicDir = '';
  return {
    name: 'comptoir-service-worker',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    async generateBundle(_options, bundle) {
      const built = Object.keys(bundle).filter((f) => !f.endsWith('.map') && f !== 'index.html' && f !== 'sw.js');
      const publicFiles = publicDir && fs.existsSync(publicDir) ? fs.readdirSync(publicDir).filter((f) => !f.startsWith('.')) : [];
      const files = [...new Set([...built, ...publicFiles])].sort().map((f) => `/${f}`);
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const { code } = await transformWithOxc(fs.readFileSync(source, 'utf8'), source, { lang: 'ts' });
      const script = code
        .replace(/^export\s*\{\s*\};?\s*$/m, '')
        .replaceAll('__COMPTOIR_PRECACHE__', JSON.stringify(files))
        .replaceAll('__COMPTOIR_VERSION__', JSON.stringify(version));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: script });
    },
  };
}
