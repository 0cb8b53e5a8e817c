import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api.ts';
import { qk } from './queryKeys.ts';

/** A lost session anywhere sends the app back to sign-in (RequireAuth watches `me`). */
function onError(err: unknown) {
  if (err instanceof ApiError && err.code === 'auth.unauthenticated') {
    queryClient.setQueryData(qk.me, null);
  }
  // A shared till locked (by another tab, or out after wrong PINs): `me` says so, and RequireAuth goes to the PIN pad.
  if (err instanceof ApiError && (err.code === 'till.pin_required' || err.code === 'till.locked')) {
    void queryClient.invalidateQueries({ queryKey: qk.me });
  }
}

export const queryClient: QueryClient = new QueryClient({
  // `me` itself failing that way must not invalidate itself again.
  queryCache: new QueryCache({ onError: (err, query) => query.queryKey[0] !== qk.me[0] && onError(err) }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      // Offline, still ask: the service worker answers the till's reads from its cache.
      networkMode: 'offlineFirst',
      staleTime: 10_000,
      retry: (count, err) => {
        if (err instanceof ApiError && err.status > 0 && err.status < 500) return false;
        return count < 2;
      },
    },
    // Never held back while offline: the till queues its own work (lib/offline), the rest says it failed.
    mutations: { retry: false, networkMode: 'always' },
  },
});
