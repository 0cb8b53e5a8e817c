import { inTransaction } from '../../platform/db/tx.ts';
import type { DemoSeeder } from '../../platform/seed.ts';
import { createArea, createTable } from './service.ts';

/** Demo floor: a dining room with six tables, a terrace with four, a bar with two stools. */
export const seedFloor: DemoSeeder = async (deps, demo) => {
  await inTransaction(deps.db, { kind: 'company', companyId: demo.companyId }, async (tx) => {
    const ctx = { companyId: demo.companyId, actor: { type: 'system' as const, id: 'seed' }, clock: deps.clock, tx };
    const layout: Array<[string, string[], number]> = [
      ['Salle', ['1', '2', '3', '4', '5', '6'], 4],
      ['Terrasse', ['T1', 'T2', 'T3', 'T4'], 2],
      ['Bar', ['B1', 'B2'], 1],
    ];
    for (const [i, [name, labels, seats]] of layout.entries()) {
      const area = await createArea(ctx, { name, sort: i });
      for (const [j, label] of labels.entries()) {
        await createTable(ctx, { areaId: area.id, label, seats, x: 40 + (j % 3) * 140, y: 40 + Math.floor(j / 3) * 120, shape: seats > 2 ? 'square' : 'round' });
      }
    }
  });
};
