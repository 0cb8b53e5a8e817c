import type { Clock } from './clock.ts';
import type { Tx } from './db/tx.ts';
import type { Actor } from './events/event-map.ts';
import type { Role } from './permissions.ts';

/** What every command receives first: whose data, who acts, when, from where, in which transaction. */
export interface Ctx {
  companyId: string;
  actor: Actor;
  role?: Role;
  clock: Clock;
  tx: Tx;
  requestId?: string;
  ip?: string;
  userAgent?: string;
  /** The shared till (till mode) the request comes from, if any: its PIN attempts count there. */
  tillId?: string;
}
