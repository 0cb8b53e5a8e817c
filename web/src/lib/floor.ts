import { api } from './api.ts';

/** Floor endpoints (areas, tables, the live floor plan); base /api/v1/companies/{companyId}. */

export const TABLE_STATUSES = ['available', 'occupied', 'reserved', 'out_of_service'] as const;
export type TableStatus = (typeof TABLE_STATUSES)[number];
export type TableShape = 'square' | 'round' | 'rect';

export type Area = { id: string; name: string; sort: number; active: boolean };

export type DiningTable = {
  id: string;
  areaId: string;
  label: string;
  seats: number;
  x: number;
  y: number;
  shape: TableShape;
  active: boolean;
  status: TableStatus;
};

export type FloorSale = {
  id: string;
  reference: string;
  customerName: string | null;
  serverId: string | null;
  serverName: string | null;
  occupiedSince: string;
  itemCount: number;
  total: number;
  /** Web only: opened or changed offline, not yet on the server. */
  pendingSync?: boolean;
};

export type FloorTable = Omit<DiningTable, 'active'> & {
  reservedName: string | null;
  reservedAt: string | null;
  sale: FloorSale | null;
  stats?: { avgOccupationMinutes: number | null; salesCount: number; revenue: number };
  estimatedFreeAt?: string | null;
};

export type Floor = { currency: string; areas: Area[]; tables: FloorTable[] };

export type NewArea = { name: string; sort?: number };
export type NewTable = { areaId: string; label: string; seats: number; x?: number; y?: number; shape?: TableShape };
export type TablePatch = Partial<NewTable> & {
  active?: boolean;
  status?: Exclude<TableStatus, 'occupied'>;
  reservedName?: string | null;
  reservedAt?: string | null;
};

const enc = encodeURIComponent;
const base = (companyId: string) => `/companies/${enc(companyId)}`;

export const getFloor = (companyId: string) => api.get<Floor>(`${base(companyId)}/floor`);
export const listAreas = (companyId: string) => api.get<{ items: Area[] }>(`${base(companyId)}/areas`);
export const createArea = (companyId: string, body: NewArea) => api.post<Area>(`${base(companyId)}/areas`, body);
export const updateArea = (companyId: string, areaId: string, patch: Partial<Area>) =>
  api.patch<Area>(`${base(companyId)}/areas/${enc(areaId)}`, patch);
export const listTables = (companyId: string) => api.get<{ items: DiningTable[] }>(`${base(companyId)}/tables`);
export const createTable = (companyId: string, body: NewTable) =>
  api.post<DiningTable>(`${base(companyId)}/tables`, body);
export const updateTable = (companyId: string, tableId: string, patch: TablePatch) =>
  api.patch<DiningTable>(`${base(companyId)}/tables/${enc(tableId)}`, patch);
