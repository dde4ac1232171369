import { type Migration, type MigrationProvider, Migrator } from 'kysely';
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

function migratorFor(database: Database, list: readonly ModuleMigration[]) {
  return new Migrator({
    db: database.db,
    provider: providerFor(database.dialect, list),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    // Name the schema: Kysely otherwise looks for its tables in every schema of the database, and another
    // schema's `schema_migrations` (another app's, or a parallel test's) would be taken for ours.
    ...(database.options.kind === 'postgres' ? { migrationTableSchema: database.options.schema ?? 'public' } : {}),
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
