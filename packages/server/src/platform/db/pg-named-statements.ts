import type { PostgresPool } from 'kysely';
import type pg from 'pg';

/** At most this many statement texts get a name; past that, statements are parsed at every run as before. */
const MAX_NAMED = 500;
const DML = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * The pool for Kysely, with every repeated data statement run as a named prepared statement: PostgreSQL parses
 * and plans it once per connection instead of at every run (Kysely sends unnamed ones). A text is named the
 * second time it is seen, so one-off statements (migrations, admin queries) are not kept. `pg` prepares a name
 * on each connection the first time that connection runs it.
 */
export function withNamedStatements(pool: pg.Pool): PostgresPool {
  const seen = new Set<string>();
  const names = new Map<string, string>();
  const unnamed = new Set<string>();
  const patched = new WeakSet<pg.PoolClient>();

  function nameOf(text: string): string | undefined {
    const name = names.get(text);
    if (name || names.size >= MAX_NAMED || unnamed.has(text) || !DML.test(text)) return name;
    if (!seen.has(text)) {
      if (seen.size >= 10 * MAX_NAMED) seen.clear();
      seen.add(text);
      return undefined;
    }
    seen.delete(text);
    const next = `sb${names.size + 1}`;
    names.set(text, next);
    return next;
  }

  /**
   * A schema change (another node migrating during a rolling upgrade) makes a prepared statement whose result
   * columns changed fail with "cached plan must not change result type" (0A000). Such a text is not named
   * again, and outside a transaction it is run again at once, unnamed. Inside one, the transaction has already
   * failed, and the caller's retry runs unnamed.
   */
  function stale(err: unknown, text: string): boolean {
    if ((err as { code?: string }).code !== '0A000') return false;
    names.delete(text);
    unnamed.add(text);
    return true;
  }

  function patch(client: pg.PoolClient): pg.PoolClient {
    if (patched.has(client)) return client;
    patched.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    let inTransaction = false;
    // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; this one forwards them all
    (client as any).query = (text: unknown, values?: unknown) => {
      if (typeof text !== 'string') return query(text, values);
      if (/^\s*(begin|start transaction)\b/i.test(text)) inTransaction = true;
      else if (/^\s*(commit|rollback)\b/i.test(text)) inTransaction = false;
      const name = nameOf(text);
      if (!name) return query(text, values);
      const outside = !inTransaction;
      return query({ name, text, values }).catch((err: unknown) => {
        if (stale(err, text) && outside) return query(text, values);
        throw err;
      });
    };
    return client;
  }

  return {
    connect: async () => patch(await pool.connect()),
    end: () => pool.end(),
  } as PostgresPool;
}
