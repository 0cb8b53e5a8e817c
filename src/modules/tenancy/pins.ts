import { hash, verify } from '@node-rs/argon2';
import type { Ctx } from '../../platform/context.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import type { Role } from '../../platform/permissions.ts';

export const PIN_PATTERN = /^\d{4,6}$/;

/**
 * A 4–6 digit PIN has at most a million values, so no hash makes a stolen one safe to
 * keep: the defence is the lock-out after a few wrong tries. Lighter argon2id settings
 * keep a switch quick when every member's PIN is checked.
 */
const PIN_HASH = { memoryCost: 4096, timeCost: 2, parallelism: 1 };

/** Sets (or clears, with null) a member's PIN. Another member of the company may not have the same one. */
export async function setPin(ctx: Ctx, userId: string, pin: string | null): Promise<void> {
  if (pin !== null && !PIN_PATTERN.test(pin)) throw invalid('pin', 'invalid_format');
  const { rows } = await ctx.tx.client.query('SELECT user_id, pin_hash FROM memberships WHERE company_id = $1 FOR UPDATE', [ctx.companyId]);
  if (!rows.some((r) => r.user_id === userId)) throw notFound('member.not_found');
  if (pin !== null) {
    for (const r of rows) {
      if (r.user_id !== userId && r.pin_hash && (await verify(r.pin_hash, pin))) throw conflict('member.pin_taken');
    }
  }
  await ctx.tx.client.query('UPDATE memberships SET pin_hash = $3, pin_set_at = $4 WHERE company_id = $1 AND user_id = $2', [
    ctx.companyId,
    userId,
    pin === null ? null : await hash(pin, PIN_HASH),
    pin === null ? null : ctx.clock.now(),
  ]);
}

export interface PinHolder {
  userId: string;
  name: string;
  role: Role;
}

/**
 * The member whose PIN this is (PINs are unique per company), or null. Every PIN is
 * checked so the time taken does not tell which one matched.
 */
export async function whosePin(ctx: Ctx, pin: string): Promise<PinHolder | null> {
  if (!PIN_PATTERN.test(pin)) return null;
  const { rows } = await ctx.tx.client.query(
    `SELECT m.user_id, m.role, m.pin_hash, u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.company_id = $1 AND m.pin_hash IS NOT NULL`,
    [ctx.companyId],
  );
  let found: PinHolder | null = null;
  for (const r of rows) {
    if ((await verify(r.pin_hash, pin)) && !found) found = { userId: r.user_id, name: r.name, role: r.role };
  }
  return found;
}

/** A manager's (or owner's) PIN, for an approval on the spot; null if it is not one. */
export async function managerByPin(ctx: Ctx, pin: string): Promise<PinHolder | null> {
  const holder = await whosePin(ctx, pin);
  return holder && (holder.role === 'owner' || holder.role === 'manager') ? holder : null;
}
