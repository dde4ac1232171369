import { type DatabaseIntrospector, type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { migrations } from '../../schema.js';
import type { Database } from './database.js';
import type { DialectName, ModuleMigration } from './migration.js';

export type { ModuleMigration } from './migration.js';

function providerFor(dialect: DialectName, list: readonly ModuleMigration[]): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const m of list) {
        if (out[m.name]) throw new Error(`duplicate migration name ${m.name}`);
        out[m.name] = { up: (db) => m.up(db, dialect) };
      }
      return out;
    },
  };
}

/**
 * The migrator only asks the introspector whether its own two tables exist, but Kysely's PostgreSQL
 * introspector reads every table of every schema and resolves each by name: a schema another process drops
 * meanwhile (a parallel test file, another app) fails our migration with "relation … does not exist". So on
 * PostgreSQL the migrator sees the database through a view whose introspection looks at our schema only.
 */
function scopedToSchema<T>(db: Kysely<T>, schema: string): Kysely<T> {
  const introspection: DatabaseIntrospector = {
    async getSchemas() {
      const { rows } = await sql<{ name: string }>`
        select nspname as name from pg_catalog.pg_namespace where nspname = ${schema}`.execute(db);
      return rows;
    },
    async getTables() {
      const { rows } = await sql<{ name: string }>`
        select table_name as name from information_schema.tables where table_schema = ${schema}`.execute(db);
      return rows.map((r) => ({ name: r.name, schema, isView: false, columns: [] }));
    },
    async getMetadata() {
      return { tables: await this.getTables() };
    },
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'introspection') return introspection;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function migratorFor(database: Database, list: readonly ModuleMigration[]) {
  const { options } = database;
  return new Migrator({
    db: options.kind === 'postgres' ? scopedToSchema(database.db, options.schema ?? 'public') : database.db,
    provider: providerFor(database.dialect, list),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    // Name the schema: Kysely otherwise looks for its tables in every schema of the database, and another
    // schema's `schema_migrations` (another app's, or a parallel test's) would be taken for ours.
    ...(options.kind === 'postgres' ? { migrationTableSchema: options.schema ?? 'public' } : {}),
  });
}

/** Apply every pending migration; returns the names applied now. Safe to run from several nodes at once. */
export async function migrateToLatest(
  database: Database,
  list: readonly ModuleMigration[] = migrations,
): Promise<string[]> {
  const { error, results } = await migratorFor(database, list).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations this build knows that the database has not applied yet. */
export async function pendingMigrations(
  database: Database,
  list: readonly ModuleMigration[] = migrations,
): Promise<string[]> {
  const all = await migratorFor(database, list).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
