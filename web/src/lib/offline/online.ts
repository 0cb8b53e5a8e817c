import { useSyncExternalStore } from 'react';

/**
 * Whether the browser says it is online (navigator.onLine, `online`/`offline`
 * events). A LAN that answers nothing still reads "online": the offline queue also
 * treats a failed request as offline (see queue.ts `reachable`).
 */
function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

export const browserOnline = (): boolean => (typeof navigator === 'undefined' ? true : navigator.onLine !== false);

export function useBrowserOnline(): boolean {
  return useSyncExternalStore(subscribe, browserOnline, () => true);
}
