import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
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

export function useSale(companyId: string, saleId: string | undefined) {
  return useQuery({
    queryKey: qk.sale(companyId, saleId ?? ''),
    queryFn: () => getSale(companyId, saleId ?? ''),
    enabled: Boolean(saleId),
  });
}

/** After a change: store the sale the server returned, then refetch the lists and the floor. */
export function useSaleChanged(companyId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    (sale?: Sale) => {
      if (sale) queryClient.setQueryData(qk.sale(companyId, sale.id), sale);
      void queryClient.invalidateQueries({ queryKey: qk.saleLists(companyId) });
      void queryClient.invalidateQueries({ queryKey: qk.floor(companyId) });
      // Stock moved: the till's product grid shows availability.
      void queryClient.invalidateQueries({ queryKey: qk.products(companyId) });
    },
    [queryClient, companyId],
  );
}
