import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { getProduct, listProductCategories, listProducts, listStockMovements } from './catalog.ts';
import { qk } from './queryKeys.ts';
import type { Product, ProductFilters } from './types.ts';

const PAGE_SIZE = 50;

export function useProducts(companyId: string, filters: ProductFilters) {
  return useInfiniteQuery({
    queryKey: qk.productList(companyId, filters),
    queryFn: ({ pageParam }) => listProducts(companyId, { ...filters, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useProductCategories(companyId: string) {
  return useQuery({
    queryKey: qk.productCategories(companyId),
    queryFn: async () => (await listProductCategories(companyId)).items,
    staleTime: 60_000,
  });
}

export function useProduct(companyId: string, productId: string) {
  return useQuery({ queryKey: qk.product(companyId, productId), queryFn: () => getProduct(companyId, productId) });
}

export function useStockMovements(companyId: string, productId: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: qk.productMovements(companyId, productId),
    queryFn: ({ pageParam }) => listStockMovements(companyId, productId, { limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

/** After a change: store the product the server returned, then refetch lists, categories and movements. */
export function useProductChanged(companyId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    (product?: Product) => {
      if (product) queryClient.setQueryData(qk.product(companyId, product.id), product);
      void queryClient.invalidateQueries({ queryKey: qk.products(companyId) });
    },
    [queryClient, companyId],
  );
}
