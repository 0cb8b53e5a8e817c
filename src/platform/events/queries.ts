import type { Tx } from '../db/tx.ts';
import type { Subjects } from './event-map.ts';

export interface EventSummary {
  position: number;
  type: string;
  level: string;
  at: string;
  actor: { type: string; id: string | null };
  data: Record<string, unknown>;
}

/** The events about one subject (a sale, say), in log order. Never ip or user agent. */
export async function eventsAbout(tx: Pick<Tx, 'client'>, companyId: string, key: keyof Subjects, id: string, limit = 200): Promise<EventSummary[]> {
  // The key is a literal (checked), so an expression index such as events_sale serves it.
  if (!/^[a-zA-Z]+$/.test(key)) throw new Error(`not a subject key: ${key}`);
  const { rows } = await tx.client.query(
    `SELECT position, type, level, created_at, actor_type, actor_id, data FROM events
     WHERE company_id = $1 AND subjects ? '${key}' AND subjects->>'${key}' = $2 ORDER BY position LIMIT $3`,
    [companyId, id, limit],
  );
  return rows.map((r) => ({
    position: Number(r.position),
    type: r.type,
    level: r.level,
    at: r.created_at.toISOString(),
    actor: { type: r.actor_type, id: r.actor_id },
    data: r.data,
  }));
}
