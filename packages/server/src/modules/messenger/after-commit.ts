import type { Message } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import type { Platform } from '../../platform/platform.js';
import { type ConversationRow, conversationsRepo } from './conversations.repo.js';
import { messagesRepo, toMessage } from './messages.repo.js';
import { outboxDone } from './outbox-done.js';

const noop = () => {};
const settled = Promise.resolve();

/** Outbox entries older than this are taken to be abandoned by a crashed or failed run, and are redone. */
export const OUTBOX_STALE_MS = 5_000;
/** How often the drain looks for abandoned entries (and once at start). */
export const OUTBOX_DRAIN_EVERY_MS = 5_000;

/** Where a stored message went: listeners that only care about some kinds skip the rest without a query. */
export interface StoredIn {
  kind: ConversationRow['kind'];
}
type Listener = (actor: Actor, message: Message, conversation: StoredIn) => void | Promise<void>;
/**
 * Whether a message about to be sent may have work for a replayable listener (asked for each send of a batch
 * just before the batch's transaction, so its outbox row can be written in it). When every replayable listener answers no, the message
 * gets no row and none of them runs for it: each answer must be what the listener itself would decide then.
 */
export type Needs = (actor: Actor, conversationId: string) => boolean | Promise<boolean>;

/**
 * The work other modules do after a message is stored (AI draft, push notifications, dashboard facts). The
 * send writes an outbox row in its own transaction; after the commit the listeners run and the row is
 * deleted once they all succeeded (outbox-done.ts). A crash in between, or a failing listener, leaves the row: the drain
 * runs the *replayable* listeners again for it (those idempotent by the message id: the AI draft task and the
 * push task are keyed by it), at start and every few seconds. Listeners that are not replayable (the
 * dashboard's counters) run once, on the live path only.
 *
 * A message that no replayable listener needs (each may say so with `needs`, asked before the send's
 * transaction) gets no outbox row: in a conversation whose members are all connected, a message has no push to send and no draft
 * to write, and its row would only be written and deleted again. The replayable listeners then skip it.
 */
export function afterCommitWork(platform: Platform, log: { error(obj: object, msg: string): void } = console) {
  const repo = messagesRepo(platform.database.db);
  const listeners = new Set<{ run: Listener; replay: boolean; needs?: Needs }>();
  // The live runs not finished yet: closing waits for them, so none reads a database that is gone.
  const inFlight = new Set<Promise<void>>();
  // Outbox rows whose work is done: deleted by the next send's transaction, or alone shortly after.
  const done = outboxDone(platform.database, log);

  /** `replay`: only the replayable listeners (the drain). */
  async function runAll(actor: Actor, message: Message, where: StoredIn, which: 'all' | 'replay'): Promise<boolean> {
    const chosen = [...listeners].filter((l) => which === 'all' || l.replay);
    const results = await Promise.allSettled(chosen.map(async (l) => l.run(actor, message, where)));
    const failed = results.filter((r) => r.status === 'rejected');
    for (const f of failed)
      log.error({ err: (f as PromiseRejectedResult).reason, messageId: message.id }, 'after-commit work failed');
    return failed.length === 0;
  }

  /** Keep a run until it settles: closing waits for the runs in flight. */
  function track(run: Promise<void>): Promise<void> {
    inFlight.add(run);
    const forget = () => inFlight.delete(run);
    run.then(forget, forget);
    return run;
  }

  /**
   * A message without an outbox row: only the listeners that are not replayable, called in turn. They usually
   * return nothing (the search index and the dashboard queue their own work), and then nothing is kept in
   * flight for the message. Chat-mix, where every message takes this path, measured fewer full garbage
   * collections than with a run of `runAll` per message (docs/performance.md).
   */
  function runLive(actor: Actor, message: Message, where: StoredIn): Promise<void> {
    const failed = (err: unknown) => log.error({ err, messageId: message.id }, 'after-commit work failed');
    const pending: Promise<void>[] = [];
    for (const l of listeners) {
      if (l.replay) continue;
      try {
        const result = l.run(actor, message, where);
        if (result) pending.push(result.catch(failed));
      } catch (err) {
        failed(err);
      }
    }
    return pending.length ? track(Promise.all(pending).then(noop)) : settled;
  }

  return {
    /**
     * Hear every newly stored message; `replay`: also run again for a message whose work was interrupted
     * (`needs`: only for the messages it answers yes for; without it, every message).
     */
    listen(run: Listener, opts: { replay: boolean; needs?: Needs }): () => void {
      const entry = { run, replay: opts.replay, needs: opts.needs };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },

    /** Before a send's transaction: whether its message needs an outbox row (a replayable listener may need it). */
    async durable(actor: Actor, conversationId: string): Promise<boolean> {
      for (const l of listeners) if (l.replay && (!l.needs || (await l.needs(actor, conversationId)))) return true;
      return false;
    },

    /**
     * After the send committed: run the listeners, then clear the message's outbox row if all succeeded. A
     * message stored without a row (`recorded` false) is given to the listeners that are not replayable only.
     */
    stored(actor: Actor, message: Message, where: StoredIn, recorded = true): Promise<void> {
      if (!recorded) return runLive(actor, message, where);
      return track(
        (async () => {
          if (await runAll(actor, message, where, 'all')) done.add(message.id);
        })(),
      );
    },

    /**
     * Resolves once every live run started so far has finished (failed ones included: their rows stay) and
     * the rows of the finished ones are deleted.
     */
    async idle(): Promise<void> {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      await done.flush();
    },

    /** The finished rows waiting to be deleted, for the send batcher's transaction (outbox-done.ts). */
    done,

    /** Redo the replayable work of abandoned outbox rows; returns how many rows were cleared. */
    async drain(): Promise<number> {
      let cleared = 0;
      for (const row of await repo.staleOutbox(platform.clock.now() - OUTBOX_STALE_MS, 100)) {
        const found = await repo.find(row.orgId, row.messageId);
        const conversation =
          found && (await conversationsRepo(platform.database.db).find(row.orgId, found.conversationId));
        if (
          found &&
          conversation &&
          !(await runAll(JSON.parse(row.actor) as Actor, toMessage(found, []), { kind: conversation.kind }, 'replay'))
        )
          continue;
        await repo.deleteOutbox(row.messageId);
        cleared++;
      }
      return cleared;
    },
  };
}
export type AfterCommitWork = ReturnType<typeof afterCommitWork>;
