import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CamelCasePlugin, type CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/db/database.js';
import { migrateToLatest } from '../../platform/db/migrations.js';
import type { DB } from '../../schema.js';
import { conversationsRepo } from './conversations.repo.js';

/**
 * The send batch's statements that pick conversations by a list of ids must go through the primary key on
 * SQLite, however many ids: read through the org index, each batch visited every conversation of the org.
 */
describe('conversations repo on SQLite: id lists through the primary key', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-conv-plan-'));
  const file = path.join(dir, 'plan.db');
  let raw: SqliteDatabase.Database;
  let db: Kysely<DB>;
  const seen: CompiledQuery[] = [];
  const orgId = randomUUID();

  beforeAll(async () => {
    // The app's own migrations, then a second connection that logs what the repo runs.
    const migrated = await openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(migrated);
    await migrated.close();
    raw = new SqliteDatabase(file);
    db = new Kysely<DB>({
      dialect: new SqliteDialect({ database: raw }),
      plugins: [new CamelCasePlugin()],
      log: (e) => {
        if (e.level === 'query') seen.push(e.query);
      },
    });
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const plan = (q: CompiledQuery) =>
    (raw.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ');

  it.each([1, 4, 8, 50])('reads and moves the last seqs of %i conversations by id', async (n) => {
    const ids = Array.from({ length: n }, () => randomUUID());
    const repo = conversationsRepo(db);
    seen.length = 0;
    await repo.lastSeqsForWrite(orgId, ids);
    await repo.setLastSeqMany(orgId, new Map(ids.map((id, i) => [id, i])), 1);
    expect(seen).toHaveLength(2);
    for (const q of seen) {
      expect(q.sql).toContain('org_id');
      expect(plan(q)).toMatch(/sqlite_autoindex_conversations_1 \(id=\?\)/);
    }
  });
});
