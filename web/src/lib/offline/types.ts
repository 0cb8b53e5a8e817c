import type { FieldError, Params } from '../api.ts';
import type { ItemInput, NewSale, PaymentInput, Sale } from '../sales.ts';

/** Temporary ids of sales opened offline ("local-<uuid>"), replaced by the server's id on replay. */
export const LOCAL_PREFIX = 'local-';
export const isLocalId = (id: string | null | undefined): boolean => typeof id === 'string' && id.startsWith(LOCAL_PREFIX);

/** What the server answered when it refused a replayed operation (kept to show it and fix it). */
export type OpError = { status: number; code: string; params: Params; errors: FieldError[] };

/** A line as the till showed it when it was rung up (name, price and rate from the cached catalog). */
export type LineSnapshot = {
  productId: string;
  name: string;
  unitPrice: number;
  taxRate: number;
  quantity: number;
  note: string | null;
};

type OpBase = {
  /** IndexedDB key: the order operations were recorded in (and are replayed in). */
  seq?: number;
  id: string;
  companyId: string;
  /** Who recorded it: replayed only under that user's session (the server attributes it). */
  userId: string;
  /** Sent with every attempt: the server applies the operation once, whatever the retries. */
  idempotencyKey: string;
  createdAt: string;
  /** pending: waiting to be sent; failed: the server refused it (À corriger). */
  state: 'pending' | 'failed';
  error: OpError | null;
  /** Sent at least once without a clear answer: the body can no longer change under this key. */
  attempted: boolean;
  /** The sale this operation applies to: a temporary id (opened offline) or the server's. */
  saleId: string;
};

export type OpenSaleOp = OpBase & {
  kind: 'open_sale';
  /** Shown until the server gives the real reference ("L-3"). */
  reference: string;
  body: NewSale;
  lines: LineSnapshot[];
  tableLabel: string | null;
  serverName: string | null;
};

export type AddItemsOp = OpBase & {
  kind: 'add_items';
  body: ItemInput;
  lines: LineSnapshot[];
  /** The server's sale when the item was rung up (to show it after a reload while offline). */
  base: Sale | null;
};

export type PaymentOp = OpBase & {
  kind: 'payment';
  body: PaymentInput;
  base: Sale | null;
};

/** "Changer de table": the sale moves to `body.tableId` (its old table is freed). */
export type TransferOp = OpBase & {
  kind: 'transfer';
  body: { tableId: string };
  /** The target table's label as the floor showed it. */
  tableLabel: string | null;
  base: Sale | null;
};

/** "Annuler la vente" (refused by the server once the sale has payments). */
export type CancelOp = OpBase & {
  kind: 'cancel';
  body: { reason?: string };
  base: Sale | null;
};

export type QueuedOp = OpenSaleOp | AddItemsOp | PaymentOp | TransferOp | CancelOp;

/** A sale opened offline and the id the server gave it on replay. */
export type IdMapping = { tempId: string; realId: string; reference: string; companyId: string; at: string };
