import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { filesHaveBytes } from '../modules/files/files.integrity.js';
import { messengerSeqContinuity } from '../modules/messenger/messenger.integrity.js';
import type { Database } from '../platform/db/database.js';
import { type BackupManifest, BLOB_DIR, filesDirOf } from './backup.js';
import { countRows } from './tables.js';

/** What a module's check may look at: the restored database and the restored disk blob store. */
export interface IntegrityContext {
  // biome-ignore lint/suspicious/noExplicitAny: checks read whatever tables the database holds
  db: Kysely<any>;
  dialect: Database['dialect'];
  /** Whether the disk blob store holds `key` (platform/blob keys, e.g. `files/<org>/<id>`). */
  hasBlob(key: string): Promise<boolean>;
}

export type IntegrityCheck = (ctx: IntegrityContext) => Promise<string[]>;

/**
 * Checks a module adds for its own invariants (e.g. the messenger's gap-free `seq`); each returns the
 * problems it found, empty when all is well.
 */
export const integrityChecks: readonly { name: string; check: IntegrityCheck }[] = [
  { name: 'messenger seq continuity', check: ({ db }) => messengerSeqContinuity(db) },
  { name: 'files have their bytes', check: filesHaveBytes },
];

export interface IntegrityReport {
  ok: boolean;
  problems: string[];
  tables: Record<string, number>;
}

/** Compare a restored database and blob folder with the backup's manifest, then run the module checks. */
export async function verifyRestore(
  database: Database,
  manifest: BackupManifest,
  dataDir: string,
): Promise<IntegrityReport> {
  const problems: string[] = [];
  const tables = await countRows(database.db, database.dialect);
  for (const [table, expected] of Object.entries(manifest.tables)) {
    if (tables[table] !== expected)
      problems.push(`table ${table}: ${tables[table] ?? 'missing'} rows, backup had ${expected}`);
  }
  for (const f of manifest.files) {
    const stat = await fs.stat(path.join(dataDir, filesDirOf(manifest), f.path)).catch(() => undefined);
    if (!stat) problems.push(`file ${f.path} is missing`);
    else if (stat.size !== f.bytes) problems.push(`file ${f.path}: ${stat.size} bytes, backup had ${f.bytes}`);
  }
  const ctx: IntegrityContext = {
    db: database.db,
    dialect: database.dialect,
    hasBlob: (key) =>
      fs.stat(path.join(dataDir, BLOB_DIR, key)).then(
        (s) => s.isFile(),
        () => false,
      ),
  };
  for (const { name, check } of integrityChecks) {
    for (const p of await check(ctx)) problems.push(`${name}: ${p}`);
  }
  return { ok: problems.length === 0, problems, tables };
}
