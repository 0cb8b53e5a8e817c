import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../src/platform/db/tx.ts';
import { append } from '../src/platform/events/append.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff } from './support/factories.ts';

let app: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  app = await startTestApp(db.url);
});
afterAll(async () => {
  await app?.stop();
  await drop();
});

describe('marking read under concurrency', () => {
  it('many parallel reads, read-alls and events leave one read time and an exact count', async () => {
    const s = await companyWithStaff(app.app);
    const companyId = s.company.id;
    const base = `/api/v1/companies/${companyId}/notifications`;
    // 30 broadcasts committed in parallel: each manager gets exactly 30.
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        inTransaction(app.db, { kind: 'company', companyId }, async (tx) => {
          append({ companyId, actor: { type: 'system' }, clock: app.clock, tx }, 'table_freed', { tableId: randomUUID(), label: String(i) });
        }),
      ),
    );
    const manager = s.members.manager.client;
    expect((await manager.get(`${base}/count`)).body.unread).toBe(30);
    const { items } = (await manager.get(`${base}?limit=30`)).body;
    expect(items).toHaveLength(30);

    // The same notification read 20 times at once keeps its first read time.
    const target = items[0].id as string;
    const reads = await Promise.all(Array.from({ length: 20 }, () => manager.post(`${base}/${target}/read`)));
    expect(reads.every((r) => r.status === 200)).toBe(true);
    expect(new Set(reads.map((r) => r.body.readAt)).size).toBe(1);

    // Reads of the others racing two read-alls: everything read once, count 0, owner untouched.
    const rest = items.slice(1).map((n: { id: string }) => manager.post(`${base}/${n.id}/read`));
    const all = [manager.post(`${base}/read-all`, {}), manager.post(`${base}/read-all`, {})];
    const results = await Promise.all([...rest, ...all]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect((await manager.get(`${base}/count`)).body).toEqual({ unread: 0, byPriority: { low: 0, medium: 0, high: 0, urgent: 0 } });
    expect((await s.owner.client.get(`${base}/count`)).body.unread).toBe(30);
    const { rows } = await app.db.pool.query(
      `SELECT count(*)::int AS n, count(read_at)::int AS read FROM notification_recipients WHERE company_id = $1 AND user_id = $2`,
      [companyId, s.members.manager.userId],
    );
    expect(rows[0]).toEqual({ n: 30, read: 30 });
  });
});
