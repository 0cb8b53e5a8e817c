import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { ApiError, request } from '../api.ts';
import type { FloorTable } from '../floor.ts';
import { qk } from '../queryKeys.ts';
import type { ItemInput, NewSale, Payment, PaymentInput, Sale } from '../sales.ts';
import type { Member, Page, Product } from '../types.ts';
import { uuid } from '../uuid.ts';
import { browserOnline } from './online.ts';
import { opsOfSale, projectSale, resolveSaleId } from './project.ts';
import { enqueue, markUnreachable, nextLocalReference, queueState, syncQueue, unreachable } from './queue.ts';
import { isLocalId, type LineSnapshot, LOCAL_PREFIX, type QueuedOp } from './types.ts';

/**
 * The till's operations that keep working offline: open a sale (its table taken),
 * add items, take a cash or external-terminal card payment, move the sale to another
 * table, cancel it. Online, with nothing of
 * the sale waiting, they are sent at once as before; otherwise — offline, a network
 * failure, or earlier work of the same sale still queued (order matters) — they are
 * queued with their Idempotency-Key and answered with the sale as it will be.
 */
export type TillContext = { companyId: string; userId: string; userName: string; queryClient: QueryClient };

const enc = encodeURIComponent;
const salesPath = (companyId: string) => `/companies/${enc(companyId)}/sales`;


export function lineOf(product: Product, quantity: number, note?: string): LineSnapshot {
  return { productId: product.id, name: product.name, unitPrice: product.price, taxRate: product.taxRate, quantity, note: note ?? null };
}

/**
 * Where an operation on `sale` goes: the server's id once known (a sale opened
 * offline and already replayed), and whether it must wait in line behind earlier
 * work of the same sale.
 */
function targetOf(companyId: string, sale: Sale): { saleId: string; mustQueue: boolean } {
  const s = queueState();
  const saleId = resolveSaleId(sale.id, s.ids);
  const queued = opsOfSale(s.ops.filter((op) => op.companyId === companyId), saleId, s.ids).length > 0;
  return { saleId, mustQueue: isLocalId(saleId) || queued };
}

/** Sends `call` unless it must queue; a network failure queues it (attempted: same key on replay). */
async function directOrQueue<T>(mustQueue: boolean, call: () => Promise<T>): Promise<{ answer: T } | { attempted: boolean }> {
  if (mustQueue || !browserOnline()) return { attempted: false };
  try {
    return { answer: await call() };
  } catch (err) {
    if (!unreachable(err)) throw err;
    markUnreachable();
    return { attempted: true };
  }
}

function common(ctx: TillContext, key: string, attempted: boolean) {
  return {
    id: uuid(),
    companyId: ctx.companyId,
    userId: ctx.userId,
    idempotencyKey: key,
    createdAt: new Date().toISOString(),
    state: 'pending' as const,
    error: null,
    attempted,
  };
}

function kick(ctx: TillContext) {
  if (browserOnline()) void syncQueue(ctx.userId);
}

/**
 * The server's copy of a sale: as cached (never a projection: those are not stored),
 * else the one on screen when it is the server's own.
 */
function serverCopy(ctx: TillContext, saleId: string, shown?: Sale): Sale | null {
  const cached = ctx.queryClient.getQueryData<Sale>(qk.sale(ctx.companyId, saleId));
  if (cached) return cached;
  return shown && !shown.pendingSync && shown.id === saleId ? shown : null;
}

function projected(ctx: TillContext, saleId: string, shown?: Sale): Sale {
  const s = queueState();
  const ops = opsOfSale(s.ops.filter((op) => op.companyId === ctx.companyId), saleId, s.ids);
  const sale = projectSale(saleId.startsWith(LOCAL_PREFIX) ? null : serverCopy(ctx, saleId, shown), ops);
  if (!sale) throw new ApiError({ status: 404, code: 'sale.not_found' });
  return sale;
}

/** A server's name from the cached member list (the till's server picker loaded it). */
function memberName(ctx: TillContext, userId: string | undefined): string | null {
  if (!userId) return null;
  const members = ctx.queryClient.getQueryData<InfiniteData<Page<Member>>>(qk.members(ctx.companyId));
  return members?.pages.flatMap((p) => p.items).find((m) => m.userId === userId)?.name ?? null;
}

