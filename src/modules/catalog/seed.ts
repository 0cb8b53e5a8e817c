import { inTransaction } from '../../platform/db/tx.ts';
import type { DemoSeeder } from '../../platform/seed.ts';
import { restock } from './ledger.ts';
import { createProduct, type ProductInput } from './products.ts';

const DEMO: Array<ProductInput & { stock?: number }> = [
  { name: 'Café touba', category: 'Boissons chaudes', price: 500, kind: 'good', sku: 'BOI-001', lowStockThreshold: 10, stock: 80 },
  { name: 'Thé à la menthe', category: 'Boissons chaudes', price: 400, kind: 'good', sku: 'BOI-002', lowStockThreshold: 10, stock: 60 },
  { name: 'Bissap (50 cl)', category: 'Boissons fraîches', price: 700, kind: 'good', sku: 'BOI-010', lowStockThreshold: 12, stock: 40 },
  { name: 'Jus de gingembre (50 cl)', category: 'Boissons fraîches', price: 700, kind: 'good', sku: 'BOI-011', lowStockThreshold: 12, stock: 8 },
  { name: 'Eau minérale (1,5 L)', category: 'Boissons fraîches', price: 600, kind: 'good', sku: 'BOI-020', lowStockThreshold: 24, stock: 120 },
  { name: 'Attiéké poisson braisé', category: 'Plats', price: 3500, kind: 'good', sku: 'PLA-001', lowStockThreshold: 5, stock: 25 },
  { name: 'Alloco (portion)', category: 'Plats', price: 1000, kind: 'good', sku: 'PLA-002', lowStockThreshold: 5, stock: 30 },
  { name: 'Pagne wax (6 yards)', category: 'Boutique', price: 15000, kind: 'good', sku: 'BOU-001', lowStockThreshold: 3, stock: 12 },
  { name: 'Savon noir artisanal', category: 'Boutique', price: 1500, kind: 'good', sku: 'BOU-002', lowStockThreshold: 5, stock: 4 },
  { name: 'Coupe homme', category: 'Salon', price: 3000, kind: 'service', durationMinutes: 30 },
  { name: 'Tresses (nattes collées)', category: 'Salon', price: 10000, kind: 'service', durationMinutes: 180 },
];

/** Demo products: drinks, dishes, shop goods (some already low) and salon services. */
export const seedCatalog: DemoSeeder = async (deps, demo) => {
  await inTransaction(deps.db, { kind: 'company', companyId: demo.companyId }, async (tx) => {
    const ctx = { companyId: demo.companyId, actor: { type: 'system' as const, id: 'seed' }, clock: deps.clock, tx };
    for (const { stock, ...p } of DEMO) {
      const product = await createProduct(ctx, p, 1800);
      if (stock) await restock(ctx, product.id, { quantity: stock, note: 'Stock initial' });
    }
  });
};
