import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';

/** How long after a stored message the index catches up: one FTS5 write for every message of that window. */
export const SEARCH_INDEX_DELAY_MS = 500;

/**
 * The SQLite full-text index of message texts, filled in batches behind the sends (migration 1080): a send's
 * transaction no longer writes the FTS5 index, whose own writes were most of a one-message commit. `soon()`
 * after a stored message schedules one catch-up for everything stored meanwhile; a search catches up first,
 * so it never misses a stored message. On PostgreSQL (an expression index, written with the row) there is
 * nothing to do.
 */
export function searchIndex(database: Database, log: { error(obj: object, msg: string): void } = console) {
  let timer: NodeJS.Timeout | undefined;

  /**
   * Index every message past the mark, and move the mark, in one transaction. Two catch-ups never overlap:
   * the transaction holds the one SQLite connection, so the second sees the first's mark.
   */
  async function catchUp(): Promise<void> {
    if (database.dialect !== 'sqlite') return;
    await database.transaction(async (tx) => {
      await sql`insert into messages_fts (rowid, text)
        select rowid, text from messages where rowid > (select indexed from messages_fts_mark) order by rowid`.execute(
        tx,
      );
      await sql`update messages_fts_mark
        set indexed = max(indexed, coalesce((select max(rowid) from messages), 0))`.execute(tx);
    });
  }

  return {
    catchUp,
    /** A message was stored: catch up once the current burst of sends is over (at most one timer). */
    soon(): void {
      if (database.dialect !== 'sqlite' || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        catchUp().catch((err) => log.error({ err }, 'message search: indexing new messages failed'));
      }, SEARCH_INDEX_DELAY_MS);
      timer.unref();
    },
    /** Stop the timer (closing); what is not indexed yet is indexed by the next catch-up after a start. */
    stop(): void {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
export type SearchIndex = ReturnType<typeof searchIndex>;
