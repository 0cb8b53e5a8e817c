import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api.ts';
import { qk } from './queryKeys.ts';

/** A lost session anywhere sends the app back to sign-in (RequireAuth watches `me`). */
function onError(err: unknown) {
  if (err instanceof ApiError && err.code === 'auth.unauthenticated') {
    queryClient.setQueryData(qk.me, null);
  }
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (count, err) => {
        if (err instanceof ApiError && err.status > 0 && err.status < 500) return false;
        return count < 2;
      },
    },
    mutations: { retry: false },
  },
});
