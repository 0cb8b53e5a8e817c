import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { serviceWorkerPlugin } from './web/src/sw/buildPlugin.ts';

const repoRoot = path.dirname(fileURLToPath(import.meta.url));

/**
 * Libraries kept out of the shared vendor chunk because only lazily loaded pages use
 * them: icons and toasts (staff app), and the dashboard chart (recharts and what
 * only it pulls in: redux, immer, d3…), which must not load with the shop or the
 * staff app's first page.
 */
const NOT_VENDOR = [
  'lucide-react',
  'sonner',
  'recharts',
  '@reduxjs',
  'react-redux',
  'redux',
  'redux-thunk',
  'immer',
  'reselect',
  'es-toolkit',
  'decimal\\.js-light',
  'eventemitter3',
  'tiny-invariant',
  'clsx',
  'react-is',
  'victory-vendor',
  'd3-[a-z-]+',
  'internmap',
];
// use-sync-external-store is shared with react-i18next, but only the chart uses its `with-selector` entry.
const VENDOR = new RegExp(
  `node_modules[\\\\/](?!(${NOT_VENDOR.join('|')})[\\\\/])(?!use-sync-external-store[\\\\/].*with-selector)`,
);

/**
 * The web app lives in web/ and is built to dist/web, which the server serves.
 * Paths are absolute so the config behaves the same from any working directory
 * (scripts/build-web-if-stale.mjs calls Vite's build() API).
 */
export default defineConfig({
  root: path.join(repoRoot, 'web'),
  publicDir: path.join(repoRoot, 'web/public'),
  // serviceWorkerPlugin: /sw.js, the offline till's shell cache (web/src/sw/sw.ts).
  plugins: [react(), tailwindcss(), serviceWorkerPlugin()],
  build: {
    outDir: path.join(repoRoot, 'dist/web'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks cache better.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie)[\\/]/, priority: 2 },
            // Icons, toasts and the chart stay with the pages that use them (see NOT_VENDOR).
            { name: 'vendor', test: VENDOR, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      // SSE goes through the same proxy; http-proxy streams it as is.
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
  preview: { port: 4173 },
});
