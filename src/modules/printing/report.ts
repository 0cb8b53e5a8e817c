import type { Ctx } from '../../platform/context.ts';
import { formatLocal } from '../payments/index.ts';
import { type CashSessionReport, sessionReport } from '../sales/index.ts';
import { getCompany } from '../tenancy/index.ts';

export interface PrintedReport {
  business: { name: string; address: string | null };
  currency: string;
  timeZone: string;
  openedAtLocal: string;
  closedAtLocal: string | null;
  printedAtLocal: string;
  /** The sales module's report (`GET /cash-sessions/{id}/report`), as it is. */
  report: CashSessionReport;
}

/** The report with what its print needs: the business, and its dates on the company's clock. */
export async function printedReport(ctx: Ctx, sessionId: string): Promise<PrintedReport> {
  const report = await sessionReport(ctx, sessionId);
  const company = await getCompany(ctx);
  const tz = company.timezone;
  return {
    business: { name: company.name, address: company.settings.address ?? null },
    currency: company.currency,
    timeZone: tz,
    openedAtLocal: formatLocal(new Date(report.session.openedAt), tz),
    closedAtLocal: report.session.closedAt ? formatLocal(new Date(report.session.closedAt), tz) : null,
    printedAtLocal: formatLocal(ctx.clock.now(), tz),
    report,
  };
}
