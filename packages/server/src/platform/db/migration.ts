import type { Kysely } from 'kysely';

/** The two SQL dialects Switchboard runs on. */
export type DialectName = 'sqlite' | 'postgres';

/**
 * A schema change owned by one module. `up` gets the dialect so a migration can pick a column type where
 * SQLite and PostgreSQL differ; most need not. (A leaf file, so that the modules' tables files, schema.ts and
 * the migrator do not import each other in a circle.)
 */
export interface ModuleMigration {
  /** Sorted globally: `NNNN_module_what`, e.g. `0001_orgs_create`. */
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as typed now
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}
