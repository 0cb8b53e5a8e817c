import { z } from 'zod';
import { invalid } from '../errors.ts';

/** `?limit` (1–100, default 50) and an opaque `?cursor`, shared by every list. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A keyset cursor: the sort key values of the last row returned. */
export function encodeCursor(values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): Array<string | number> | null {
  if (!cursor) return null;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity && values.every((v) => ['string', 'number'].includes(typeof v))) {
      return values;
    }
  } catch {
    // fall through
  }
  throw invalid('cursor', 'invalid_format');
}

/** Builds a page from limit+1 fetched rows. */
export function pageOf<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => Array<string | number>): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(key(last)) : null };
}
