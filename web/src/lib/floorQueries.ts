import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { getFloor } from './floor.ts';
import { qk } from './queryKeys.ts';

/** Stream events that change the floor plan. */
export const FLOOR_EVENTS = ['table_occupied', 'table_freed', 'sale_opened', 'sale_updated', 'sale_paid', 'sale_cancelled'] as const;

/** The floor plan with each table's status and open sale; polled slowly as a fallback to the stream. */
export function useFloor(companyId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: qk.floor(companyId),
    queryFn: () => getFloor(companyId),
    refetchInterval: 30_000,
  });
}

/** Refetches the floor plan (after a change here or a stream event). */
export function useFloorChanged(companyId: string) {
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: qk.floor(companyId) });
  }, [queryClient, companyId]);
}
