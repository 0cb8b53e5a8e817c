import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localDate } from '../../platform/dates.ts';
import { type HttpDeps, runCommand, runQuery } from '../../platform/http/command.ts';
import { pageQuery } from '../../platform/http/pagination.ts';
import { getSale, getSaleWithEvents, listSales } from './queries.ts';
import { closeSession, getSession, listSessions, openSession } from './cash-sessions.ts';
import { mergeSales, transferSale } from './moves.ts';
import { discountItem, discountSale, removeDiscount } from './discounts.ts';
import { approveRefund, pendingRefunds, rejectRefund, requestRefund } from './refunds.ts';
import { sessionReport } from './reports.ts';
import { addItems, cancelSale, completeSale, openSale, pay, removeItem, updateSale } from './service.ts';

const params = z.object({ companyId: z.uuid() });
const saleParams = params.extend({ saleId: z.uuid() });
const item = z.object({ productId: z.uuid(), quantity: z.number().int().min(1).max(1000), note: z.string().trim().max(300).optional() });
const channel = z.enum(['counter', 'table', 'online', 'qr', 'live']);
const status = z.enum(['open', 'paid', 'cancelled', 'partially_refunded', 'refunded']);
const money = z.number().int().min(1).max(1e12);
const discount = z
  .object({
    kind: z.enum(['amount', 'percent']),
    /** Minor units for 'amount'; basis points for 'percent' (1000 = 10 %, at most 10000). */
    value: z.number().int().min(1).max(1e12),
    reason: z.string().trim().min(1).max(300),
    managerPin: z.string().max(20).optional(),
  })
  .refine((d) => d.kind !== 'percent' || d.value <= 10000, { message: 'too_big', path: ['value'] });

