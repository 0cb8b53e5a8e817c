import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';

/**
 * A per-IP fixed-window limit as a route hook, for routes that already carry another
 * limiter (@fastify/rate-limit gives a route one; its second-limiter hook rewrites the
 * global one's options). In memory, per instance, like the global limiter.
 */
export function perIpLimit(max: number, windowMs = 60_000) {
  const windows = new Map<string, { start: number; count: number }>();
  return async (req: FastifyRequest) => {
    const now = Date.now();
    let w = windows.get(req.ip);
    if (!w || now - w.start >= windowMs) {
      if (windows.size > 50_000) windows.clear();
      w = { start: now, count: 0 };
      windows.set(req.ip, w);
    }
    w.count++;
    if (w.count > max) {
      throw new DomainError('rate_limited', 429, { retryAfterSeconds: Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) });
    }
  };
}
