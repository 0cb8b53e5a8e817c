import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getCompany, listApiTokens, listMembers } from './endpoints.ts';
import { qk } from './queryKeys.ts';

const PAGE_SIZE = 50;

export function useCompany(companyId: string) {
  return useQuery({ queryKey: qk.companyDetail(companyId), queryFn: () => getCompany(companyId) });
}

export function useMembers(companyId: string, enabled = true) {
  return useInfiniteQuery({
    enabled,
    queryKey: qk.members(companyId),
    queryFn: ({ pageParam }) => listMembers(companyId, { limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useApiTokens(companyId: string) {
  return useInfiniteQuery({
    queryKey: qk.apiTokens(companyId),
    queryFn: ({ pageParam }) => listApiTokens(companyId, { limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
