import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteCheckpointer } from './sqlite-checkpointer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function open() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-checkpoint-'));
  dirs.push(dir);
  const file = path.join(dir, 'db.sqlite');
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('create table t (id integer primary key, body text not null)');
  return { sqlite, file, dir };
}

function write(sqlite: SqliteDatabase.Database, rows: number) {
  const insert = sqlite.prepare('insert into t (body) values (?)');
  for (let i = 0; i < rows; i++) insert.run('x'.repeat(500));
}

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

/** Rows readable from the database file alone: what checkpoints have copied out of the WAL. */
function rowsInMainFile(file: string, dir: string): number {
  const copy = path.join(dir, 'copy.sqlite');
  fs.copyFileSync(file, copy);
  const db = new SqliteDatabase(copy, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from t').get() as { n: number }).n;
  } catch {
    return 0; // the table itself is not in the file yet
  } finally {
    db.close();
  }
}

describe('sqliteCheckpointer', () => {
  it('copies committed pages into the database file from its own thread, not the writer', async () => {
    const { sqlite, file, dir } = open();
    // The backstop is far away: any page in the main file got there through the worker.
    const cp = sqliteCheckpointer(sqlite, file, { intervalMs: 10, startBytes: 0, backstopPages: 1_000_000 });
    try {
      write(sqlite, 2000);
      expect(rowsInMainFile(file, dir)).toBe(0);
      await waitFor(() => cp.done >= 1 && rowsInMainFile(file, dir) === 2000);
      expect(cp.running).toBe(true);
      expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000_000);
    } finally {
      await cp.close();
      sqlite.close();
    }
  });

  it('keeps the WAL from growing under a writer that never pauses, by holding its commits for one checkpoint', async () => {
    const { sqlite, file } = open();
    // The backstop is far away: the writer never checkpoints itself, so only the worker can make the WAL start over.
    const cp = sqliteCheckpointer(sqlite, file, {
      intervalMs: 5,
      startBytes: 0,
      backstopPages: 1_000_000,
      resetFrames: 200,
      holdMaxMs: 5000,
    });
    const insert = sqlite.prepare('insert into t (body) values (?)');
    const batch = sqlite.transaction(() => {
      for (let i = 0; i < 20; i++) insert.run('x'.repeat(500));
    });
    let held = 0;
    let restarts = 0;
    let last = 0;
    try {
      // A commit every turn (~4.5 frames each): a passive checkpoint always has later commits to miss, so without
      // a hold the WAL is never wholly copied, never starts over, and its frame count only grows.
      for (let i = 0; i < 20_000 && restarts < 3; i++) {
        const hold = cp.hold();
        if (hold) {
          held++;
          await hold;
        }
        batch();
        if (cp.frames < last) restarts++;
        last = cp.frames;
        await new Promise((r) => setImmediate(r));
      }
      expect(held).toBeGreaterThan(0);
      // It started over again and again: a checkpoint found fewer frames in the WAL than the one before.
      expect(restarts).toBe(3);
    } finally {
      await cp.close();
      sqlite.close();
    }
  });

  it('starts no thread while the WAL is below its start size, and closes cleanly', async () => {
    const { sqlite, file } = open();
    const cp = sqliteCheckpointer(sqlite, file, { intervalMs: 10, startBytes: 64 * 1024 * 1024 });
    write(sqlite, 10);
    await new Promise((r) => setTimeout(r, 50));
    expect([cp.running, cp.done]).toEqual([false, 0]);
    await cp.close();
    sqlite.close();
    // The last connection to close checkpoints and removes the WAL: nothing else held the file.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('closes its worker before the writer closes, so the writer is the last connection', async () => {
    const { sqlite, file } = open();
    const cp = sqliteCheckpointer(sqlite, file, { intervalMs: 10, startBytes: 0 });
    write(sqlite, 100);
    await waitFor(() => cp.done >= 1);
    await cp.close();
    expect(cp.running).toBe(false);
    sqlite.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('lets a script whose last step is closing it finish (the thread holds the process while it closes)', () => {
    const { dir } = open();
    // A script with nothing else to wait for than the close: with the thread unref'd throughout, Node ended
    // the process mid-close with exit code 13 (a benchmark's seed step did, once its WAL had started the thread).
    const script = path.join(dir, 'close-last.mjs');
    const checkpointer = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sqlite-checkpointer.ts');
    fs.writeFileSync(
      script,
      `import { createRequire } from 'node:module';
      import { sqliteCheckpointer } from ${JSON.stringify(checkpointer)};
      const Database = createRequire(${JSON.stringify(checkpointer)})('better-sqlite3');
      const file = ${JSON.stringify(path.join(dir, 'script.sqlite'))};
      const sqlite = new Database(file);
      sqlite.pragma('journal_mode = WAL');
      sqlite.exec('create table t (id integer primary key, body text not null)');
      const cp = sqliteCheckpointer(sqlite, file, { intervalMs: 10, startBytes: 0 });
      const insert = sqlite.prepare('insert into t (body) values (?)');
      for (let i = 0; i < 100; i++) insert.run('x'.repeat(500));
      while (cp.done < 1) await new Promise((r) => setTimeout(r, 10));
      await cp.close();
      sqlite.close();
      console.log('closed');`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 0, stdout: 'closed' });
  });

  it('gives the checkpoints back to the writer when its thread fails', async () => {
    const { sqlite, dir } = open();
    // The worker cannot open a file that is not there: its thread ends with an error.
    const cp = sqliteCheckpointer(sqlite, path.join(dir, 'missing.sqlite'), { intervalMs: 10, startBytes: 0 });
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(16_000);
    await waitFor(() => sqlite.pragma('wal_autocheckpoint', { simple: true }) === 4000);
    expect(cp.running).toBe(false);
    await cp.close();
    sqlite.close();
  });
});
