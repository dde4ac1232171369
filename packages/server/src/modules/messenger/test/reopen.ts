import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../../../config.js';
import { type Database, openDatabase } from '../../../platform/db/database.js';
import { createPlatform, type Platform } from '../../../platform/platform.js';

/** The database the storage suite gave `platform`, opened again from scratch — as a restarted process would. */
export async function reopenPlatform(platform: Platform, config: Config): Promise<Platform> {
  let database: Database;
  if (platform.database.dialect === 'sqlite') {
    database = await openDatabase({ kind: 'sqlite', file: path.join(config.dataDir, 'test.db') });
  } else {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(platform.database.db);
    const url = process.env.DATABASE_URL;
    if (!url || !rows[0]) throw new Error('reopen needs DATABASE_URL');
    database = await openDatabase({ kind: 'postgres', url, poolMax: 10, schema: rows[0].schema });
  }
  return createPlatform(config, { database });
}
