import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Config } from '../config.js';
import { type Database, type DialectName, openDatabase } from '../platform/db/database.js';
import { createPlatform, type Platform } from '../platform/platform.js';
import { testConfig } from './config.js';

/** PostgreSQL for the conformance suite; read here and only here, as tests are not the product. */
const DATABASE_URL = process.env.DATABASE_URL;

export interface StorageTarget {
  dialect: DialectName;
  /** A fresh, empty, unmigrated database, isolated from every other test file. */
  open(config: Config): Promise<{ database: Database; drop(): Promise<void> }>;
}

const sqliteTarget: StorageTarget = {
  dialect: 'sqlite',
  async open(config) {
    const database = await openDatabase({ kind: 'sqlite', file: path.join(config.dataDir, 'test.db') });
    return { database, drop: async () => {} };
  },
};

/** Each test file gets its own PostgreSQL schema, dropped afterwards, so files run in parallel safely. */
const postgresTarget = (url: string): StorageTarget => ({
  dialect: 'postgres',
  async open() {
    const schema = `sb_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const database = await openDatabase({ kind: 'postgres', url, poolMax: 10, schema });
    return {
      database,
      async drop() {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
      },
    };
  },
});

export const storageTargets: StorageTarget[] = [sqliteTarget, ...(DATABASE_URL ? [postgresTarget(DATABASE_URL)] : [])];

export interface StorageContext {
  platform: Platform;
  config: Config;
}

/**
 * Run `body` once per storage backend: SQLite always, PostgreSQL when `DATABASE_URL` is set. The suite's
 * platform is migrated and isolated; `ctx()` returns it inside tests and hooks.
 *
 * @example
 * ```ts
 * describeStorage('orgs', (ctx) => { it('creates', async () => { await orgsService(ctx().platform).create(…); }); });
 * ```
 */
export function describeStorage(
  title: string,
  body: (ctx: () => StorageContext) => void,
  env: Record<string, string> = {},
) {
  for (const target of storageTargets) {
    describe(`${title} [${target.dialect}]`, () => {
      let context: StorageContext | undefined;
      let drop: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        const config = testConfig(env);
        const opened = await target.open(config);
        drop = opened.drop;
        context = { config, platform: await createPlatform(config, { database: opened.database }) };
      });
      afterAll(async () => {
        await drop?.();
        await context?.platform.close();
      });
      body(() => {
        if (!context) throw new Error('storage context used outside a test');
        return context;
      });
    });
  }
  if (!DATABASE_URL) {
    describe.skipIf(true)(`${title} [postgres] — skipped: set DATABASE_URL to run against PostgreSQL`, () => {
      body(() => {
        throw new Error('unreachable');
      });
    });
  }
}
