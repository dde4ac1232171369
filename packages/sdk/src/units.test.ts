import { randomUUID } from 'node:crypto';
import type { ConversationEvent, Message, SendResult } from '@switchboard/protocol';
import { IDBFactory as FakeIDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { until } from '../../server/src/test/waits.js';
import { TokenManager } from './auth.js';
import { equalJitter, fullJitter, jittered } from './backoff.js';
import { ConversationStore } from './conversation-store.js';
import { SwitchboardError } from './errors.js';
import { ReadMarker, type Timers, TypingHelper } from './helpers.js';
import { type IDBFactory, indexedDbOutboxStore } from './indexeddb-store.js';
import { Outbox } from './outbox.js';
import { memoryOutboxStore, type OutboxEntry, type OutboxStore } from './outbox-store.js';
import { Subscriptions } from './subscriptions.js';

const cid = randomUUID();
const me = randomUUID();
const other = randomUUID();

function message(seq: number, over: Partial<Message> = {}): Message {
  return {
    id: randomUUID(),
    conversationId: cid,
    seq,
    senderId: other,
    clientMsgId: randomUUID(),
    text: `m${seq}`,
    replyToId: null,
    createdAt: 1,
    editedAt: null,
    deletedAt: null,
    reactions: [],
    ...over,
  };
}
function created(m: Message): ConversationEvent {
  return { conversationId: cid, seq: m.seq, type: 'message.created', actorId: m.senderId, createdAt: 1, message: m };
}

describe('ConversationStore', () => {
  it('dedups by id and clientMsgId, orders by seq, holds early events and reports the gap', () => {
    const store = new ConversationStore(cid, () => me);
    const [m1, m2, m3] = [message(1), message(2), message(3)];
    expect(store.applyEvent(created(m1)).gap).toBe(false);
    expect(store.applyEvent(created(m3)).gap).toBe(true);
    expect(store.messages().map((m) => m.seq)).toEqual([1]);
    expect(store.applyEvent(created(m1)).changes).toEqual([]);
    const filled = store.applyEvent(created(m2));
    expect(filled.gap).toBe(false);
    expect(filled.changes.map((c) => c.message.seq)).toEqual([2, 3]);
    expect(store.messages().map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(store.appliedSeq).toBe(3);
  });

  it('replaces the optimistic message with the server one (ack first, then the broadcast is a no-op)', () => {
    const store = new ConversationStore(cid, () => me);
    const clientMsgId = randomUUID();
    store.addOptimistic({
      ...message(1, { senderId: me, clientMsgId }),
      id: null,
      seq: null,
      state: 'sending',
    });
    const m = message(1, { senderId: me, clientMsgId });
    expect(store.upsertServer(m)?.message.state).toBe('sent');
    expect(store.applyEvent(created(m)).changes).toEqual([]);
    expect(store.messages()).toHaveLength(1);
    expect(store.markReadUpTo(1)[0]?.message.state).toBe('read');
  });

  it('applies edits and deletes in seq order and ignores payloads without an id, with a warning', () => {
    const warnings: string[] = [];
    const store = new ConversationStore(
      cid,
      () => me,
      (w) => warnings.push(w),
    );
    const m = message(1);
    store.applyEvent(created(m));
    const edited = { ...m, text: 'new', editedAt: 5 };
    store.applyEvent({
      conversationId: cid,
      seq: 2,
      type: 'message.edited',
      actorId: other,
      createdAt: 5,
      message: edited,
    });
    expect(store.get(m.id)?.text).toBe('new');
    store.applyEvent({ conversationId: cid, seq: 3, type: 'message.deleted', actorId: other, createdAt: 6 });
    expect(warnings).toHaveLength(1);
    const tomb = { ...edited, text: null, deletedAt: 7 };
    store.applyEvent({
      conversationId: cid,
      seq: 4,
      type: 'message.deleted',
      actorId: other,
      createdAt: 7,
      message: tomb,
    });
    expect(store.get(m.id)?.deletedAt).toBe(7);
    expect(store.get(m.id)?.text).toBeNull();
    // A stale copy (an older edit replayed) never overwrites the tombstone.
    expect(store.upsertServer(edited)).toBeNull();
  });
});

describe('Subscriptions', () => {
  it('keeps one listener per name however often it subscribes', () => {
    const subs = new Subscriptions<number>();
    const calls: number[] = [];
    subs.subscribe('view', (n) => calls.push(n));
    subs.subscribe('view', (n) => calls.push(n * 10));
    subs.emit(1);
    expect(calls).toEqual([10]);
    expect(subs.size).toBe(1);
  });
});

describe('backoff', () => {
  it('full jitter stays in [0, min(cap, base·2^(n-1))]; equal jitter in its upper half; polling ± jitter', () => {
    const o = { baseMs: 500, capMs: 15_000 };
    expect(fullJitter(1, o, () => 0)).toBe(0);
    expect(fullJitter(1, o, () => 0.999)).toBe(499);
    expect(fullJitter(4, o, () => 0.999)).toBe(3996);
    expect(fullJitter(30, o, () => 0.999)).toBe(14_985);
    expect(equalJitter(2, { baseMs: 500, capMs: 10_000 }, () => 0)).toBe(500);
    expect(jittered(3000, 400, () => 0)).toBe(2600);
    expect(jittered(3000, 400, () => 1)).toBe(3400);
  });
});

describe('TypingHelper', () => {
  it('sends start at once, refreshes at most once per second, stops after 3 s idle', () => {
    let now = 0;
    const timers: { at: number; fn: () => void; id: number }[] = [];
    let nextId = 0;
    const fake: Timers = {
      now: () => now,
      setTimeout: (fn, ms) => {
        timers.push({ at: now + ms, fn, id: ++nextId });
        return nextId;
      },
      clearTimeout: (h) => {
        const i = timers.findIndex((t) => t.id === h);
        if (i >= 0) timers.splice(i, 1);
      },
    };
    const advance = (ms: number) => {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        fake.clearTimeout(t.id);
        t.fn();
      }
    };
    const sent: boolean[] = [];
    const typing = new TypingHelper((_, t) => sent.push(t), { debounceMs: 1000, idleMs: 3000 }, fake);
    typing.keystroke(cid);
    advance(300);
    typing.keystroke(cid);
    advance(300);
    typing.keystroke(cid);
    expect(sent).toEqual([true]);
    advance(500);
    typing.keystroke(cid);
    expect(sent).toEqual([true, true]);
    advance(2999);
    expect(sent).toEqual([true, true]);
    advance(1);
    expect(sent).toEqual([true, true, false]);
    expect(typing.isTyping(cid)).toBe(false);
  });
});

describe('ReadMarker', () => {
  it('moves forward only and coalesces marks made while one is on the wire', async () => {
    const calls: number[] = [];
    let release: () => void = () => {};
    const reads = new ReadMarker(async (_, seq) => {
      calls.push(seq);
      await new Promise<void>((r) => {
        release = r;
      });
    });
    const first = reads.mark(cid, 5);
    for (const seq of [6, 7, 8, 3]) void reads.mark(cid, seq);
    release();
    await new Promise((r) => setTimeout(r, 0));
    release();
    await first;
    expect(calls).toEqual([5, 8]);
    await reads.mark(cid, 8);
    expect(calls).toEqual([5, 8]);
  });
});

const entry = (n: number): Omit<OutboxEntry, 'order' | 'attempts' | 'state'> => ({
  clientMsgId: randomUUID(),
  conversationId: cid,
  text: `o${n}`,
  createdAt: n,
});

/**
 * An outbox with test timings (3 attempts, 1–2 ms backoff) whose every attempt calls `attempt` (throw to fail
 * it); `sent` holds the texts stored, `failed` the entries given up on, `drained()` waits until none is sending.
 */
function testOutbox(attempt: (e: OutboxEntry) => void) {
  const sent: string[] = [];
  const failed: OutboxEntry[] = [];
  const outbox = new Outbox({
    store: memoryOutboxStore(),
    timeoutMs: 10,
    retryBackoff: { baseMs: 1, capMs: 2 },
    maxAttempts: 3,
    count: () => {},
    whenUsable: async () => {},
    async attempt(e) {
      attempt(e);
      sent.push(e.text);
      return { duplicate: false } as unknown as SendResult;
    },
    onSent: () => {},
    onFailed: (e) => failed.push(e),
  });
  const drained = async () => {
    await until('the outbox to finish sending', () => !outbox.pending().some((e) => e.state === 'sending'), 10_000, 5);
  };
  return { outbox, sent, failed, drained };
}

describe('Outbox', () => {
  it('sends in order through timeouts and errors; fails only on refusal or exhausted retries', async () => {
    let calls = 0;
    const { outbox, sent, failed, drained } = testOutbox((e) => {
      calls++;
      if (e.text === 'refused') throw new SwitchboardError('forbidden', 'no');
      if (e.text === 'hopeless') throw new SwitchboardError('timeout', 'late');
      if (calls % 3 === 0) throw new SwitchboardError(calls % 2 ? 'timeout' : 'disconnected', 'flaky');
    });
    for (let i = 0; i < 20; i++) outbox.enqueue(entry(i));
    outbox.enqueue({ ...entry(99), text: 'refused' });
    outbox.enqueue({ ...entry(98), text: 'hopeless' });
    outbox.enqueue(entry(20));
    await drained();
    expect(sent).toEqual(Array.from({ length: 21 }, (_, i) => `o${i}`));
    expect(failed.map((f) => [f.text, f.failReason])).toEqual([
      ['refused', 'forbidden'],
      ['hopeless', 'retries_exhausted'],
    ]);
  });

  it('an outage longer than the retry budget (server unreachable) uses no attempts: the message is sent once it is back', async () => {
    let unreachable = 20;
    const { outbox, sent, failed, drained } = testOutbox(() => {
      if (unreachable-- > 0) throw new SwitchboardError('network', 'connect ECONNREFUSED');
    });
    outbox.enqueue(entry(1));
    await drained();
    expect(unreachable).toBe(-1);
    expect(sent).toEqual(['o1']);
    expect(failed).toEqual([]);
  });
});

function storeConformance(name: string, make: () => OutboxStore) {
  it(`${name}: keeps, replaces and deletes entries`, async () => {
    const store = make();
    const a: OutboxEntry = { ...entry(1), order: 1, attempts: 0, state: 'sending' };
    const b: OutboxEntry = { ...entry(2), order: 2, attempts: 0, state: 'sending', replyToId: randomUUID() };
    await store.put(a);
    await store.put(b);
    await store.put({ ...a, attempts: 2, state: 'failed', failReason: 'forbidden' });
    const loaded = (await store.load()).sort((x, y) => x.order - y.order);
    expect(loaded).toEqual([{ ...a, attempts: 2, state: 'failed', failReason: 'forbidden' }, b]);
    await store.delete(a.clientMsgId);
    expect(await store.load()).toEqual([b]);
  });
}

describe('outbox stores', () => {
  storeConformance('memory', memoryOutboxStore);
  storeConformance('IndexedDB', () =>
    indexedDbOutboxStore({ name: `t-${randomUUID()}`, indexedDB: new FakeIDBFactory() as unknown as IDBFactory }),
  );
});

describe('TokenManager', () => {
  it('refreshes ahead of expiry, and a token valid for months does not overflow the timer into a refresh loop', async () => {
    vi.useFakeTimers();
    try {
      const day = 86_400_000;
      let expiresAt = Date.now() + 90 * day;
      let refreshes = 0;
      const tm = new TokenManager(
        {
          getAccessToken: async () => 't0',
          expiresAt: () => expiresAt,
          async refresh() {
            refreshes++;
            expiresAt = Date.now() + 90 * day;
            return `t${refreshes}`;
          },
        },
        { refreshMarginMs: 60_000, onRefreshed: () => {}, onExpired: () => {} },
      );
      expect(await tm.token()).toBe('t0');
      await vi.advanceTimersByTimeAsync(30 * day);
      expect(refreshes).toBe(0);
      await vi.advanceTimersByTimeAsync(60 * day);
      expect(refreshes).toBe(1);
      tm.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
