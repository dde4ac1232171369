import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseOptions } from '../platform/db/database.js';

/** A fresh restore target of the same kind: a new SQLite path, or a new PostgreSQL database. */
export async function freshTarget(source: DatabaseOptions) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-restore-test-'));
  if (source.kind === 'sqlite') {
    return {
      dataDir,
      target: { kind: 'sqlite', file: path.join(dataDir, 'switchboard.db') } as const,
      drop: async () => {},
    };
  }
  const { default: pg } = await import('pg');
  const name = `sb_restore_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: source.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(source.url);
  url.pathname = `/${name}`;
  return {
    dataDir,
    target: { kind: 'postgres', url: url.toString(), poolMax: 2 } as const,
    async drop() {
      const c = new pg.Client({ connectionString: source.url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