export async function openSale(ctx: TillContext, body: NewSale, lines: LineSnapshot[]): Promise<Sale> {
  const key = uuid();
  const direct = await directOrQueue(false, () => request<Sale>('POST', salesPath(ctx.companyId), { body, idempotencyKey: key }));
  if ('answer' in direct) return direct.answer;
  const floor = ctx.queryClient.getQueryData<{ tables: FloorTable[] }>(qk.floor(ctx.companyId));
  const tableLabel = body.tableId ? (floor?.tables.find((t) => t.id === body.tableId)?.label ?? null) : null;
  const op: QueuedOp = {
    ...common(ctx, key, direct.attempted),
    kind: 'open_sale',
    saleId: `${LOCAL_PREFIX}${uuid()}`,
    reference: nextLocalReference(),
    body,
    lines,
    tableLabel,
    serverName: body.serverId === ctx.userId ? ctx.userName : memberName(ctx, body.serverId),
  };
  await enqueue(op);
  kick(ctx);
  return projected(ctx, op.saleId);
}

export async function addItem(ctx: TillContext, sale: Sale, body: ItemInput, line: LineSnapshot): Promise<Sale> {
  const key = uuid();
  const { saleId, mustQueue } = targetOf(ctx.companyId, sale);
  const direct = await directOrQueue(mustQueue, () =>
    request<Sale>('POST', `${salesPath(ctx.companyId)}/${enc(saleId)}/items`, { body, idempotencyKey: key }),
  );
  if ('answer' in direct) return direct.answer;
  await enqueue({ ...common(ctx, key, direct.attempted), kind: 'add_items', saleId, body, lines: [line], base: serverCopy(ctx, saleId, sale) });
  kick(ctx);
  return projected(ctx, saleId, sale);
}

export type PaymentAnswer = { sale: Sale; payment: Payment; change: number };

export async function pay(ctx: TillContext, sale: Sale, body: PaymentInput): Promise<PaymentAnswer> {
  const key = uuid();
  const { saleId, mustQueue } = targetOf(ctx.companyId, sale);
  const direct = await directOrQueue(mustQueue, () =>
    request<PaymentAnswer>('POST', `${salesPath(ctx.companyId)}/${enc(saleId)}/payments`, { body, idempotencyKey: key }),
  );
  if ('answer' in direct) return direct.answer;
  // Mobile money is not recorded offline (its confirmation comes from the provider),
  // unless the request already left: then only its replay (same key) can tell.
  if (body.method === 'mobile_money' && !direct.attempted) throw new ApiError({ status: 0, code: 'network' });
  const op: QueuedOp = { ...common(ctx, key, direct.attempted), kind: 'payment', saleId, body, base: serverCopy(ctx, saleId, sale) };
  await enqueue(op);
  kick(ctx);
  const next = projected(ctx, saleId, sale);
  const payment = next.payments.find((p) => p.id === op.id)!;
  return { sale: next, payment, change: payment.change ?? 0 };
}

/** "Changer de table": the sale moves to a free table, its old one freed. */
export async function transferSale(ctx: TillContext, sale: Sale, tableId: string): Promise<Sale> {
  const key = uuid();
  const body = { tableId };
  const { saleId, mustQueue } = targetOf(ctx.companyId, sale);
  const direct = await directOrQueue(mustQueue, () =>
    request<Sale>('POST', `${salesPath(ctx.companyId)}/${enc(saleId)}/transfer`, { body, idempotencyKey: key }),
  );
  if ('answer' in direct) return direct.answer;
  const floor = ctx.queryClient.getQueryData<{ tables: FloorTable[] }>(qk.floor(ctx.companyId));
  const tableLabel = floor?.tables.find((t) => t.id === tableId)?.label ?? null;
  await enqueue({ ...common(ctx, key, direct.attempted), kind: 'transfer', saleId, body, tableLabel, base: serverCopy(ctx, saleId, sale) });
  kick(ctx);
  return projected(ctx, saleId, sale);
}

/** "Annuler la vente" (the server refuses it once the sale has payments: À corriger). */
export async function cancelSale(ctx: TillContext, sale: Sale, reason: string): Promise<Sale> {
  const key = uuid();
  const body = { reason };
  const { saleId, mustQueue } = targetOf(ctx.companyId, sale);
  const direct = await directOrQueue(mustQueue, () =>
    request<Sale>('POST', `${salesPath(ctx.companyId)}/${enc(saleId)}/cancel`, { body, idempotencyKey: key }),
  );
  if ('answer' in direct) return direct.answer;
  // The server's rule, known here already: a sale with payments is not cancelled.
  const before = projected(ctx, saleId, sale);
  if (!direct.attempted && before.paid > 0) throw new ApiError({ status: 409, code: 'sale.has_payments', params: { paid: before.paid } });
  await enqueue({ ...common(ctx, key, direct.attempted), kind: 'cancel', saleId, body, base: serverCopy(ctx, saleId, sale) });
  kick(ctx);
  return projected(ctx, saleId, sale);
}
