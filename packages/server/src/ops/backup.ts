import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import * as tar from 'tar';
import type { Database, DialectName } from '../platform/db/database.js';
import { VERSION } from '../version.js';
import { runCommand } from './run.js';
import { appliedMigrations, countRows } from './tables.js';

/** What a backup archive holds besides the data: enough to verify a restore. */
export interface BackupManifest {
  /** 1: files were read from `DATA_DIR/files` (which held no uploads); 2: the blob store's `DATA_DIR/blobs`. */
  format: 1 | 2;
  version: string;
  createdAt: string;
  dialect: DialectName;
  /** The PostgreSQL schema dumped, when not the default. */
  schema?: string;
  migrations: string[];
  /** Row counts of every table, taken from the same snapshot as the data. */
  tables: Record<string, number>;
  /** Every file of the disk blob store, relative to its folder (`BLOB_DIR`; `files` in format 1). */
  files: { path: string; bytes: number }[];
}

/** The disk blob store's folder under DATA_DIR, and its name inside the archive (platform/blob/blob.ts). */
export const BLOB_DIR = 'blobs';

/** Where a manifest's `files` live under DATA_DIR (and in the archive). */
export const filesDirOf = (manifest: Pick<BackupManifest, 'format'>) => (manifest.format === 1 ? 'files' : BLOB_DIR);

export const MANIFEST = 'manifest.json';
export const SQLITE_SNAPSHOT = 'database.sqlite';
export const PG_DUMP = 'database.pgdump';

async function listFiles(root: string, dir = ''): Promise<{ path: string; bytes: number }[]> {
  const entries = await fs.readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
  const out: { path: string; bytes: number }[] = [];
  for (const e of entries) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)));
    else if (e.isFile()) out.push({ path: rel, bytes: (await fs.stat(path.join(root, rel))).size });
  }
  return out;
}

/** SQLite: `VACUUM INTO` writes a consistent copy while writers go on; counts are read from that copy. */
async function snapshotSqlite(database: Database, staging: string) {
  const file = path.join(staging, SQLITE_SNAPSHOT);
  await sql`vacuum into ${file}`.execute(database.db);
  const copy = new Kysely({ dialect: new SqliteDialect({ database: new SqliteDatabase(file, { readonly: true }) }) });
  try {
    return { tables: await countRows(copy, 'sqlite'), migrations: await appliedMigrations(copy) };
  } finally {
    await copy.destroy();
  }
}

/**
 * PostgreSQL: a repeatable-read transaction exports its snapshot; pg_dump dumps exactly that snapshot and
 * the counts are read inside the same transaction, so manifest and dump agree while writers go on.
 */
async function snapshotPostgres(database: Database, staging: string) {
  if (database.options.kind !== 'postgres') throw new Error('not a PostgreSQL database');
  const { url, schema } = database.options;
  return database.db.connection().execute(async (conn) => {
    await sql`begin isolation level repeatable read read only`.execute(conn);
    try {
      const { rows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(conn);
      const snapshot = rows[0]?.id ?? '';
      await runCommand('pg_dump', [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--snapshot=${snapshot}`,
        ...(schema ? [`--schema=${schema}`] : []),
        `--file=${path.join(staging, PG_DUMP)}`,
        `--dbname=${url}`,
      ]);
      return { tables: await countRows(conn, 'postgres'), migrations: await appliedMigrations(conn) };
    } finally {
      await sql`commit`.execute(conn);
    }
  });
}

/**
 * Write a consistent online backup of the database and the disk blob store (attachments and thumbnails,
 * `DATA_DIR/blobs`) to `file` (a .tar.gz with a manifest). Writers are not stopped. An S3 blob store is not
 * copied: back up the bucket with the store's own tools (docs/operations.md).
 */
export async function backup(database: Database, dataDir: string, file: string): Promise<BackupManifest> {
  const staging = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-backup-'));
  try {
    const snap =
      database.dialect === 'sqlite'
        ? await snapshotSqlite(database, staging)
        : await snapshotPostgres(database, staging);
    // Stored files are write-once under random ids, so copying after the snapshot can only add files the
    // snapshot does not reference yet; it never misses one it does.
    const blobsDir = path.join(dataDir, BLOB_DIR);
    const files = await listFiles(blobsDir);
    if (files.length) await fs.cp(blobsDir, path.join(staging, BLOB_DIR), { recursive: true });
    const manifest: BackupManifest = {
      format: 2,
      version: VERSION,
      createdAt: new Date().toISOString(),
      dialect: database.dialect,
      ...(database.options.kind === 'postgres' && database.options.schema ? { schema: database.options.schema } : {}),
      migrations: snap.migrations,
      tables: snap.tables,
      files,
    };
    await fs.writeFile(path.join(staging, MANIFEST), JSON.stringify(manifest, null, 2));
    await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await tar.c({ gzip: true, file, cwd: staging, portable: true }, await fs.readdir(staging));
    return manifest;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}
