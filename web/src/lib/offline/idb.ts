/**
 * A minimal IndexedDB wrapper for the offline queue (no dependency): one database,
 * two stores, promises over requests and transactions. Falls back to nothing: the
 * caller keeps an in-memory copy and says so when the device cannot store.
 */
const DB_NAME = 'comptoir-offline';
const DB_VERSION = 1;
export const OPS = 'ops';
export const IDS = 'ids';
type StoreName = typeof OPS | typeof IDS;

let opening: Promise<IDBDatabase> | null = null;

export function openDb(): Promise<IDBDatabase> {
  if (opening) return opening;
  opening = new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('indexedDB unavailable'));
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      // Operations in the order they were recorded (the key generator is the order).
      if (!db.objectStoreNames.contains(OPS)) db.createObjectStore(OPS, { keyPath: 'seq', autoIncrement: true });
      // Temporary sale ids (opened offline) and the real ids the server gave them.
      if (!db.objectStoreNames.contains(IDS)) db.createObjectStore(IDS, { keyPath: 'tempId' });
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab upgrading: let it, reopen next time.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    req.onerror = () => reject(req.error ?? new Error('indexedDB open failed'));
    req.onblocked = () => reject(new Error('indexedDB blocked'));
  });
  opening.catch(() => {
    opening = null;
  });
  return opening;
}

export function done(req: IDBRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Runs `work` in one transaction over `stores`; resolves with its result once committed. */
export async function inTx<T>(stores: StoreName[], mode: IDBTransactionMode, work: (tx: IDBTransaction) => T | Promise<T>): Promise<T> {
  const db = await openDb();
  const tx = db.transaction(stores, mode);
  const committed = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
  });
  const result = await work(tx);
  await committed;
  return result;
}

export async function getAll<T>(store: StoreName): Promise<T[]> {
  return inTx([store], 'readonly', (tx) => done(tx.objectStore(store).getAll()) as Promise<T[]>);
}
