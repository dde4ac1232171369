import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { AppError } from '../errors.js';
import { type DatabaseOptions, openDatabase } from '../platform/db/database.js';
import { type BackupManifest, filesDirOf, MANIFEST, PG_DUMP, SQLITE_SNAPSHOT } from './backup.js';
import { type IntegrityReport, verifyRestore } from './integrity.js';
import { runCommand } from './run.js';
import { listTables } from './tables.js';

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Restore a backup archive into an empty target: the SQLite file must not exist yet, the PostgreSQL
 * database must have no tables (`isEmpty` tells). Returns the manifest to verify against.
 */
export async function restore(
  file: string,
  target: DatabaseOptions,
  dataDir: string,
  isEmpty: (manifest: BackupManifest) => Promise<boolean>,
): Promise<BackupManifest> {
  const staging = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-restore-'));
  try {
    await tar.x({ file, cwd: staging });
    const manifest = JSON.parse(await fs.readFile(path.join(staging, MANIFEST), 'utf8')) as BackupManifest;
    if (manifest.format !== 1 && manifest.format !== 2)
      throw new AppError('bad_request', `unknown backup format ${manifest.format}`);
    if (manifest.dialect !== target.kind) {
      throw new AppError(
        'bad_request',
        `this is a ${manifest.dialect} backup; the configured database is ${target.kind}`,
      );
    }
    if (!(await isEmpty(manifest)))
      throw new AppError('conflict', 'restore needs an empty database; this one has data');
    if (target.kind === 'sqlite') {
      await fs.mkdir(path.dirname(target.file), { recursive: true });
      await fs.copyFile(path.join(staging, SQLITE_SNAPSHOT), target.file);
    } else {
      await runCommand('pg_restore', [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        `--dbname=${target.url}`,
        path.join(staging, PG_DUMP),
      ]);
    }
    const filesDir = filesDirOf(manifest);
    if (await exists(path.join(staging, filesDir))) {
      await fs.cp(path.join(staging, filesDir), path.join(dataDir, filesDir), { recursive: true, force: false });
    }
    return manifest;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

function reopenOptions(target: DatabaseOptions, manifest: BackupManifest): DatabaseOptions {
  return target.kind === 'postgres' && manifest.schema ? { ...target, schema: manifest.schema } : target;
}

/** Whether the restore target holds nothing yet (for PostgreSQL: no table in the schema the backup fills). */
async function targetIsEmpty(target: DatabaseOptions, manifest: BackupManifest): Promise<boolean> {
  if (target.kind === 'sqlite') return !(await exists(target.file));
  const database = await openDatabase(reopenOptions(target, manifest));
  try {
    return (await listTables(database.db, 'postgres')).length === 0;
  } finally {
    await database.close();
  }
}

/**
 * `switchboard restore`: restore into an empty target, then check it against the manifest (row counts,
 * files, module invariants such as gap-free `seq`).
 */
export async function restoreAndVerify(
  file: string,
  target: DatabaseOptions,
  dataDir: string,
): Promise<{ manifest: BackupManifest; report: IntegrityReport }> {
  const manifest = await restore(file, target, dataDir, (m) => targetIsEmpty(target, m));
  const reopened = await openDatabase(reopenOptions(target, manifest));
  try {
    return { manifest, report: await verifyRestore(reopened, manifest, dataDir) };
  } finally {
    await reopened.close();
  }
}
