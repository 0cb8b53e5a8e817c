let registered = false;

/**
 * Registers /sw.js (built by web/src/sw/buildPlugin.ts) for the whole origin. Called
 * by the staff layout only: a shop or payment-page visitor never installs it. Not in
 * development (Vite's dev server has no /sw.js and serves modules that change).
 */
export function registerServiceWorker(): void {
  if (registered || !import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  registered = true;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => {
    console.warn('Service worker not registered: the till will not open without network', err);
  });
}
