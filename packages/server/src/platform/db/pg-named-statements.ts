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
  const patched = new WeakSet<pg.PoolClient>();

  function nameOf(text: string): string | undefined {
    const name = names.get(text);
    if (name || names.size >= MAX_NAMED || !DML.test(text)) return name;
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

  function patch(client: pg.PoolClient): pg.PoolClient {
    if (patched.has(client)) return client;
    patched.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; this one forwards them all
    (client as any).query = (text: unknown, values?: unknown) => {
      const name = typeof text === 'string' ? nameOf(text) : undefined;
      return name ? query({ name, text, values }) : query(text, values);
    };
    return client;
  }

  return {
    connect: async () => patch(await pool.connect()),
    end: () => pool.end(),
  } as PostgresPool;
}
