import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { DB } from '../../schema.js';
import { CamelCase } from './camel-case.js';
import { runSqliteDirectly } from './compiled-query.js';
import type { DialectName } from './migration.js';
import { withNamedStatements } from './pg-named-statements.js';
import { sqliteCheckpointer } from './sqlite-checkpointer.js';
import { sqliteTransactions } from './sqlite-transactions.js';
import { withStatementCache } from './statement-cache.js';

export type { DialectName } from './migration.js';

/** The storage handle every repository receives. */
export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  /** Where the data lives, for logs: a file path or a redacted URL. */
  readonly location: string;
  /** How it was opened (backup and restore need the file or URL and schema). */
  readonly options: DatabaseOptions;
  /**
   * SQLite: while the checkpoint thread copies the last of the WAL so that it can start over, a promise the hot
   * write paths (send and write batchers) wait on before their next commit; otherwise undefined (no wait).
   * See sqlite-checkpointer.ts.
   */
  checkpointHold?(): Promise<void> | undefined;
  /**
   * Run `fn` in one transaction with `tx` bound to it; a throw rolls everything back. `tx` must not be used once
   * `fn`'s promise settled. Kysely's `db.transaction().execute(fn)` on PostgreSQL; on SQLite the same without
   * Kysely's objects per transaction (sqlite-transactions.ts).
   */
  transaction<T>(fn: (tx: Kysely<DB>) => Promise<T>): Promise<T>;
  /** Round-trip to the database; throws when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; poolMax: number; schema?: string };

// int8 (bigint) columns hold epoch milliseconds and counters, all far below 2^53: read them as numbers.
const pgTypes = (pg: typeof import('pg').default) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
});

// Code speaks camelCase, tables are snake_case.
const naming = new CamelCase();
const plugins = [naming];

export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * Open the database: a SQLite file in WAL mode, or a PostgreSQL pool. Fails fast with a readable error when
 * PostgreSQL is unreachable.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.kind === 'sqlite') return openSqlite(opts.file);
  return openPostgres(opts.url, opts.poolMax, opts.schema);
}

function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Past 64 MiB the WAL file is cut back after a checkpoint.
  sqlite.pragma('journal_size_limit = 67108864');
  // Checkpoints run on a thread of their own (sqlite-checkpointer.ts); an in-memory database has no WAL.
  const checkpointer = file === ':memory:' ? undefined : sqliteCheckpointer(sqlite, file);
  const statements = withStatementCache(sqlite);
  const dialect = new SqliteDialect({ database: statements });
  const db = new Kysely<DB>({ dialect, plugins });
  // Hot statements inside a transaction skip Kysely's per-statement machinery (compiled-query.ts).
  runSqliteDirectly(db, (text, parameters) => {
    const stmt = statements.prepare(text);
    if (stmt.reader) return stmt.all(parameters).map((row) => naming.row(row as Record<string, unknown>));
    stmt.run(parameters);
    return [];
  });
  return {
    db,
    dialect: 'sqlite',
    location: file,
    options: { kind: 'sqlite', file },
    checkpointHold: () => checkpointer?.hold(),
    transaction: sqliteTransactions(db, dialect, sqlite),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await checkpointer?.close();
      await db.destroy();
    },
  };
}

async function openPostgres(url: string, poolMax: number, schema?: string): Promise<Database> {
  // Loaded here, not at the top: an embedded (SQLite) start does not pay for loading the driver.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: 5000,
    types: pgTypes(pg),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }), plugins });
  const handle: Database = {
    db,
    dialect: 'postgres',
    location: redactUrl(url),
    options: { kind: 'postgres', url, poolMax, ...(schema ? { schema } : {}) },
    transaction: (fn) => db.transaction().execute(fn),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
  try {
    await handle.ping();
  } catch (err) {
    await db.destroy().catch(() => {});
    throw new Error(`cannot reach PostgreSQL at ${handle.location}: ${(err as Error).message}`);
  }
  return handle;
}
