import type { Ctx } from '../../platform/context.ts';
import { type CashSession, getSession } from './cash-sessions.ts';
import { salesByIds } from './queries.ts';
import type { PaymentMethod } from './rules.ts';

/**
 * A register session's report: X while it is open (figures so far), Z once closed.
 *
 * - salesByMethod: what the session's payments took, per method (tips excluded);
 * - salesCount, discounts, taxes: the sales completed in this session (their last
 *   payment is in it), with their discounts and their tax breakdown summed per rate;
 * - refunds: approved refunds recorded on the session;
 * - tips: every tip on the session's payments, per server (cash tips are in expectedCash);
 * - openingFloat, expectedCash, countedCash, difference: the drawer.
 */
export interface CashSessionReport {
  kind: 'X' | 'Z';
  session: CashSession;
  salesCount: number;
  salesByMethod: Record<PaymentMethod, number>;
  refunds: { count: number; amount: number };
  discounts: { count: number; amount: number };
  tips: { total: number; byServer: Array<{ userId: string | null; name: string | null; amount: number }> };
  taxes: Array<{ rate: number; ht: number; tva: number; ttc: number }>;
  openingFloat: number;
  expectedCash: number;
  countedCash: number | null;
  difference: number | null;
}

export async function sessionReport(ctx: Ctx, id: string): Promise<CashSessionReport> {
  const session = await getSession(ctx, id);
  const q = ctx.tx.client;
  const [{ rows: methods }, { rows: tips }, { rows: refunds }, { rows: completed }] = [
    await q.query(
      `SELECT method, sum(amount)::bigint AS amount FROM payments WHERE company_id = $1 AND cash_session_id = $2 AND status = 'succeeded' GROUP BY method`,
      [ctx.companyId, id],
    ),
    await q.query(
      `SELECT p.server_id, u.name, sum(p.tip)::bigint AS amount FROM payments p LEFT JOIN users u ON u.id = p.server_id
       WHERE p.company_id = $1 AND p.cash_session_id = $2 AND p.status = 'succeeded' AND p.tip > 0
       GROUP BY p.server_id, u.name ORDER BY u.name NULLS LAST, p.server_id`,
      [ctx.companyId, id],
    ),
    await q.query(
      `SELECT count(*)::int AS n, coalesce(sum(amount), 0)::bigint AS amount FROM refunds WHERE company_id = $1 AND cash_session_id = $2 AND status = 'approved'`,
      [ctx.companyId, id],
    ),
    // A sale belongs to the session where it was completed: where its last payment went.
    await q.query(
      `SELECT s.id FROM sales s
       WHERE s.company_id = $1 AND s.status IN ('paid', 'partially_refunded', 'refunded')
         AND s.id IN (SELECT sale_id FROM payments WHERE company_id = $1 AND cash_session_id = $2 AND status = 'succeeded')
         AND (SELECT p.cash_session_id FROM payments p WHERE p.company_id = s.company_id AND p.sale_id = s.id AND p.status = 'succeeded'
              ORDER BY p.created_at DESC, p.id DESC LIMIT 1) = $2
       ORDER BY s.number`,
      [ctx.companyId, id],
    ),
  ];
  const sales = await salesByIds(ctx, completed.map((r) => r.id as string));
  const byRate = new Map<number, { rate: number; ht: number; tva: number; ttc: number }>();
  let discountCount = 0;
  let discountAmount = 0;
  for (const sale of sales) {
    for (const r of sale.totals.byRate) {
      const t = byRate.get(r.rate) ?? { rate: r.rate, ht: 0, tva: 0, ttc: 0 };
      t.ht += r.ht;
      t.tva += r.tva;
      t.ttc += r.ttc;
      byRate.set(r.rate, t);
    }
    discountCount += sale.items.filter((i) => i.discount && i.discount.amount > 0).length + (sale.discount && sale.discount.amount > 0 ? 1 : 0);
    discountAmount += sale.discountTotal;
  }
  const salesByMethod: Record<PaymentMethod, number> = { cash: 0, card: 0, mobile_money: 0 };
  for (const m of methods) salesByMethod[m.method as PaymentMethod] = Number(m.amount);
  const byServer = tips.map((t) => ({ userId: (t.server_id as string | null) ?? null, name: (t.name as string | null) ?? null, amount: Number(t.amount) }));
  return {
    kind: session.status === 'closed' ? 'Z' : 'X',
    session,
    salesCount: sales.length,
    salesByMethod,
    refunds: { count: refunds[0].n, amount: Number(refunds[0].amount) },
    discounts: { count: discountCount, amount: discountAmount },
    tips: { total: byServer.reduce((a, t) => a + t.amount, 0), byServer },
    taxes: [...byRate.values()].sort((a, b) => a.rate - b.rate),
    openingFloat: session.openingFloat,
    expectedCash: session.expectedCash,
    countedCash: session.countedCash,
    difference: session.difference,
  };
}
