import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * better-sqlite3 behind Kysely with its prepared statements kept: Kysely's SQLite driver prepares every
 * query again, and preparing was 9% of the server's CPU for a no-op task (profile in docs/performance.md).
 * At most `max` statements, least recently used first out. Safe because Kysely runs one query at a time on
 * the connection and nothing here streams (a statement being iterated cannot run another query).
 */
export function withStatementCache(
  sqlite: { prepare(sql: string): SqliteStatement; close(): void },
  max = 1000,
): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit) {
        // Move to the back: Map keeps insertion order, so the front is the least recently used.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = sqlite.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}
