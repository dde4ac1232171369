import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/config.js';
import { type Database, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrations.js';
import { systemClock } from '../platform.js';
import { createDbJobQueue } from './db-queue.js';
import { waitFor } from './test-waits.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const TASKS = 1000;
const KILLS = 10;

/**
 * The worker as one ESM file (npm packages left external), so each of the 11 starts skips tsx's loader:
 * on a busy 2-core machine that is seconds per start. Written under node_modules/.cache so the external
 * packages resolve. Falls back to `--import tsx` when esbuild (a tsx dependency) is not importable.
 */
async function workerCommand(): Promise<string[]> {
  const source = path.join(here, 'crash-worker.ts');
  try {
    const esbuild = await import('esbuild');
    const outfile = path.resolve(
      here,
      '../../../../../node_modules/.cache/switchboard',
      `crash-worker-${process.pid}.mjs`,
    );
    await esbuild.build({
      entryPoints: [source],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      plugins: [
        {
          name: 'external-npm',
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, (args) =>
              args.path.startsWith('@switchboard/') ? undefined : { path: args.path, external: true },
            );
          },
        },
      ],
    });
    return [outfile];
  } catch {
    return ['--import', 'tsx', source];
  }
}

let command: string[] = [];

function startWorker(file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...command, file], {
    cwd: here,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    child.stdout?.on('data', (d: Buffer) => {
      if (String(d).includes('ready')) resolve(child);
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const count = async (db: Database, where: ReturnType<typeof sql>) =>
  Number((await sql<{ n: number }>`select count(*) as n from jobs where ${where}`.execute(db.db)).rows[0]?.n);

describe('crash safety: a worker process killed with SIGKILL 10 times', () => {
  let database: Database;
  let file: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    command = await workerCommand();
    file = path.join(testConfig().dataDir, 'crash.db');
    database = await openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(database);
    await sql`create table crash_effects (key text primary key, n integer not null)`.execute(database.db);
    await sql`create table crash_runs (key text not null, pid integer not null)`.execute(database.db);
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) await kill(child);
    if (command.length === 1) fs.rmSync(command[0] as string, { force: true });
    await database.close();
  });

  it('ends with all 1,000 tasks succeeded, each side effect once, none stuck running', {
    timeout: 90_000,
  }, async () => {
    // This process only submits: it never starts workers.
    const submitter = createDbJobQueue(database, systemClock);
    const submit = (i: number) =>
      submitter.submit({ type: 'crash.effect', payload: { n: i }, idempotencyKey: `k${i}`, maxAttempts: 25 });
    const t0 = Date.now();
    for (let i = 0; i < TASKS; i++) await submit(i);
    const t1 = Date.now();

    const runningAtKill: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      child = await startWorker(file);
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      runningAtKill.push(await count(database, sql`state = 'running'`));
      await kill(child);
      // Clients retrying their submits while the worker is down get the same tasks back.
      const again = await Promise.all(Array.from({ length: 20 }, () => submit(Math.floor(Math.random() * TASKS))));
      expect(again.every((r) => r.duplicate)).toBe(true);
    }
    const doneBeforeLast = await count(database, sql`state = 'succeeded'`);
    const t2 = Date.now();
    child = await startWorker(file);
    const t3 = Date.now();
    await waitFor(async () => (await count(database, sql`state = 'succeeded'`)) === TASKS, 60_000);
    await kill(child);
    const t4 = Date.now();

    expect(await count(database, sql`1 = 1`)).toBe(TASKS);
    expect(await count(database, sql`state <> 'succeeded'`)).toBe(0);
    const effects = await sql<{ n: number; keys: number }>`
      select count(*) as n, count(distinct key) as keys from crash_effects`.execute(database.db);
    expect(effects.rows[0]).toEqual({ n: TASKS, keys: TASKS });
    const runs = await sql<{ n: number }>`select count(*) as n from crash_runs`.execute(database.db);
    // Every kill landed mid-run, and the run was still unfinished when the last kill came.
    expect(runningAtKill.every((n) => n > 0)).toBe(true);
    expect(doneBeforeLast).toBeLessThan(TASKS);
    console.info(
      `crash test: ${KILLS} kills, running at each kill ${runningAtKill.join(',')}, ` +
        `${doneBeforeLast} done before the last worker, ${runs.rows[0]?.n} handler completions for ${TASKS} effects; ` +
        `submit ${t1 - t0} ms, kill cycles ${t2 - t1} ms, last start ${t3 - t2} ms, last drain ${t4 - t3} ms`,
    );
  });
});
