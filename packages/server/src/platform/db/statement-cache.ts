import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * better-sqlite3 behind Kysely with its prepared statements kept: Kysely's SQLite driver prepares every
 * query again, and preparing was 9% of the server's CPU for a no-op task (profile in docs/performance.md).
 * At most `max` statements, evicted by second chance: a hit only marks its entry, and eviction moves marked
 * entries to the back (unmarking them) until it finds an unmarked one. Reordering the map at every hit (a
 * strict LRU) made V8 rebuild the map's table every few hundred statements, garbage that lived long enough
 * to be promoted (docs/performance.md). Safe because Kysely runs one query at a time on the connection and
 * nothing here streams (a statement being iterated cannot run another query).
 */
export function withStatementCache(
  sqlite: { prepare(sql: string): SqliteStatement; close(): void },
  max = 1000,
): SqliteDatabase {
  const cache = new Map<string, { stmt: SqliteStatement; used: boolean }>();
  function evictOne() {
    for (const [sql, entry] of cache) {
      cache.delete(sql);
      if (!entry.used) return;
      entry.used = false;
      cache.set(sql, entry);
    }
  }
  return {
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit) {
        hit.used = true;
        return hit.stmt;
      }
      const stmt = sqlite.prepare(sql);
      cache.set(sql, { stmt, used: false });
      if (cache.size > max) evictOne();
      return stmt;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}
