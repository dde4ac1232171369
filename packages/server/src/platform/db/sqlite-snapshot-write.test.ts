import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

// The send batch on SQLite reads the conversations' last seq without locking the rows, then writes
// (send-batcher.ts, `lastSeqsForWrite`). That is safe only because SQLite refuses the write of a
// transaction whose snapshot another connection has since changed, instead of letting it overwrite.
describe('SQLite in WAL mode: a transaction that read, then writes', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('fails its first write when another connection committed since its read, and commits when none did', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-snapshot-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const a = new SqliteDatabase(file);
    a.pragma('journal_mode = WAL');
    a.exec('create table conversations (id text primary key, last_seq integer not null)');
    a.exec("insert into conversations values ('c1', 7)");
    const b = new SqliteDatabase(file);
    b.pragma('busy_timeout = 100');
    try {
      a.exec('begin');
      expect(a.prepare("select last_seq from conversations where id = 'c1'").get()).toEqual({ last_seq: 7 });
      b.exec("update conversations set last_seq = 8 where id = 'c1'"); // another writer takes seq 8
      expect(() => a.exec("update conversations set last_seq = 8 where id = 'c1'")).toThrow(
        expect.objectContaining({ code: expect.stringMatching(/^SQLITE_BUSY/) }),
      );
      a.exec('rollback');
      expect(b.prepare("select last_seq from conversations where id = 'c1'").get()).toEqual({ last_seq: 8 });

      // Nobody in between: the same read-then-write commits.
      a.exec('begin');
      const { last_seq } = a.prepare("select last_seq from conversations where id = 'c1'").get() as {
        last_seq: number;
      };
      a.prepare("update conversations set last_seq = ? where id = 'c1'").run(last_seq + 1);
      a.exec('commit');
      expect(b.prepare("select last_seq from conversations where id = 'c1'").get()).toEqual({ last_seq: 9 });
    } finally {
      a.close();
      b.close();
    }
  });
});
