import UAParser from 'ua-parser-js';

export interface ParsedAgent {
  device: { type: string | null; vendor: string | null; model: string | null };
  browser: { name: string | null; version: string | null };
  os: { name: string | null; version: string | null };
}

const cache = new Map<string, ParsedAgent>();
const CACHE_SIZE = 500;

/** Device, browser and OS from a user agent (ua-parser-js 1.x, MIT); the same few agents repeat, so they are cached. */
export function parseAgent(ua: string | null | undefined): ParsedAgent {
  if (!ua) return { device: { type: null, vendor: null, model: null }, browser: { name: null, version: null }, os: { name: null, version: null } };
  const hit = cache.get(ua);
  if (hit) return hit;
  const r = new UAParser(ua).getResult();
  const parsed: ParsedAgent = {
    device: { type: r.device.type ?? null, vendor: r.device.vendor ?? null, model: r.device.model ?? null },
    browser: { name: r.browser.name ?? null, version: r.browser.version ?? null },
    os: { name: r.os.name ?? null, version: r.os.version ?? null },
  };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(ua, parsed);
  return parsed;
}
