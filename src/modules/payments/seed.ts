import { randomBytes, randomUUID } from 'node:crypto';
import { inTransaction } from '../../platform/db/tx.ts';
import type { DemoSeeder } from '../../platform/seed.ts';
import { identifyClient } from './clients.ts';

/** Demo payments: a standing counter QR code and two returning clients. */
export const seedPayments: DemoSeeder = async (deps, demo) => {
  await inTransaction(deps.db, { kind: 'company', companyId: demo.companyId }, async (tx) => {
    const ctx = { companyId: demo.companyId, actor: { type: 'system' as const, id: 'seed' }, clock: deps.clock, tx };
    await tx.client.query('INSERT INTO payment_counters (company_id, id, name, code, created_at) VALUES ($1, $2, $3, $4, $5)', [
      demo.companyId,
      randomUUID(),
      'Comptoir principal',
      randomBytes(12).toString('base64url'),
      deps.clock.now(),
    ]);
    await identifyClient(ctx, { name: 'Fatou Diallo', phone: '+225 07 00 00 01', email: 'fatou.diallo@example.com' });
    await identifyClient(ctx, { name: 'Koffi Mensah', phone: '+225 05 11 22 33' });
  });
};
