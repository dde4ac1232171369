import type { ClientTelemetryEvent, SendResult } from '@switchboard/protocol';
import { type BackoffOptions, equalJitter } from './backoff.js';
import { SwitchboardError, toSwitchboardError } from './errors.js';
import type { OutboxEntry, OutboxStore } from './outbox-store.js';

export interface OutboxOptions {
  store: OutboxStore;
  /** One attempt over whatever transport works now; must give up after `timeoutMs` with code `timeout`. */
  attempt(entry: OutboxEntry, timeoutMs: number): Promise<SendResult>;
  /** Resolves when an attempt can be made (socket up or HTTP fallback on); rejects when the client closes. */
  whenUsable(): Promise<void>;
  /** Per attempt. Default 10 s. */
  timeoutMs: number;
  /** Between attempts that failed (not for a lost connection, which waits for the next one). */
  retryBackoff: BackoffOptions;
  /** Attempts before a message is `failed` with `retries_exhausted`. */
  maxAttempts: number;
  onSent(entry: OutboxEntry, result: SendResult): void;
  onFailed(entry: OutboxEntry): void;
  count(event: ClientTelemetryEvent, reason?: string): void;
  random?: () => number;
}

/**
 * The outbox: every message until the server has stored it. One worker per conversation sends its entries one
 * at a time in `send` order, so messages keep their order even across retries, reconnects and transports;
 * conversations do not wait for each other. Every attempt repeats the same `clientMsgId`, so the server keeps
 * one message however many attempts reached it.
 *
 * @example
 * ```ts
 * const outbox = new Outbox({ store, attempt, whenUsable, timeoutMs: 10_000, retryBackoff, maxAttempts: 8, … });
 * await outbox.restore();
 * outbox.enqueue(entry);
 * ```
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly workers = new Map<string, Promise<void>>();
  private readonly persisted = new Map<string, Promise<void>>();
  private closed = false;
  private readonly sleepers = new Set<() => void>();
  private order = Date.now() * 1000;

  constructor(private readonly opts: OutboxOptions) {}

  /** Load what a previous client on the same store left, and start sending it. */
  async restore(): Promise<OutboxEntry[]> {
    const loaded = (await this.opts.store.load()).sort((a, b) => a.order - b.order);
    for (const e of loaded) {
      if (this.entries.has(e.clientMsgId)) continue;
      this.entries.set(e.clientMsgId, e);
      this.order = Math.max(this.order, e.order + 1);
    }
    for (const e of loaded) this.kick(e.conversationId);
    return loaded;
  }

  /** Queue a new message (persisted before its first attempt). */
  enqueue(input: Omit<OutboxEntry, 'order' | 'attempts' | 'state'>): OutboxEntry {
    const entry: OutboxEntry = { ...input, order: this.order++, attempts: 0, state: 'sending' };
    this.entries.set(entry.clientMsgId, entry);
    this.persist(entry);
    this.kick(entry.conversationId);
    return entry;
  }

  has(clientMsgId: string): boolean {
    return this.entries.has(clientMsgId);
  }

  get(clientMsgId: string): OutboxEntry | undefined {
    return this.entries.get(clientMsgId);
  }

  /** Entries not yet stored by the server, in send order. */
  pending(conversationId?: string): OutboxEntry[] {
    return [...this.entries.values()]
      .filter((e) => conversationId === undefined || e.conversationId === conversationId)
      .sort((a, b) => a.order - b.order);
  }

  /** Send a `failed` message again (it goes to the back of its conversation's queue). */
  retry(clientMsgId: string): OutboxEntry | undefined {
    const e = this.entries.get(clientMsgId);
    if (e?.state !== 'failed') return e;
    const next: OutboxEntry = { ...e, state: 'sending', attempts: 0, order: this.order++ };
    delete next.failReason;
    this.entries.set(clientMsgId, next);
    this.persist(next);
    this.kick(next.conversationId);
    return next;
  }

  /** Forget a message that is not stored yet (a `failed` one, or one still trying). */
  discard(clientMsgId: string): boolean {
    if (!this.entries.delete(clientMsgId)) return false;
    this.forget(clientMsgId);
    return true;
  }

  /** The server has the message (seen in an event or a sync): stop sending it. */
  confirm(clientMsgId: string): OutboxEntry | undefined {
    const e = this.entries.get(clientMsgId);
    if (!e) return undefined;
    this.entries.delete(clientMsgId);
    this.forget(clientMsgId);
    return e;
  }

  /** A transport came back: skip the rest of a backoff wait. */
  wake(): void {
    for (const done of [...this.sleepers]) done();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  private persist(entry: OutboxEntry): void {
    const prev = this.persisted.get(entry.clientMsgId) ?? Promise.resolve();
    // A closed client writes nothing more: after a reload the new client owns the store, and a late write
    // from the old one would bring back an entry the new one already delivered and deleted.
    const next = prev.then(() => (this.closed ? undefined : this.opts.store.put(entry))).catch(() => {});
    this.persisted.set(entry.clientMsgId, next);
  }

  private forget(clientMsgId: string): void {
    const prev = this.persisted.get(clientMsgId) ?? Promise.resolve();
    const next = prev.then(() => (this.closed ? undefined : this.opts.store.delete(clientMsgId))).catch(() => {});
    this.persisted.set(clientMsgId, next);
    void next.then(() => {
      if (this.persisted.get(clientMsgId) === next) this.persisted.delete(clientMsgId);
    });
  }

  private kick(conversationId: string): void {
    if (this.closed || this.workers.has(conversationId)) return;
    const run = this.work(conversationId).finally(() => {
      this.workers.delete(conversationId);
      // Something may have been queued while the worker was finishing.
      if (this.head(conversationId)) this.kick(conversationId);
    });
    this.workers.set(conversationId, run);
  }

  private head(conversationId: string): OutboxEntry | undefined {
    let head: OutboxEntry | undefined;
    for (const e of this.entries.values()) {
      if (e.conversationId === conversationId && e.state === 'sending' && (!head || e.order < head.order)) head = e;
    }
    return head;
  }

  private async work(conversationId: string): Promise<void> {
    for (let entry = this.head(conversationId); entry && !this.closed; entry = this.head(conversationId)) {
      try {
        await this.persisted.get(entry.clientMsgId);
        await this.opts.whenUsable();
      } catch {
        return;
      }
      if (this.closed) return;
      if (this.entries.get(entry.clientMsgId) !== entry) continue;
      try {
        const result = await this.opts.attempt(entry, this.opts.timeoutMs);
        if (this.closed) return;
        if (this.confirm(entry.clientMsgId)) {
          this.opts.count('send_success');
          this.opts.onSent(entry, result);
        }
      } catch (err) {
        if (this.closed) return;
        await this.failedAttempt(entry, toSwitchboardError(err));
      }
    }
  }

  private async failedAttempt(entry: OutboxEntry, err: SwitchboardError): Promise<void> {
    if (this.entries.get(entry.clientMsgId) !== entry) return;
    // A connection lost mid-attempt is not the message's fault: wait for the next connection, no attempt used.
    if (err.code === 'disconnected') return;
    // The request never reached the server (refused, DNS, offline): no attempt used either, however long the
    // outage lasts; wait a backoff step (cut short by `wake()` when a transport or a fallback poll works).
    if (err.code === 'network') {
      this.opts.count('send_error', 'network');
      await this.sleep(equalJitter(Math.max(1, entry.attempts), this.opts.retryBackoff, this.opts.random));
      return;
    }
    this.opts.count(err.code === 'timeout' ? 'send_timeout' : 'send_error', err.code);
    const attempts = entry.attempts + 1;
    const exhausted = attempts >= this.opts.maxAttempts;
    if (!err.retryable || exhausted) {
      const failed: OutboxEntry = {
        ...entry,
        attempts,
        state: 'failed',
        failReason: !err.retryable ? err.code : 'retries_exhausted',
      };
      this.entries.set(entry.clientMsgId, failed);
      this.persist(failed);
      this.opts.onFailed(failed);
      return;
    }
    const next = { ...entry, attempts };
    this.entries.set(entry.clientMsgId, next);
    this.persist(next);
    await this.sleep(equalJitter(attempts, this.opts.retryBackoff, this.opts.random));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}

/** Thrown to outbox workers waiting for a transport when the client closes. */
export const closedError = () => new SwitchboardError('closed', 'the client was closed');
