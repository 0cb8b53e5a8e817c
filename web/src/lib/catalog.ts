import { api } from './api.ts';
import type {
  Hold,
  HoldOwner,
  LossReason,
  Page,
  Product,
  ProductFilters,
  ProductInput,
  StockMovement,
} from './types.ts';

/** Catalog and stock endpoints (base /api/v1/companies/{companyId}), one function each. */

const enc = encodeURIComponent;
const productsPath = (companyId: string) => `/companies/${enc(companyId)}/products`;
const productPath = (companyId: string, productId: string) => `${productsPath(companyId)}/${enc(productId)}`;
type PageQuery = { limit?: number; cursor?: string | null };

export const listProducts = (companyId: string, filters: ProductFilters & PageQuery = {}) =>
  api.get<Page<Product>>(productsPath(companyId), { query: filters });
export const listProductCategories = (companyId: string) =>
  api.get<{ items: string[] }>(`${productsPath(companyId)}/categories`);
export const createProduct = (companyId: string, body: ProductInput) =>
  api.post<Product>(productsPath(companyId), body);
export const getProduct = (companyId: string, productId: string) => api.get<Product>(productPath(companyId, productId));
export const updateProduct = (companyId: string, productId: string, patch: Partial<ProductInput>) =>
  api.patch<Product>(productPath(companyId, productId), patch);
export const archiveProduct = (companyId: string, productId: string) =>
  api.post<Product>(`${productPath(companyId, productId)}/archive`);
export const unarchiveProduct = (companyId: string, productId: string) =>
  api.post<Product>(`${productPath(companyId, productId)}/unarchive`);

// Stock
export const restockProduct = (companyId: string, productId: string, body: { quantity: number; note?: string }) =>
  api.post<Product>(`${productPath(companyId, productId)}/restock`, body);
export const adjustStock = (companyId: string, productId: string, body: { delta: number; reason: string }) =>
  api.post<Product>(`${productPath(companyId, productId)}/adjustments`, body);
export const listStockMovements = (companyId: string, productId: string, page: PageQuery = {}) =>
  api.get<Page<StockMovement>>(`${productPath(companyId, productId)}/movements`, { query: page });
export const reportStockLoss = (
  companyId: string,
  body: { productId: string; quantity: number; reason: LossReason; note?: string },
) => api.post<{ movementId: string; product: Product }>(`/companies/${enc(companyId)}/stock-losses`, body);

// Holds (used by integrations such as a live-selling bot; listed for completeness)
export const placeHolds = (
  companyId: string,
  body: { owner: HoldOwner; lines: { productId: string; quantity: number }[] },
) => api.post<{ holds: Hold[]; expiresAt: string | null }>(`/companies/${enc(companyId)}/holds`, body);
export const releaseHolds = (companyId: string, owner: HoldOwner) =>
  api.post<{ released: number }>(`/companies/${enc(companyId)}/holds/release`, { owner });
export const listHolds = (companyId: string, owner: { ownerType?: string; ownerId?: string } = {}) =>
  api.get<{ items: Hold[] }>(`/companies/${enc(companyId)}/holds`, { query: owner });
