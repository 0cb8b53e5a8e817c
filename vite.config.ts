import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repoRoot = path.dirname(fileURLToPath(import.meta.url));

/**
 * The web app lives in web/ and is built to dist/web, which the server serves.
 * Paths are absolute so the config behaves the same from any working directory
 * (scripts/build-web-if-stale.mjs calls Vite's build() API).
 */
export default defineConfig({
  root: path.join(repoRoot, 'web'),
  publicDir: path.join(repoRoot, 'web/public'),
  plugins: [react(), tailwindcss()],
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
            // Icons and toasts stay with the pages that use them: the public shop loads neither.
            { name: 'vendor', test: /node_modules[\\/](?!(lucide-react|sonner)[\\/])/, priority: 1 },
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
