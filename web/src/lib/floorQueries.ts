import { type UseQueryResult, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { type Floor, getFloor } from './floor.ts';
import { useOfflineQueue } from './offline/hooks.ts';
import { projectFloor } from './offline/project.ts';
import { qk } from './queryKeys.ts';

/** Stream events that change the floor plan. */
export const FLOOR_EVENTS = ['table_occupied', 'table_freed', 'sale_opened', 'sale_updated', 'sale_paid', 'sale_cancelled'] as const;

/**
 * The floor plan with each table's status and open sale; polled slowly as a fallback
 * to the stream. Sales opened or paid offline (lib/offline) already show on it.
 */
export function useFloor(companyId: string, enabled = true): UseQueryResult<Floor> {
  const query = useQuery({
    enabled,
    queryKey: qk.floor(companyId),
    queryFn: () => getFloor(companyId),
    refetchInterval: 30_000,
  });
  const { ops, ids } = useOfflineQueue(companyId);
  const data = useMemo(() => (query.data ? projectFloor(query.data, ops, ids) : query.data), [query.data, ops, ids]);
  return data === query.data ? query : ({ ...query, data } as UseQueryResult<Floor>);
}

/** Refetches the floor plan (after a change here or a stream event). */
export function useFloorChanged(companyId: string) {
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: qk.floor(companyId) });
  }, [queryClient, companyId]);
}
