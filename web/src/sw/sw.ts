/**
 * Comptoir's service worker (built to /sw.js by buildPlugin.ts; registered by staff
 * pages only, never by the shop). It keeps the till usable without network:
 *  - the app shell and every built asset are precached at install (hashed names:
 *    cache first); pages of the staff app fall back to the cached index.html;
 *  - the few reads the till and the floor need (session, company, catalog, floor,
 *    members, open cash sessions) go to the network first and are answered from the
 *    last copy when it cannot be reached;
 *  - nothing else is cached: other API calls, the stream, writes, and the public
 *    shop and payment pages (beyond the assets they share) pass through untouched.
 * Writes made offline are the app's business (the IndexedDB queue), not this worker's.
 */

// The bits of the service-worker scope used here (the project's TS lib is DOM only).
type ExtendableEvent = Event & { waitUntil(p: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & { request: Request; respondWith(r: Response | Promise<Response>): void };
type WorkerScope = {
  addEventListener(type: 'install' | 'activate', l: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', l: (e: FetchEvent) => void): void;
  addEventListener(type: 'message', l: (e: MessageEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
};
declare const self: WorkerScope;

/** Filled in at build time: the built files and a hash of them. */
declare const __COMPTOIR_PRECACHE__: string[];
declare const __COMPTOIR_VERSION__: string;

const PRECACHE: string[] = __COMPTOIR_PRECACHE__;
const SHELL_CACHE = `comptoir-shell-${__COMPTOIR_VERSION__}`;
const DATA_CACHE = 'comptoir-data-v1';
const INDEX = '/index.html';

/** Reads the till needs offline (paths under /api/v1; any query string). */
const CACHED_READS: RegExp[] = [
  /^\/api\/v1\/me$/,
  /^\/api\/v1\/companies\/[^/]+$/,
  /^\/api\/v1\/companies\/[^/]+\/(floor|products|products\/categories|members|cash-sessions)$/,
];
/** Public pages: never served from the shell cache (the shop and QR pages need the network). */
const PUBLIC_PAGES = /^\/(shop|pay|r)(\/|$)/;
/**
 * Signing in or out, or another person taking a shared till (PIN switch, lock, till
 * mode on or off): the cached reads belong to the previous person.
 */
const SESSION_CHANGES = /^\/api\/v1\/(auth\/(login|logout)|companies\/[^/]+\/till(\/(switch|lock))?)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // Hashed names never change content: what the page just loaded comes from the HTTP cache, unasked.
      const hashed = (url: string) => url.startsWith('/assets/');
      await cache.addAll([
        INDEX,
        ...PRECACHE.map((url) => (hashed(url) ? new Request(url, { cache: 'force-cache' }) : url)),
      ]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('comptoir-shell-') && name !== SHELL_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'clear-data') void caches.delete(DATA_CACHE);
});

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** Network first; on a network failure, the last good copy (else the failure). */
async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    else if (response.status === 401 || response.status === 403) await cache.delete(request);
    return response;
  } catch (err) {
    const hit = await cache.match(request);
    if (hit) return hit;
    throw err;
  }
}

/** Pages: the server's index.html (fresh after a deploy), else the cached shell. */
async function page(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (err) {
    const hit = await caches.match(INDEX, { cacheName: SHELL_CACHE });
    if (hit) return hit;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== 'GET') {
    if (SESSION_CHANGES.test(url.pathname)) event.waitUntil(caches.delete(DATA_CACHE));
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    if (CACHED_READS.some((re) => re.test(url.pathname))) event.respondWith(networkFirst(request));
    return;
  }
  if (request.mode === 'navigate') {
    if (!PUBLIC_PAGES.test(url.pathname)) event.respondWith(page(request));
    return;
  }
  if (url.pathname.startsWith('/assets/') || PRECACHE.includes(url.pathname)) event.respondWith(cacheFirst(request));
});

export {};
