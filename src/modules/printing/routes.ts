import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../platform/context.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { notFound } from '../../platform/errors.ts';
import { contextOf, type HttpDeps, runQuery } from '../../platform/http/command.ts';
import { perIpLimit } from '../../platform/http/ip-window.ts';
import { type Lang, receiptBlocks, receiptTitle, reportBlocks } from './documents.ts';
import { saleOfPayToken, saleOfToken } from './links.ts';
import { type PaperFormat, renderPdf } from './pdf.ts';
import { type PrintedReceipt, printedReceipt } from './receipt.ts';
import { printedReport } from './report.ts';

export interface PrintingDeps extends HttpDeps {
  publicUrl: string;
  config: { rateLimitPerMinute: number };
}

const params = z.object({ companyId: z.uuid() });
const pdfQuery = z.object({ format: z.enum(['80mm', 'a4']).default('80mm'), lang: z.enum(['fr', 'en']).default('fr') });
const token = z.string().min(20).max(64).regex(/^[\w-]+$/);

/** Sends a PDF to show in the browser (its download name given); never cached (an open sale changes). */
function sendPdf(reply: FastifyReply, pdf: Buffer, filename: string) {
  return reply
    .type('application/pdf')
    .header('cache-control', 'private, no-store')
    .header('content-disposition', `inline; filename="${filename.replace(/[^\w.-]/g, '_')}"`)
    .send(pdf);
}

async function receiptPdf(reply: FastifyReply, r: PrintedReceipt, q: { format: PaperFormat; lang: Lang }) {
  const pdf = await renderPdf(receiptBlocks(r, q.lang), q.format, { title: `${receiptTitle(r, q.lang)} ${r.reference}` });
  return sendPdf(reply, pdf, `${q.lang === 'en' ? 'receipt' : 'recu'}-${r.reference}.pdf`);
}

/**
 * Printed receipts and register reports: the staff's (a sale, a QR payment session,
 * an X/Z report) and the client's (the QR code on a receipt leads to its online copy).
 */
export function printingRoutes(app: FastifyInstance, deps: PrintingDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/companies/:companyId';
  const tags = ['printing'];

  r.get(`${base}/sales/:saleId/receipt`, {
    config: { permission: 'sales.run' },
    schema: { tags, summary: 'What the printed receipt of a sale says (a bill while open), with its online link', params: params.extend({ saleId: z.uuid() }) },
  }, async (req) => runQuery(req, deps, (ctx) => printedReceipt(ctx, deps.publicUrl, req.params.saleId)));

  r.get(`${base}/sales/:saleId/receipt.pdf`, {
    config: { permission: 'sales.run' },
    schema: { tags, summary: 'The receipt of a sale as a PDF: an 80 mm roll (default) or A4', params: params.extend({ saleId: z.uuid() }), querystring: pdfQuery },
  }, async (req, reply) => receiptPdf(reply, await runQuery(req, deps, (ctx) => printedReceipt(ctx, deps.publicUrl, req.params.saleId)), req.query));

  r.get(`${base}/payment-sessions/:id/receipt.pdf`, {
    config: { permission: 'payments.run' },
    schema: { tags, summary: 'The receipt of a paid QR payment session as a PDF', params: params.extend({ id: z.uuid() }), querystring: pdfQuery },
  }, async (req, reply) => {
    const receipt = await runQuery(req, deps, async (ctx) => {
      const { rows } = await ctx.tx.client.query('SELECT status, sale_id FROM payment_sessions WHERE company_id = $1 AND id = $2', [ctx.companyId, req.params.id]);
      if (!rows[0]) throw notFound('payment_session.not_found');
      if (rows[0].status !== 'paid' || !rows[0].sale_id) throw notFound('receipt.not_found');
      return printedReceipt(ctx, deps.publicUrl, rows[0].sale_id);
    });
    return receiptPdf(reply, receipt, req.query);
  });

  r.get(`${base}/cash-sessions/:sessionId/report/printed`, {
    config: { permission: 'cash_sessions.run' },
    schema: { tags, summary: 'What the printed X (open) or Z (closed) report says, dates on the company clock', params: params.extend({ sessionId: z.uuid() }) },
  }, async (req) => runQuery(req, deps, (ctx) => printedReport(ctx, req.params.sessionId)));

  r.get(`${base}/cash-sessions/:sessionId/report.pdf`, {
    config: { permission: 'cash_sessions.run' },
    schema: { tags, summary: 'The X (open) or Z (closed) report of a register session as a PDF', params: params.extend({ sessionId: z.uuid() }), querystring: pdfQuery },
  }, async (req, reply) => {
    const report = await runQuery(req, deps, (ctx) => printedReport(ctx, req.params.sessionId));
    const name = `rapport-${report.report.kind}-${report.report.session.register}-${report.openedAtLocal.slice(0, 10).split('/').reverse().join('-')}`;
    const pdf = await renderPdf(reportBlocks(report, req.query.lang), req.query.format, { title: `${report.report.kind} ${report.report.session.register}` });
    return sendPdf(reply, pdf, `${name}.pdf`);
  });

  // The client's side: no account, the token in the link is the key (rate limited like the pay pages).
  const ipLimit = deps.config.rateLimitPerMinute > 0 ? perIpLimit(deps.config.rateLimitPerMinute) : null;
  const perIp = ipLimit ? { onRequest: [ipLimit] } : {};
  const perToken = (prefix: string) => ({
    public: true,
    rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `${prefix}:${(req.params as { token: string }).token}` },
  });
  const asClient = <T>(req: FastifyRequest, companyId: string, fn: (ctx: Ctx) => Promise<T>) => {
    req.errorCompanyId = companyId;
    return inTransaction(deps.db, { kind: 'company', companyId }, (tx) => fn({ ...contextOf(req, deps, tx, companyId), actor: { type: 'client' } }));
  };
  const byLink = async (req: FastifyRequest, t: string) => {
    const found = await saleOfToken(deps.db, t);
    if (!found) throw notFound('receipt.link_not_found');
    return asClient(req, found.companyId, (ctx) => printedReceipt(ctx, deps.publicUrl, found.saleId));
  };
  const publicTags = ['public receipts'];
  const tokenParams = z.object({ token });

  r.get('/api/v1/public/receipts/:token', {
    config: perToken('receipt'),
    ...perIp,
    schema: { tags: publicTags, summary: 'A receipt from the QR code printed on it', params: tokenParams },
  }, async (req) => byLink(req, req.params.token));

  r.get('/api/v1/public/receipts/:token.pdf', {
    config: perToken('receipt'),
    ...perIp,
    schema: { tags: publicTags, summary: 'That receipt as a PDF', params: tokenParams, querystring: pdfQuery },
  }, async (req, reply) => receiptPdf(reply, await byLink(req, req.params.token), req.query));

  r.get('/api/v1/public/pay/:token/receipt.pdf', {
    config: perToken('pay'),
    ...perIp,
    schema: { tags: ['public pay'], summary: 'The receipt of a paid QR payment as a PDF', params: tokenParams, querystring: pdfQuery },
  }, async (req, reply) => {
    const found = await saleOfPayToken(deps.db, req.params.token);
    if (!found) throw notFound('pay.not_found');
    const { saleId } = found;
    if (!saleId) throw notFound('receipt.not_found');
    return receiptPdf(reply, await asClient(req, found.companyId, (ctx) => printedReceipt(ctx, deps.publicUrl, saleId)), req.query);
  });
}
