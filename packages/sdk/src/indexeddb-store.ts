import type { OutboxEntry, OutboxStore } from './outbox-store.js';

const STORE = 'outbox';

// The few IndexedDB shapes used here, declared locally: the repo compiles without the DOM library.
interface IDBRequest<T = unknown> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IDBOpenDBRequest extends IDBRequest<IDBDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IDBObjectStore {
  getAll(): IDBRequest<unknown[]>;
  put(value: unknown): IDBRequest;
  delete(key: string): IDBRequest;
}
interface IDBTransaction {
  objectStore(name: string): IDBObjectStore;
  error: unknown;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}
interface IDBDatabase {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string, opts: { keyPath: string }): IDBObjectStore;
  transaction(name: string, mode: 'readonly' | 'readwrite'): IDBTransaction;
}
/** The part of `window.indexedDB` the store needs. */
export interface IDBFactory {
  open(name: string, version: number): IDBOpenDBRequest;
}

function promisify<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/**
 * The browser's outbox store: one IndexedDB object store keyed by `clientMsgId`, so unsent messages survive
 * a reload or a crash of the tab. Pass `indexedDB` explicitly where it is not a global (tests, workers).
 *
 * @example
 * ```ts
 * const client = createClient({ url, auth, outboxStore: indexedDbOutboxStore({ name: `sb-outbox-${userId}` }) });
 * ```
 */
export function indexedDbOutboxStore(opts: { name?: string; indexedDB?: IDBFactory } = {}): OutboxStore {
  const factory = opts.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  const name = opts.name ?? 'switchboard-outbox';
  let db: Promise<IDBDatabase> | undefined;
  const open = () => {
    if (!factory) return Promise.reject(new Error('IndexedDB is not available here'));
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = factory.open(name, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE))
          req.result.createObjectStore(STORE, { keyPath: 'clientMsgId' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return db;
  };
  const write = async (fn: (store: IDBObjectStore) => void) => {
    const tx = (await open()).transaction(STORE, 'readwrite');
    fn(tx.objectStore(STORE));
    await done(tx);
  };
  return {
    async load() {
      const tx = (await open()).transaction(STORE, 'readonly');
      return (await promisify(tx.objectStore(STORE).getAll())) as OutboxEntry[];
    },
    put: (entry) => write((s) => s.put(entry)),
    delete: (clientMsgId) => write((s) => s.delete(clientMsgId)),
  };
}
