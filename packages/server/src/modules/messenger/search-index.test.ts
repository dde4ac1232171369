import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../platform/db/database.js';
import { migrateToLatest } from '../../platform/db/migrations.js';
import { until } from '../../test/waits.js';
import { SEARCH_INDEX_DELAY_MS, searchIndex } from './search-index.js';

// SQLite only: on PostgreSQL the index is an expression index written with the row (search.test.ts covers both).
describe('the SQLite message search index, filled behind the sends', () => {
  let dir: string;
  let database: Database;
  let seq = 0;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-search-index-'));
    database = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'test.db') });
    await migrateToLatest(database);
    // Messages only: the rows they belong to do not matter to the index.
    await sql`pragma foreign_keys = off`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const store = async (text: string): Promise<string> => {
    const id = `m${++seq}`;
    await sql`insert into messages (id, org_id, conversation_id, seq, sender_id, client_msg_id, text, created_at)
      values (${id}, 'o', 'c', ${seq}, 'u', ${id}, ${text}, ${seq})`.execute(database.db);
    return id;
  };
  /** The ids of the messages whose indexed text has `word`. */
  const found = async (word: string): Promise<string[]> => {
    const { rows } = await sql<{ id: string }>`select m.id from messages_fts f join messages m on m.rowid = f.rowid
      where messages_fts match ${word} order by m.id`.execute(database.db);
    return rows.map((r) => r.id);
  };
  const integrityCheck = () =>
    sql`insert into messages_fts (messages_fts, rank) values ('integrity-check', 1)`.execute(database.db);

  it('indexes stored messages at the catch-up, not in their own write', async () => {
    const index = searchIndex(database);
    const a = await store('quarterly invoices ready');
    const b = await store('invoices checked tomorrow');
    expect(await found('invoices')).toEqual([]);
    await index.catchUp();
    expect(await found('invoices')).toEqual([a, b]);
    await integrityCheck();
  });

  it('keeps edits and deletes right on both sides of the mark', async () => {
    const index = searchIndex(database);
    const indexed = await store('alpha original');
    await index.catchUp();
    const pending = await store('beta original');
    const gone = await store('gamma original');
    // An indexed message is re-indexed by its edit; a pending one is indexed later with its new text.
    await sql`update messages set text = 'alpha edited' where id = ${indexed}`.execute(database.db);
    await sql`update messages set text = 'beta edited' where id = ${pending}`.execute(database.db);
    await sql`delete from messages where id = ${gone}`.execute(database.db);
    expect(await found('alpha')).toEqual([indexed]);
    expect(await found('beta')).toEqual([]);
    await index.catchUp();
    expect(await found('edited')).toEqual([indexed, pending]);
    expect(await found('original')).toEqual([]);
    expect(await found('gamma')).toEqual([]);
    await integrityCheck();
  });

  it('indexes a message that took the rowid of a deleted, indexed top message', async () => {
    const index = searchIndex(database);
    const top = await store('delta first');
    await index.catchUp();
    const { rows } = await sql<{ rowid: number }>`select rowid from messages where id = ${top}`.execute(database.db);
    await sql`delete from messages where id = ${top}`.execute(database.db);
    // SQLite hands the highest rowid out again once its row is gone.
    const next = await store('delta second');
    const again = await sql<{ rowid: number }>`select rowid from messages where id = ${next}`.execute(database.db);
    expect(again.rows[0]?.rowid).toBe(rows[0]?.rowid);
    await index.catchUp();
    expect(await found('delta')).toEqual([next]);
    expect(await found('first')).toEqual([]);
    await integrityCheck();
  });

  it('catches up on its own shortly after soon()', async () => {
    const index = searchIndex(database);
    const id = await store('epsilon later');
    index.soon();
    index.soon(); // one timer for a burst
    expect(await found('epsilon')).toEqual([]);
    await until('the catch-up', async () => (await found('epsilon')).length === 1, SEARCH_INDEX_DELAY_MS * 10);
    expect(await found('epsilon')).toEqual([id]);
    index.stop();
  });
});
