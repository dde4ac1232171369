import type { ConversationEvent, ReadReceipt, SyncResult } from '@switchboard/protocol';
import { type ApplyResult, ConversationStore, type StoreChange } from './conversation-store.js';

export interface ReceiverOptions {
  me(): string | undefined;
  /** One sync page over whatever works now (socket or REST). */
  fetchSync(req: { since: Record<string, number>; cursor?: string }): Promise<SyncResult>;
  /** A conversation is too far behind for sync: load its latest history into the (reset) store. */
  reload(store: ConversationStore, lastSeq: number): Promise<void>;
  onChanges(conversationId: string, changes: StoreChange[]): void;
  onOther(event: ConversationEvent): void;
  /** My message showed up from the server (event or sync): the outbox can stop sending it. */
  onMine(clientMsgId: string): void;
  onRemoved(conversationId: string): void;
  warn(message: string, payload?: unknown): void;
}

/**
 * Everything the client receives, in one place: live events and sync pages go through the same per-conversation
 * stores, a gap in `seq` starts a sync, and syncs never run two at once (a request during one runs once more
 * after it).
 *
 * @example
 * ```ts
 * const rx = new Receiver({ me, fetchSync, reload, onChanges, onOther, onMine, onRemoved, warn });
 * socket.on('message.new', (e) => rx.event(e));
 * await rx.sync(); // after every (re)connect
 * ```
 */
export class Receiver {
  readonly stores = new Map<string, ConversationStore>();
  private running: Promise<void> | undefined;
  private again = false;
  private cursor: string | undefined;
  /** Completed sync runs (tests, diagnostics). */
  syncs = 0;

  constructor(private readonly opts: ReceiverOptions) {}

  store(conversationId: string): ConversationStore {
    let s = this.stores.get(conversationId);
    if (!s) {
      s = new ConversationStore(conversationId, this.opts.me, this.opts.warn);
      this.stores.set(conversationId, s);
    }
    return s;
  }

  /** A live conversation event from the socket. */
  event(raw: unknown): void {
    const conversationId = (raw as { conversationId?: unknown } | null)?.conversationId;
    if (typeof conversationId !== 'string') {
      this.opts.warn('event without a conversation id ignored', raw);
      return;
    }
    const result = this.store(conversationId).applyEvent(raw);
    this.report(conversationId, result);
    if (result.gap) void this.sync().catch(() => {});
  }

  /** A read receipt for my messages. */
  receipt(r: ReadReceipt): void {
    const changes = this.store(r.conversationId).markReadUpTo(r.messageSeq);
    if (changes.length) this.opts.onChanges(r.conversationId, changes);
  }

  /** Bring every store up to date (paged); joins a sync in progress and runs once more after it. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.runOnce();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async runOnce(): Promise<void> {
    for (let page = 0; page < 10_000; page++) {
      const since: Record<string, number> = {};
      for (const [id, s] of this.stores) since[id] = s.appliedSeq;
      const res = await this.opts.fetchSync({ since, cursor: this.cursor });
      this.cursor = res.cursor;
      for (const id of res.removed) {
        this.stores.delete(id);
        this.opts.onRemoved(id);
      }
      for (const r of res.resetRequired) {
        const s = this.store(r.conversationId);
        s.reset(r.lastSeq);
        await this.opts.reload(s, r.lastSeq);
      }
      for (const e of res.events) {
        const result = this.store(e.conversationId).applyEvent(e);
        this.report(e.conversationId, result);
      }
      for (const id of res.added) this.store(id);
      if (!res.hasMore) break;
    }
    this.syncs++;
  }

  private report(conversationId: string, result: ApplyResult): void {
    if (result.changes.length) {
      this.opts.onChanges(conversationId, result.changes);
      const me = this.opts.me();
      for (const c of result.changes) if (me && c.message.senderId === me) this.opts.onMine(c.message.clientMsgId);
    }
    for (const e of result.other) this.opts.onOther(e);
  }
}
