import { type ConversationEvent, ConversationEventSchema, type Message, type Reaction } from '@switchboard/protocol';

/**
 * Where a message stands as the user sees it: `sending` (optimistic, not yet stored), `sent` (stored: the
 * server's message replaced the optimistic one), `read` (someone read it), `failed` (refused by the server, or
 * retries exhausted; see `failReason`).
 */
export type MessageState = 'sending' | 'sent' | 'read' | 'failed';

/** A message in the local store: the server's fields once known, plus its delivery state. */
export interface ChatMessage {
  clientMsgId: string;
  conversationId: string;
  /** Null until the server stored it. */
  id: string | null;
  /** Null until the server stored it. */
  seq: number | null;
  senderId: string;
  text: string | null;
  replyToId: string | null;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
  reactions: Reaction[];
  state: MessageState;
  failReason?: string;
}

/** What changed in a store, for listeners. */
export interface StoreChange {
  change: 'added' | 'updated' | 'removed';
  message: ChatMessage;
}

/** What applying one conversation event did. */
export interface ApplyResult {
  changes: StoreChange[];
  /** Kept events of other kinds (member joined, renamed, status), applied in order. */
  other: ConversationEvent[];
  /** A seq is missing before this event: the caller should sync. */
  gap: boolean;
}

function fromServer(m: Message, state: MessageState): ChatMessage {
  return { ...m, state };
}

/**
 * One conversation's messages on the client: deduplicated by `id` and by `clientMsgId` (so the optimistic
 * message, the send ack, the broadcast and a sync answer all land on one entry), ordered by `seq`, with the
 * unsent ones after the stored ones in send order. Conversation events are applied strictly in `seq` order:
 * one that arrives early is held back and reported as a gap, so the caller syncs the missing ones.
 *
 * @example
 * ```ts
 * const store = new ConversationStore(conversationId, myUserId);
 * const { gap } = store.applyEvent(event);
 * if (gap) await client.sync();
 * store.messages(); // ordered, one entry per message
 * ```
 */
export class ConversationStore {
  /** The highest seq such that every event up to it has been applied. */
  appliedSeq = 0;
  private readonly byClient = new Map<string, ChatMessage>();
  private readonly byId = new Map<string, ChatMessage>();
  private readonly held = new Map<number, ConversationEvent>();
  private localOrder = new Map<string, number>();
  private nextLocal = 0;

  constructor(
    readonly conversationId: string,
    private readonly me: () => string | undefined,
    private readonly warn: (message: string, payload?: unknown) => void = () => {},
  ) {}

  /** Messages in display order: stored ones by seq, then unsent ones in the order they were sent. */
  messages(): ChatMessage[] {
    const all = [...this.byClient.values()];
    return all.sort((a, b) => {
      if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
      if (a.seq !== null) return -1;
      if (b.seq !== null) return 1;
      return (this.localOrder.get(a.clientMsgId) ?? 0) - (this.localOrder.get(b.clientMsgId) ?? 0);
    });
  }

  get(clientMsgIdOrId: string): ChatMessage | undefined {
    return this.byClient.get(clientMsgIdOrId) ?? this.byId.get(clientMsgIdOrId);
  }

  /** Add the optimistic copy of a message being sent (no-op when the clientMsgId is already here). */
  addOptimistic(message: ChatMessage): StoreChange | null {
    if (this.byClient.has(message.clientMsgId)) return null;
    this.byClient.set(message.clientMsgId, message);
    this.localOrder.set(message.clientMsgId, this.nextLocal++);
    return { change: 'added', message };
  }

  /** Set a message's state (`failed` with its reason, `sending` again on retry). */
  setState(clientMsgId: string, state: MessageState, failReason?: string): StoreChange | null {
    const found = this.byClient.get(clientMsgId);
    if (!found) return null;
    const next = { ...found, state, failReason };
    if (state !== 'failed') delete next.failReason;
    this.put(next);
    return { change: 'updated', message: next };
  }

  /** Drop an unsent message (discard). */
  remove(clientMsgId: string): StoreChange | null {
    const found = this.byClient.get(clientMsgId);
    if (!found || found.id !== null) return null;
    this.byClient.delete(clientMsgId);
    this.localOrder.delete(clientMsgId);
    return { change: 'removed', message: found };
  }

