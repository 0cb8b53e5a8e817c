import { keepPreviousData, type UseQueryResult, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError } from './api.ts';
import { useOfflineQueue } from './offline/hooks.ts';
import { opsOfSale, projectSale, resolveSaleId } from './offline/project.ts';
import { isLocalId } from './offline/types.ts';
import { qk } from './queryKeys.ts';
import { getSale, listSales, type Sale, type SaleFilters } from './sales.ts';

const PAGE_SIZE = 30;

/** Sales matching the filters, newest first, 30 at a time. */
export function useSales(companyId: string, filters: SaleFilters) {
  return useInfiniteQuery({
    queryKey: qk.saleList(companyId, filters),
    queryFn: ({ pageParam }) => listSales(companyId, { ...filters, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/**
 * A sale as the till shows it: the server's copy with the work still waiting in the
 * offline queue applied (lib/offline). A sale opened offline (temporary "local-" id)
 * exists only in the queue until its replay gives it the server's id.
 */
export function useSale(companyId: string, saleId: string | undefined): UseQueryResult<Sale> {
  const { ops, ids } = useOfflineQueue(companyId);
  const id = saleId ? resolveSaleId(saleId, ids) : '';
  const local = isLocalId(id);
  const query = useQuery({
    queryKey: qk.sale(companyId, id),
    queryFn: () => getSale(companyId, id),
    enabled: Boolean(id) && !local,
  });
  const queued = id ? opsOfSale(ops, id, ids) : [];
  if (!id || (!local && queued.length === 0)) return query;
  const sale = projectSale(local ? null : (query.data ?? null), queued);
  if (sale) return { ...query, data: sale, error: null, isError: false, isPending: false, isSuccess: true, status: 'success' } as UseQueryResult<Sale>;
  if (!local) return query;
  const error = new ApiError({ status: 404, code: 'sale.not_found' });
  return { ...query, data: undefined, error, isError: true, isPending: false, isSuccess: false, status: 'error' } as UseQueryResult<Sale>;
}

/** After a change: store the sale the server returned, then refetch the lists and the floor. */
export function useSaleChanged(companyId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    (sale?: Sale) => {
      // A sale with queued work is a projection (lib/offline): the cache keeps the server's copy.
      if (sale && !sale.pendingSync) queryClient.setQueryData(qk.sale(companyId, sale.id), sale);
      void queryClient.invalidateQueries({ queryKey: qk.saleLists(companyId) });
      void queryClient.invalidateQueries({ queryKey: qk.floor(companyId) });
      // Stock moved: the till's product grid shows availability.
      void queryClient.invalidateQueries({ queryKey: qk.products(companyId) });
    },
    [queryClient, companyId],
  );
}
