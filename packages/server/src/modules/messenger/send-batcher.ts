import type { Kysely } from 'kysely';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../schema.js';
import type { EventRow } from './conversation-events.repo.js';
import { type ConversationRow, conversationsRepo } from './conversations.repo.js';
import { memberListsOf } from './member-lists.js';
import { type MessageRow, messagesRepo, type OutboxRow } from './messages.repo.js';
import type { MessengerDeps } from './messenger.shared.js';

/** What became of one send in a batch. */
export type SendOutcome =
  | {
      kind: 'created';
      row: MessageRow;
      event: EventRow;
      conversationKind: ConversationRow['kind'];
      /** Whether the message got an outbox row (some replayable after-commit work may need it). */
      recorded: boolean;
    }
  | { kind: 'duplicate' };

interface Pending {
  row: MessageRow;
  /** The sender, as the after-commit listeners will see them (stored in the outbox row, if the message gets one). */
  actor: Actor;
  resolve(outcome: SendOutcome): void;
  reject(err: unknown): void;
}

/** Most sends one transaction takes. */
const MAX_BATCH = 200;
/**
 * SQLite: the least time from the end of one commit to the start of the next. A commit writes every page the
 * batch touched, whatever the number of messages in it, so under load a short wait gathers more sends into
 * each commit. An idle server commits at once: the wait only applies right after another commit.
 */
const SQLITE_COMMIT_GAP_MS = 1;
/** SQLite's one lane: every org's sends (one writer anyway). */
const SQLITE_LANE = 'all';

/** A lane's queued sends, and whether a drain is running or scheduled for it. */
interface Lane {
  queue: Pending[];
  draining: boolean;
}

/**
 * Group commit for sends, across conversations. A conversation's seq is handed out under its row lock, so
 * its writes commit one at a time, and one commit per message would cost one transaction (and, on SQLite,
 * one write of every page it touches) per message. Sends that queue up on this node while a commit is in
 * flight go together in the next transaction, whatever conversation they are in. The queue (a lane) is per
 * org on PostgreSQL, so orgs commit in parallel on the pool; on SQLite, one writer anyway, one lane takes
 * every org's sends, and each commit is one transaction for them all. Per org in the batch: lock their
 * conversations' rows (one statement), drop non-members (member-lists.ts: one statement on PostgreSQL; on
 * SQLite a read of the membership change count, the lists kept in memory) and duplicates (committed before, or
 * twice in this batch; one statement), number the rest per conversation in arrival order, insert messages (on SQLite
 * one statement per message, which needs no statement journal: `compiledInsert`; a message is its own
 * `message.created` event, its row carries the seq, so no event row is written for it) and the outbox rows
 * of the sends that need one (one statement; asked for the whole batch before its transaction), move each
 * conversation's `lastSeq` (one statement). Then, once per batch:
 * delete the outbox rows of earlier messages whose after-commit work is done (outbox-done.ts), commit.
 * Other nodes' writers wait on the same row locks, so the checks under them are authoritative; the unique
 * constraint stays the last guard (a violation fails the batch, and each send is then retried on its own).
 */
