import type { Database } from '../../platform/db/database.js';
import { messagesRepo } from './messages.repo.js';

/** How long a finished outbox row waits for a send's transaction to delete it before it is deleted alone. */
const OUTBOX_DELETE_AFTER_MS = 50;
/** Most finished rows one transaction deletes. */
const MAX_DELETE = 1000;

/**
 * The outbox rows whose after-commit work is done, waiting to be deleted. Under load the next send's
 * transaction deletes them (`take`): a delete of their own would be one more write, and on SQLite one more
 * commit of the outbox's pages, which that transaction writes anyway. When no send takes them within
 * `OUTBOX_DELETE_AFTER_MS`, they are deleted on their own. A crash before the delete only means the drain
 * replays idempotent work (after-commit.ts).
 */
export function outboxDone(database: Database, log: { error(obj: object, msg: string): void }) {
  const repo = messagesRepo(database.db);
  const ids: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let deleting = Promise.resolve();

  function schedule(): void {
    if (timer || ids.length === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, OUTBOX_DELETE_AFTER_MS);
  }

  function take(): string[] {
    const taken = ids.splice(0, MAX_DELETE);
    if (ids.length === 0) {
      clearTimeout(timer);
      timer = undefined;
    }
    return taken;
  }

  /** Delete every row still waiting, on its own; resolves once the deletes so far are done. */
  function flush(): Promise<void> {
    // `take` stops the timer once nothing is left.
    for (let batch = take(); batch.length; batch = take()) {
      const chunk = batch;
      deleting = deleting.then(() =>
        repo.deleteOutboxMany(chunk).catch((err) => log.error({ err }, 'clearing the message outbox failed')),
      );
    }
    return deleting;
  }

  return {
    /** The message's after-commit work is done: its outbox row may go. */
    add(messageId: string): void {
      ids.push(messageId);
      schedule();
    },
    /** For a send's transaction: up to 1,000 rows to delete in it. */
    take,
    /** The transaction that took them rolled back: they wait again. */
    restore(messageIds: readonly string[]): void {
      ids.push(...messageIds);
      schedule();
    },
    flush,
  };
}
export type OutboxDone = ReturnType<typeof outboxDone>;