/** Sales at the counter and at tables: open, edit while open, pay (split), cancel. */
export function salesRoutes(app: FastifyInstance, deps: HttpDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/companies/:companyId/sales';
  const tags = ['sales'];
  const config = { permission: 'sales.run' as const };

  r.post(base, {
    config,
    schema: {
      tags,
      summary: 'Open a sale (occupies its table, holds its goods)',
      params,
      body: z.object({ tableId: z.uuid().optional(), customerName: z.string().trim().max(200).optional(), serverId: z.uuid().optional(), channel, items: z.array(item).max(200).default([]) }),
    },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => ({ status: 201, body: await getSale(ctx, await openSale(ctx, req.body)) })),
  );

  r.get(base, {
    config,
    schema: {
      tags,
      summary: 'Sales, newest first (from/to: inclusive local dates)',
      params,
      querystring: pageQuery.extend({ status: status.optional(), from: localDate.optional(), to: localDate.optional(), tableId: z.uuid().optional(), serverId: z.uuid().optional(), channel: channel.optional() }),
    },
  }, async (req) => runQuery(req, deps, (ctx) => listSales(ctx, req.query)));

  r.get(`${base}/:saleId`, { config, schema: { tags, summary: 'A sale with items, payments, refunds, tax breakdown and its events', params: saleParams } }, async (req) =>
    runQuery(req, deps, (ctx) => getSaleWithEvents(ctx, req.params.saleId)),
  );

  r.patch(`${base}/:saleId`, {
    config,
    schema: { tags, summary: 'Change customer or server (open sales)', params: saleParams, body: z.object({ customerName: z.string().trim().max(200).nullable().optional(), serverId: z.uuid().nullable().optional() }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await updateSale(ctx, req.params.saleId, req.body);
      return { status: 200, body: await getSale(ctx, req.params.saleId) };
    }),
  );

  r.post(`${base}/:saleId/items`, {
    config,
    schema: { tags, summary: 'Add items (goods are held)', params: saleParams, body: z.union([item, z.object({ items: z.array(item).min(1).max(200) })]) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await addItems(ctx, req.params.saleId, 'items' in req.body ? req.body.items : [req.body]);
      return { status: 200, body: await getSale(ctx, req.params.saleId) };
    }),
  );

  r.delete(`${base}/:saleId/items/:itemId`, {
    config,
    schema: { tags, summary: 'Remove a line (its stock is released)', params: saleParams.extend({ itemId: z.uuid() }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await removeItem(ctx, req.params.saleId, req.params.itemId);
      return { status: 200, body: await getSale(ctx, req.params.saleId) };
    }),
  );

  const discountSummary = 'Above the company limit (discountApprovalPercent of the line or sale) a manager approves: their own action, or managerPin (403 discount.approval_required / discount.approval_refused)';
  r.post(`${base}/:saleId/items/:itemId/discount`, {
    config,
    schema: { tags, summary: 'Discount a line: an amount or a percentage (basis points), with a reason', description: discountSummary, params: saleParams.extend({ itemId: z.uuid() }), body: discount },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await discountItem(ctx, req.params.saleId, req.params.itemId, req.body);
      return { status: 200, body: await getSale(ctx, req.params.saleId) };
    }),
  );
  r.delete(`${base}/:saleId/items/:itemId/discount`, {
    config,
    schema: { tags, summary: "Remove a line's discount", params: saleParams.extend({ itemId: z.uuid() }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await removeDiscount(ctx, req.params.saleId, req.params.itemId);
      return { status: 200, body: await getSale(ctx, req.params.saleId) };
    }),
  );
  r.post(`${base}/:saleId/discount`, {
    config,
    schema: { tags, summary: 'Discount the whole sale (spread over its lines for the taxes)', description: discountSummary, params: saleParams, body: discount },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await discountSale(ctx, req.params.saleId, req.body);
      return { status: 200, body: await getSale(ctx, req.params.saleId) };
    }),
  );
  r.delete(`${base}/:saleId/discount`, {
    config,
    schema: { tags, summary: "Remove the sale's discount", params: saleParams },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await removeDiscount(ctx, req.params.saleId);
      return { status: 200, body: await getSale(ctx, req.params.saleId) };
    }),
  );
  r.post(`${base}/:saleId/complete`, {
    config,
    schema: { tags, summary: 'Close an open sale with nothing left to pay (discounted down to what was paid, or offered)', params: saleParams },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await completeSale(ctx, req.params.saleId);
      return { status: 200, body: await getSale(ctx, req.params.saleId) };
    }),
  );

  r.post(`${base}/:saleId/payments`, {
    config,
    schema: {
      tags,
      summary: 'Take a payment (several split a bill; the last one pays the sale and frees its table)',
      params: saleParams,
      body: z.object({
        method: z.enum(['cash', 'card', 'mobile_money']),
        amount: money,
        tendered: money.optional(),
        reference: z.string().trim().min(1).max(100).optional(),
        cashSessionId: z.uuid().optional(),
        /** On top of the amount, outside the total and revenue (cash: tendered covers amount + tip). */
        tip: z.number().int().min(0).max(1e12).optional(),
      }),
    },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      const { paymentId, change } = await pay(ctx, req.params.saleId, req.body);
      const sale = await getSale(ctx, req.params.saleId);
      return { status: 201, body: { sale, payment: sale.payments.find((p) => p.id === paymentId), change } };
    }),
  );

  r.post(`${base}/:saleId/transfer`, {
    config,
    schema: { tags, summary: 'Move an open sale to a free table', params: saleParams, body: z.object({ tableId: z.uuid() }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await transferSale(ctx, req.params.saleId, req.body.tableId);
      return { status: 200, body: await getSale(ctx, req.params.saleId) };
    }),
  );

  r.post(`${base}/:saleId/merge`, {
    config,
    schema: { tags, summary: 'Merge this open sale into another (its lines, stock and table follow)', params: saleParams, body: z.object({ targetSaleId: z.uuid() }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await mergeSales(ctx, req.params.saleId, req.body.targetSaleId);
      return { status: 200, body: await getSale(ctx, req.body.targetSaleId) };
    }),
  );

  r.post(`${base}/:saleId/cancel`, {
    config,
    schema: { tags, summary: 'Cancel an open sale without payments (reason needed once it has items)', params: saleParams, body: z.object({ reason: z.string().trim().max(300).optional() }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      await cancelSale(ctx, req.params.saleId, req.body.reason);
      return { status: 200, body: await getSale(ctx, req.params.saleId) };
    }),
  );

  r.post(`${base}/:saleId/refunds`, {
    config: { permission: 'refunds.request' },
    schema: {
      tags: ['refunds'],
      summary: 'Request a refund of an amount or of items (pending until a manager approves)',
      params: saleParams,
      body: z
        .object({
          amount: money.optional(),
          items: z.array(z.object({ itemId: z.uuid(), quantity: z.number().int().min(1).max(1000) })).min(1).max(200).optional(),
          reason: z.string().trim().min(1).max(300),
          restock: z.boolean().default(false),
        })
        .refine((b) => (b.amount === undefined) !== (b.items === undefined), { message: 'amount_or_items', path: ['amount'] }),
    },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => ({ status: 201, body: await requestRefund(ctx, req.params.saleId, req.body) })),
  );

  const refundBase = '/api/v1/companies/:companyId/refunds';
  r.get(refundBase, {
    config: { permission: 'refunds.approve' },
    schema: { tags: ['refunds'], summary: 'Refunds waiting for approval', params },
  }, async (req) => runQuery(req, deps, async (ctx) => ({ items: await pendingRefunds(ctx), nextCursor: null })));

  r.post(`${refundBase}/:refundId/approve`, {
    config: { permission: 'refunds.approve' },
    schema: {
      tags: ['refunds'],
      summary: 'Approve: restock if asked, record against the payment method (cash: out of a register session)',
      params: params.extend({ refundId: z.uuid() }),
      body: z.object({ cashSessionId: z.uuid().optional() }).optional(),
    },
  }, async (req, reply) => runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await approveRefund(ctx, req.params.refundId, req.body ?? {}) })));
  r.post(`${refundBase}/:refundId/reject`, {
    config: { permission: 'refunds.approve' },
    schema: { tags: ['refunds'], summary: 'Reject a refund request', params: params.extend({ refundId: z.uuid() }) },
  }, async (req, reply) => runCommand(req, reply, deps, async (ctx) => ({ status: 200, body: await rejectRefund(ctx, req.params.refundId) })));

  const cash = '/api/v1/companies/:companyId/cash-sessions';
  const cashConfig = { permission: 'cash_sessions.run' as const };
  r.post(cash, {
    config: cashConfig,
    schema: { tags: ['cash'], summary: 'Open a cash-register session (one open per register)', params, body: z.object({ register: z.string().trim().min(1).max(60), openingFloat: z.number().int().min(0).max(1e12) }) },
  }, async (req, reply) => runCommand(req, reply, deps, async (ctx) => ({ status: 201, body: await openSession(ctx, req.body) })));
  r.get(cash, {
    config: cashConfig,
    schema: { tags: ['cash'], summary: 'Cash-register sessions, newest first', params, querystring: pageQuery.extend({ status: z.enum(['open', 'closed']).optional() }) },
  }, async (req) => runQuery(req, deps, (ctx) => listSessions(ctx, req.query)));
  r.get(`${cash}/:sessionId`, {
    config: cashConfig,
    schema: { tags: ['cash'], summary: 'A session with its expected cash', params: params.extend({ sessionId: z.uuid() }) },
  }, async (req) => runQuery(req, deps, (ctx) => getSession(ctx, req.params.sessionId)));
  r.get(`${cash}/:sessionId/report`, {
    config: cashConfig,
    schema: { tags: ['cash'], summary: 'The X report (open session) or Z report (closed): sales by method, refunds, discounts, tips, taxes, cash', params: params.extend({ sessionId: z.uuid() }) },
  }, async (req) => runQuery(req, deps, (ctx) => sessionReport(ctx, req.params.sessionId)));
  r.post(`${cash}/:sessionId/close`, {
    config: cashConfig,
    schema: { tags: ['cash'], summary: 'Close with the counted cash (difference recorded); answers the session and its Z report', params: params.extend({ sessionId: z.uuid() }), body: z.object({ countedCash: z.number().int().min(0).max(1e12) }) },
  }, async (req, reply) =>
    runCommand(req, reply, deps, async (ctx) => {
      const session = await closeSession(ctx, req.params.sessionId, req.body.countedCash);
      return { status: 200, body: { ...session, report: await sessionReport(ctx, req.params.sessionId) } };
    }),
  );
}