export function sendBatcher(
  database: Database,
  now: () => number,
  outboxDone?: MessengerDeps['outboxDone'],
  outboxNeeded?: MessengerDeps['outboxNeeded'],
) {
  // SQLite's one lane is kept for good: deleting and re-adding it at every idle moment made V8 rebuild the
  // map's table, garbage that lived long enough to reach the old generation. PostgreSQL's lanes (one per org)
  // go when they empty.
  const lanes = new Map<string, Lane>();
  const laneOf = (row: MessageRow) => (database.dialect === 'sqlite' ? SQLITE_LANE : row.orgId);
  const memberLists = memberListsOf(database);
  const gapMs = database.dialect === 'sqlite' ? SQLITE_COMMIT_GAP_MS : 0;
  // When the last commit of this node ended (monotonic ms): a drain starting sooner waits out the gap.
  let lastCommitEnd = Number.NEGATIVE_INFINITY;

  /** One org's sends, inside the batch's transaction. */
  async function writeOrg(tx: Kysely<DB>, orgId: string, batch: Pending[], at: number, recorded: Set<Pending>) {
    const conv = conversationsRepo(tx);
    const msgs = messagesRepo(tx);
    const ids = [...new Set(batch.map((p) => p.row.conversationId))].sort();
    // SQLite has one writer: no row lock to take (the last-seq update below touches the rows anyway).
    const locked =
      database.dialect === 'sqlite'
        ? await conv.lastSeqsForWrite(orgId, ids)
        : await conv.lockManyForWrite(orgId, ids, at);
    const members = await memberLists.among(
      tx,
      orgId,
      batch.map((p) => ({ conversationId: p.row.conversationId, userId: p.row.senderId })),
    );
    const taken = await msgs.existingSends(
      orgId,
      batch.map((p) => p.row),
    );
    const seqs = new Map([...locked].map(([id, l]) => [id, l.lastSeq]));
    const rows: MessageRow[] = [];
    const outbox: OutboxRow[] = [];
    const outcomes = batch.map((p): SendOutcome | AppError => {
      const { conversationId, senderId, clientMsgId } = p.row;
      const conversation = locked.get(conversationId);
      // No such conversation, or membership removed since the caller's request: refused alike.
      if (!conversation || !members.has(`${conversationId}:${senderId}`))
        return new AppError('not_found', 'no such conversation');
      const key = `${conversationId}:${senderId}:${clientMsgId}`;
      if (taken.has(key)) return { kind: 'duplicate' };
      taken.add(key);
      const seq = (seqs.get(conversationId) ?? conversation.lastSeq) + 1;
      seqs.set(conversationId, seq);
      const row = { ...p.row, seq, createdAt: at };
      const event: EventRow = {
        conversationId,
        seq,
        orgId,
        type: 'message.created',
        actorId: senderId,
        messageId: row.id,
        data: null,
        createdAt: at,
      };
      rows.push(row);
      const withRow = recorded.has(p);
      if (withRow)
        outbox.push({ messageId: row.id, orgId, conversationId, actor: JSON.stringify(p.actor), createdAt: at });
      return { kind: 'created', row, event, conversationKind: conversation.kind, recorded: withRow };
    });
    if (rows.length) {
      await msgs.insertMany(rows);
      await msgs.insertOutbox(outbox);
      const moved = new Set(rows.map((r) => r.conversationId));
      await conv.setLastSeqMany(orgId, new Map([...seqs].filter(([id]) => moved.has(id))), at);
    }
    return outcomes;
  }

  async function commit(batch: Pending[]): Promise<(SendOutcome | AppError)[]> {
    // Which messages need an outbox row: asked for the whole batch at once, before the transaction, so the
    // look-ups behind the answers go out together. A failed answer counts as a yes.
    const needed = await Promise.all(
      batch.map((p) => outboxNeeded?.(p.actor, p.row.conversationId).catch(() => true) ?? true),
    );
    const recorded = new Set(batch.filter((_, i) => needed[i]));
    const at = now();
    const cleared = outboxDone?.take() ?? [];
    const outcomes = database.transaction(async (tx) => {
      const byOrg = new Map<string, Pending[]>();
      for (const p of batch) {
        const sends = byOrg.get(p.row.orgId);
        if (sends) sends.push(p);
        else byOrg.set(p.row.orgId, [p]);
      }
      const outcomeOf = new Map<Pending, SendOutcome | AppError>();
      for (const [orgId, sends] of byOrg) {
        const outcomes = await writeOrg(tx, orgId, sends, at, recorded);
        for (const [i, p] of sends.entries()) outcomeOf.set(p, outcomes[i] as SendOutcome | AppError);
      }
      // Earlier messages' finished outbox rows (any org's): no write of their own.
      await messagesRepo(tx).deleteOutboxMany(cleared);
      return batch.map((p) => outcomeOf.get(p) as SendOutcome | AppError);
    });
    outcomes.catch(() => outboxDone?.restore(cleared));
    return outcomes;
  }

  function settle(p: Pending, o: SendOutcome | AppError | undefined): void {
    if (o instanceof AppError) p.reject(o);
    else if (o) p.resolve(o);
  }

  async function drain(key: string, lane: Lane): Promise<void> {
    const { queue } = lane;
    for (;;) {
      if (queue.length === 0) {
        lane.draining = false;
        if (key !== SQLITE_LANE) lanes.delete(key);
        return;
      }
      // A checkpoint that lets the WAL start over wants no commit meanwhile (a few ms): the queue grows.
      const hold = database.checkpointHold?.();
      if (hold) await hold;
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const outcomes = await commit(batch).finally(() => {
          lastCommitEnd = performance.now();
        });
        for (const [i, p] of batch.entries()) settle(p, outcomes[i]);
        // More sends queued (a long turn left a backlog): this batch's acks and deliveries go out, and the
        // sockets are read, before the next commit. One batch per turn: a backlog drained in one turn kept every
        // message of it alive across garbage collections (docs/performance.md).
        if (queue.length) await new Promise((resolve) => setImmediate(resolve));
      } catch (err) {
        if (batch.length === 1) batch[0]?.reject(err);
        // One bad send must not fail its neighbours: retry each alone.
        else for (const p of batch) commit([p]).then(([o]) => settle(p, o), p.reject);
      }
    }
  }

  return {
    /** Queue a send; resolves after the transaction holding it committed. */
    submit(row: MessageRow, actor: Actor): Promise<SendOutcome> {
      return new Promise((resolve, reject) => {
        const key = laneOf(row);
        let lane = lanes.get(key);
        if (!lane) {
          lane = { queue: [], draining: false };
          lanes.set(key, lane);
        }
        lane.queue.push({ row, actor, resolve, reject });
        if (lane.draining) return;
        lane.draining = true;
        // Start after this turn's I/O, so the sends that arrived in the same poll of the sockets join the
        // batch; on SQLite, right after another commit, only once the gap is over.
        const wait = lastCommitEnd + gapMs - performance.now();
        const start = () => void drain(key, lane);
        if (wait > 0) setTimeout(start, wait);
        else setImmediate(start);
      });
    },
  };
}
export type SendBatcher = ReturnType<typeof sendBatcher>;
