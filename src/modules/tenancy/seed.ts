import { randomUUID } from 'node:crypto';
import { actorSystem } from '../../platform/context-helpers.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import type { Role } from '../../platform/permissions.ts';
import { demoSeeders, type SeedDeps } from '../../platform/seed.ts';
import { hashPassword } from './accounts.ts';
import { createCompany } from './companies.ts';

export const DEMO_COMPANY = { name: 'Le Comptoir de Démo', slug: 'demo', currency: 'XOF', timezone: 'Africa/Abidjan' };
export const DEMO_PASSWORD = 'Demo-Comptoir-2026';
export const DEMO_USERS: Array<{ role: Role; name: string; email: string }> = [
  { role: 'owner', name: 'Awa Koné', email: 'owner@demo.comptoir.local' },
  { role: 'manager', name: 'Moussa Traoré', email: 'manager@demo.comptoir.local' },
  { role: 'cashier', name: 'Fatou Diallo', email: 'cashier@demo.comptoir.local' },
  { role: 'server', name: 'Koffi Yao', email: 'server@demo.comptoir.local' },
];

/**
 * Seeds the demo company and one user per role, then every capability's demo data.
 * Does nothing if the demo company already exists. Returns whether it seeded.
 */
export async function seedDemo(deps: SeedDeps): Promise<boolean> {
  const { rowCount } = await deps.db.pool.query('SELECT 1 FROM companies WHERE slug = $1', [DEMO_COMPANY.slug]);
  if (rowCount) return false;
  const companyId = randomUUID();
  const hash = await hashPassword(DEMO_PASSWORD);
  const userIds: Record<string, string> = {};
  await inTransaction(deps.db, { kind: 'system' }, async (tx) => {
    const now = deps.clock.now();
    for (const u of DEMO_USERS) {
      const id = randomUUID();
      userIds[u.role] = id;
      await tx.client.query(
        `INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
        [id, u.email, u.name, hash, now],
      );
    }
    const ctx = { companyId, actor: actorSystem('seed'), clock: deps.clock, tx };
    await createCompany(ctx, userIds.owner!, DEMO_COMPANY);
    for (const u of DEMO_USERS.filter((x) => x.role !== 'owner')) {
      await tx.client.query('INSERT INTO memberships (company_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)', [
        companyId,
        userIds[u.role],
        u.role,
        now,
      ]);
    }
  });
  for (const s of demoSeeders()) {
    deps.log(`seeding demo ${s.name}`);
    await s.run(deps, { companyId, userIds });
  }
  deps.log(`seeded demo company "${DEMO_COMPANY.name}"`);
  return true;
}
