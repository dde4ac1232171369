import type { Database as SqliteHandle } from 'better-sqlite3';
import { type ConnectionProvider, type DatabaseConnection, type Kysely, type SqliteDialect, Transaction } from 'kysely';
import type { DB } from '../../schema.js';

/** Runs `fn` in one transaction on the database's connection; a throw rolls it back. */
export type RunTransaction = <T>(fn: (tx: Kysely<DB>) => Promise<T>) => Promise<T>;

/**
 * SQLite transactions without Kysely's objects per transaction. `db.transaction().execute()` makes a
 * transaction builder, a `Transaction` (a whole Kysely instance), two executors, a connection provider and a
 * compiled `begin` and `commit` (each with its query tree and id) for every transaction, and a busy server's
 * send batches commit hundreds of times a second: those objects lived across the transaction's awaits, long
 * enough to be promoted to the old generation, and were about a third of what still reached it
 * (docs/performance.md). SQLite has one connection, so one `Transaction` handle serves every transaction: it
 * runs on the connection held by the transaction in progress, and refuses once that transaction is over (as
 * Kysely's does after commit). The connection is taken through Kysely's own connection provider, so its mutex
 * still keeps every other query out while a transaction is open; `begin`, `commit` and `rollback` run as
 * statements prepared once.
 */
export function sqliteTransactions(db: Kysely<DB>, dialect: SqliteDialect, sqlite: SqliteHandle): RunTransaction {
  let held: DatabaseConnection | undefined;
  const holder: ConnectionProvider = {
    provideConnection(consumer) {
      if (!held) return Promise.reject(new Error('the transaction is over: it was committed or rolled back'));
      return consumer(held);
    },
  };
  const executor = db.getExecutor();
  const tx = new Transaction<DB>({
    config: { dialect, plugins: [...executor.plugins] },
    dialect,
    // Only Kysely's own transaction methods and destroy() use a driver, and a Transaction refuses those.
    driver: dialect.createDriver(),
    executor: executor.withConnectionProvider(holder),
  });
  const begin = sqlite.prepare('begin');
  const commit = sqlite.prepare('commit');
  const rollback = sqlite.prepare('rollback');
  return (fn) =>
    executor.provideConnection(async (connection) => {
      held = connection;
      let begun = false;
      try {
        begin.run();
        begun = true;
        const result = await fn(tx);
        commit.run();
        return result;
      } catch (err) {
        // A failed commit can leave the transaction open (SQLITE_BUSY, a deferred foreign key); after some
        // errors SQLite has rolled it back already. A failed begin opened none of ours to roll back.
        if (begun && sqlite.inTransaction) rollback.run();
        throw err;
      } finally {
        held = undefined;
      }
    });
}