  /**
   * Merge the server's version of a message (a send ack, an edit answer, an event). Keeps `read` once reached
   * and never lets an older version (by edit / delete time) overwrite a newer one.
   */
  upsertServer(m: Message): StoreChange | null {
    const existing = this.byId.get(m.id) ?? this.byClient.get(m.clientMsgId);
    if (existing?.senderId && existing.senderId !== m.senderId && existing.id === null) {
      // Same clientMsgId from someone else: clientMsgIds are unique per sender only, so say so loudly.
      this.warn('clientMsgId collision between senders', m);
    }
    if (existing && existing.id !== null) {
      const stale =
        (existing.deletedAt !== null && m.deletedAt === null) || (existing.editedAt ?? 0) > (m.editedAt ?? 0);
      const sameReactions = JSON.stringify(existing.reactions) === JSON.stringify(m.reactions);
      if (stale || (existing.editedAt === m.editedAt && existing.deletedAt === m.deletedAt && sameReactions))
        return null;
      const next = fromServer(m, existing.state === 'read' ? 'read' : 'sent');
      this.put(next);
      return { change: 'updated', message: next };
    }
    const next = fromServer(m, existing?.state === 'read' ? 'read' : 'sent');
    this.put(next);
    return { change: existing ? 'updated' : 'added', message: next };
  }

  /** A read receipt: my stored messages up to `messageSeq` are `read`. */
  markReadUpTo(messageSeq: number): StoreChange[] {
    const me = this.me();
    const out: StoreChange[] = [];
    for (const m of this.byClient.values()) {
      if (m.state === 'sent' && m.seq !== null && m.seq <= messageSeq && m.senderId === me) {
        const next = { ...m, state: 'read' as const };
        this.put(next);
        out.push({ change: 'updated', message: next });
      }
    }
    return out;
  }

  /**
   * Apply one conversation event (live or from sync). Already-applied seqs are ignored; a seq past the next
   * expected one is held until the missing ones arrive, and `gap` tells the caller to sync.
   */
  applyEvent(raw: unknown): ApplyResult {
    const result: ApplyResult = { changes: [], other: [], gap: false };
    const parsed = ConversationEventSchema.safeParse(raw);
    if (!parsed.success) {
      this.skipMalformed(raw, result);
      return result;
    }
    const e = parsed.data;
    if (e.seq === 0) {
      result.other.push(e);
      return result;
    }
    if (e.seq <= this.appliedSeq) return result;
    if (e.seq > this.appliedSeq + 1) {
      this.held.set(e.seq, e);
      result.gap = true;
      return result;
    }
    this.applyInOrder(e, result);
    for (let next = this.held.get(this.appliedSeq + 1); next; next = this.held.get(this.appliedSeq + 1)) {
      this.held.delete(next.seq);
      this.applyInOrder(next, result);
    }
    for (const seq of this.held.keys()) if (seq <= this.appliedSeq) this.held.delete(seq);
    result.gap = this.held.size > 0;
    return result;
  }

  /** Events waiting for an earlier seq. */
  get heldCount(): number {
    return this.held.size;
  }

  /** Forget everything stored (a `resetRequired` reload); unsent messages stay. */
  reset(lastSeq: number): void {
    for (const [key, m] of this.byClient) {
      if (m.id !== null) {
        this.byClient.delete(key);
        this.byId.delete(m.id);
      }
    }
    this.held.clear();
    this.appliedSeq = lastSeq;
  }

  private applyInOrder(e: ConversationEvent, result: ApplyResult): void {
    this.appliedSeq = e.seq;
    if (!e.type.startsWith('message.')) {
      result.other.push(e);
      return;
    }
    if (!e.message?.id) {
      this.warn(`${e.type} event without a message id ignored`, e);
      return;
    }
    const change = this.upsertServer(e.message);
    if (change) result.changes.push(change);
  }

  /** A payload that is not a valid event: warn, and if it names a seq, count it as applied so sync moves on. */
  private skipMalformed(raw: unknown, result: ApplyResult): void {
    this.warn('conversation event without a valid id or shape ignored', raw);
    const seq = (raw as { seq?: unknown } | null)?.seq;
    if (typeof seq === 'number' && Number.isInteger(seq) && seq === this.appliedSeq + 1) {
      this.appliedSeq = seq;
      const held = this.held.get(this.appliedSeq + 1);
      if (held) {
        this.held.delete(held.seq);
        this.applyInOrder(held, result);
      }
    }
  }

  private put(m: ChatMessage): void {
    this.byClient.set(m.clientMsgId, m);
    if (m.id !== null) this.byId.set(m.id, m);
  }
}

/** The local copy of a message the outbox has not had stored yet. */
export function optimisticMessage(
  e: { clientMsgId: string; conversationId: string; text: string; createdAt: number; replyToId?: string },
  senderId: string,
  state: ChatMessage['state'],
): ChatMessage {
  return {
    clientMsgId: e.clientMsgId,
    conversationId: e.conversationId,
    id: null,
    seq: null,
    senderId,
    text: e.text,
    replyToId: e.replyToId ?? null,
    createdAt: e.createdAt,
    editedAt: null,
    deletedAt: null,
    reactions: [],
    state,
  };
}
