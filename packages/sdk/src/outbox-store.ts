/**
 * One unsent (or failed) message as the outbox keeps it. `order` is increasing in the order `send` was called,
 * so a restored outbox sends in the original order.
 */
export interface OutboxEntry {
  clientMsgId: string;
  conversationId: string;
  text: string;
  replyToId?: string;
  /** Ids of files uploaded to the conversation (`client.api.files.upload`) that this message carries. */
  attachments?: string[];
  /** Local time of the `send` call (epoch ms), shown on the optimistic message. */
  createdAt: number;
  order: number;
  /** Attempts that reached the server or timed out (a lost connection does not count). */
  attempts: number;
  state: 'sending' | 'failed';
  failReason?: string;
}

/**
 * Where the outbox survives a page reload. `createClient` uses `memoryOutboxStore()` unless given another;
 * browsers pass `indexedDbOutboxStore()`. Implementations must keep entries as given (a structured clone).
 *
 * @example
 * ```ts
 * const store = memoryOutboxStore();
 * await store.put(entry);
 * (await store.load()).length; // 1
 * ```
 */
export interface OutboxStore {
  /** Every entry, in any order (the outbox sorts by `order`). */
  load(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  delete(clientMsgId: string): Promise<void>;
}

/**
 * An in-memory store: survives a client being closed and another created on the same store (what a reload is
 * in a Node test), not a process exit.
 *
 * @example
 * ```ts
 * const store = memoryOutboxStore();
 * const first = createClient({ url, auth, outboxStore: store });
 * // … first.close(); the second client resends what the first left unsent
 * const second = createClient({ url, auth, outboxStore: store });
 * ```
 */
export function memoryOutboxStore(): OutboxStore {
  const entries = new Map<string, OutboxEntry>();
  return {
    async load() {
      return [...entries.values()].map((e) => structuredClone(e));
    },
    async put(entry) {
      entries.set(entry.clientMsgId, structuredClone(entry));
    },
    async delete(clientMsgId) {
      entries.delete(clientMsgId);
    },
  };
}
