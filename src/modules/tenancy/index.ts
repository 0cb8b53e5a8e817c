import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/tx.ts';
import type { AuthResolver } from '../../platform/http/auth.ts';
import { membershipRole, resolveSession, resolveToken } from './accounts.ts';
import { authRoutes } from './auth-routes.ts';
import { companyRoutes } from './company-routes.ts';
import type { TenancyDeps } from './deps.ts';
import { resolveTill } from './till.ts';
import { tillRoutes } from './till-routes.ts';

// The tenancy module's door: what other modules and the app may use.
export { getCompany } from './companies.ts';
export type { Company } from './companies.ts';
export { resolveSettings, CURRENCIES, type CompanySettings } from './rules.ts';
export { DEMO_COMPANY, DEMO_PASSWORD, DEMO_USERS, seedDemo } from './seed.ts';
export { createUser, hashPassword } from './accounts.ts';
export { MAX_PIN_FAILURES, managerByPin, PIN_PATTERN, type PinHolder, pinAttempt, setPin, whosePin } from './pins.ts';

export function tenancyAuthResolver(db: Database, clock: Clock): AuthResolver {
  return {
    session: (raw) => resolveSession(db, clock, raw),
    token: (raw) => resolveToken(db, clock, raw),
    membershipRole: (companyId, userId) => membershipRole(db, companyId, userId),
    companyIdByRef: async (externalRef) => {
      const { rows } = await db.pool.query('SELECT id FROM companies WHERE external_ref = $1', [externalRef]);
      return (rows[0]?.id as string | undefined) ?? null;
    },
    till: (raw) => resolveTill(db, clock, raw),
  };
}

export function registerTenancy(app: FastifyInstance, deps: TenancyDeps) {
  authRoutes(app, deps);
  companyRoutes(app, deps);
  tillRoutes(app, deps);
}
