import type { Clock } from './clock.ts';
import type { Database } from './db/tx.ts';

export interface SeedDeps {
  db: Database;
  clock: Clock;
  log: (message: string) => void;
}

/** A capability's part of the demo data; it receives the demo company created by tenancy. */
export type DemoSeeder = (deps: SeedDeps, demo: { companyId: string; userIds: Record<string, string> }) => Promise<void>;

const seeders: Array<{ name: string; run: DemoSeeder }> = [];

/** Capabilities add their demo data (tables, stock, services…) from their index.ts. */
export function defineDemoSeed(name: string, run: DemoSeeder): void {
  if (!seeders.some((s) => s.name === name)) seeders.push({ name, run });
}

export function demoSeeders(): ReadonlyArray<{ name: string; run: DemoSeeder }> {
  return seeders;
}
