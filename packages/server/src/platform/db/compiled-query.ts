import { type Compilable, type CompiledQuery, type Kysely, type KyselyPlugin, SqliteAdapter } from 'kysely';
import type { DB } from '../../schema.js';

const MAX_SHAPES = 256;

/** Stands in for one value while a query is built: its place in the call's flattened values. */
class Slot {
  constructor(readonly index: number) {}
}

const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * Walk `values` in a fixed order: the leaves (strings, numbers, null, buffers…) go to `flat`, and `shape` gets
 * what decides the SQL — array lengths, object keys, undefined.
 */
function walk(v: unknown, flat: unknown[], shape: string[]): void {
  if (v === undefined) shape.push('u');
  else if (Array.isArray(v)) {
    shape.push(`[${v.length}`);
    for (const x of v) walk(x, flat, shape);
    shape.push(']');
  } else if (isPlain(v)) {
    shape.push('{');
    for (const k in v) {
      shape.push(k, ':');
      walk(v[k], flat, shape);
    }
    shape.push('}');
  } else {
    shape.push('.');
    flat.push(v);
  }
}

/** A copy of `values` whose leaves are `Slot`s (numbered in `walk`'s order), for building the query. */
function withSlots(v: unknown, next: { index: number }): unknown {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.map((x) => withSlots(x, next));
  if (isPlain(v)) {
    const out: Record<string, unknown> = {};
    for (const k in v) out[k] = withSlots(v[k], next);
    return out;
  }
  return new Slot(next.index++);
}

/** Runs a compiled statement on a SQLite connection without Kysely, returning rows as Kysely would. */
export type DirectRunner = (sql: string, parameters: readonly unknown[]) => unknown[];

// Per database (its adapter: transactions share their database's), with the plugins its rows are mapped for.
const directRunners = new WeakMap<object, { run: DirectRunner; plugins: readonly KyselyPlugin[] }>();

const samePlugins = (a: readonly KyselyPlugin[], b: readonly KyselyPlugin[]) =>
  a.length === b.length && a.every((plugin, i) => plugin === b[i]);

/**
 * Let `compiledQuery` run this SQLite database's statements itself inside a transaction (database.ts). Kysely's
 * path for one statement — its executor, connection provider and result plugins, each an async step — made
 * more garbage than the statement's own values and rows (docs/performance.md). Only inside a transaction: it
 * holds the one connection, so a statement run directly cannot land in another caller's open transaction. `run`
 * must map rows as `db`'s plugins do; a handle with other plugins (`withPlugin`) keeps Kysely's path.
 */
export function runSqliteDirectly(db: Kysely<DB>, run: DirectRunner): void {
  const executor = db.getExecutor();
  directRunners.set(executor.adapter, { run, plugins: executor.plugins });
}

/**
 * A hot query that Kysely builds and compiles once per shape, then runs with each call's values: building a
 * query through Kysely (parsing, the camelCase plugin's rewrite, compiling) cost about as much CPU as SQLite
 * ran it (docs/performance.md). `build` gets stand-ins for the values, so it must pass them to Kysely as
 * values only — never test, convert or serialise them. What does decide the SQL (an array's length, which keys
 * an object has, an undefined) is part of the shape, and each shape is compiled on first use, per database.
 *
 * ```ts
 * const byId = compiledQuery((db, v: { id: string }) => db.selectFrom('jobs').selectAll().where('id', '=', v.id));
 * const rows = await byId(db, { id }); // db may be a transaction
 * ```
 */
export function compiledQuery<V, O>(build: (db: Kysely<DB>, values: V) => Compilable<O>) {
  // Per database (its adapter), since each has its own dialect and plugins; transactions share their database's.
  const compiled = new WeakMap<object, Map<string, CompiledQuery<O>>>();
  return async (db: Kysely<DB>, values: V): Promise<O[]> => {
    const flat: unknown[] = [];
    const shape: string[] = [];
    walk(values, flat, shape);
    const key = shape.join('');
    const executor = db.getExecutor();
    const adapter = executor.adapter;
    let byShape = compiled.get(adapter);
    if (!byShape) {
      byShape = new Map();
      compiled.set(adapter, byShape);
    }
    let query = byShape.get(key);
    if (!query) {
      query = build(db, withSlots(values, { index: 0 }) as V).compile();
      // Shapes come from the code's own batch sizes; a bound keeps a caller's odd list lengths from piling up.
      if (byShape.size < MAX_SHAPES) byShape.set(key, query);
    }
    const parameters = query.parameters.map((p) => (p instanceof Slot ? flat[p.index] : p));
    const direct = db.isTransaction ? directRunners.get(adapter) : undefined;
    if (direct && samePlugins(executor.plugins, direct.plugins)) return direct.run(query.sql, parameters) as O[];
    const result = await db.executeQuery<O>({ ...query, parameters });
    return result.rows;
  };
}

/**
 * A hot insert of many rows: on SQLite one single-row statement per row, on PostgreSQL one statement for all
 * of them. SQLite keeps a statement journal for a statement that writes several rows and could fail part-way
 * (a constraint), so that it can undo that statement alone: every page the statement changes is copied there
 * first, and past 64 KiB the journal spills to a temporary file. A single-row insert needs none. Rows into a
 * table with two indexes cost 2.5× less this way than in one 27-row `VALUES` statement (docs/performance.md).
 * That pays where a batch's rows land on many pages (index entries spread over conversations); rows whose keys
 * only grow touch a few pages, and there one statement costs less than the calls. On PostgreSQL every
 * statement is a round trip, so the rows go together. Either way the rows are stored all or none: outside a
 * transaction, SQLite's rows get one of their own. `build` gets the rows as `compiledQuery` values
 * (stand-ins), and each row must have the same keys.
 *
 * ```ts
 * const insertNotes = compiledInsert((db, rows: NoteRow[]) => db.insertInto('notes').values(rows));
 * await insertNotes(tx, rows);
 * ```
 */
export function compiledInsert<R>(build: (db: Kysely<DB>, rows: R[]) => Compilable<unknown>) {
  const insert = compiledQuery((db, v: { rows: R[] }) => build(db, v.rows));
  const oneByOne = async (db: Kysely<DB>, rows: readonly R[]) => {
    for (const row of rows) await insert(db, { rows: [row] });
  };
  return async (db: Kysely<DB>, rows: readonly R[]): Promise<void> => {
    if (rows.length === 0) return;
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) await insert(db, { rows: [...rows] });
    // All rows or none, as one statement would: outside a transaction, the rows get one of their own.
    else if (db.isTransaction || rows.length === 1) await oneByOne(db, rows);
    else await db.transaction().execute((tx) => oneByOne(tx, rows));
  };
}

/**
 * The values of an `IN (…)` list, repeated at the end up to the next power of two: a list of any length then
 * takes one of a few shapes (and compiled statements) instead of one per length. Repeats do not change what
 * `IN` matches.
 */
export function inList<T>(values: readonly T[]): T[] {
  const out = [...values];
  const last = out.at(-1);
  if (last === undefined) return out;
  let size = 1;
  while (size < out.length) size *= 2;
  while (out.length < size) out.push(last);
  return out;
}
