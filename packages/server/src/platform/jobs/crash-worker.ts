/**
 * A worker process for the crash-safety test (`crash.test.ts`): runs the `crash.effect` handler against a
 * SQLite file until it is killed. Not part of the service.
 *
 * Usage: node --import tsx crash-worker.ts <sqlite file>
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { systemClock } from '../clock.js';
import { openDatabase } from '../db/database.js';
import { createDbJobQueue } from './db-queue.js';

const file = process.argv[2];
if (!file) throw new Error('usage: crash-worker.ts <sqlite file>');
const database = await openDatabase({ kind: 'sqlite', file });
const queue = createDbJobQueue(database, systemClock, {
  concurrency: 16,
  pollIntervalMs: 30,
  leaseMs: 400,
  heartbeatMs: 100,
  backoffBaseMs: 20,
  backoffMaxMs: 200,
});
queue.register({
  type: 'crash.effect',
  schema: z.object({ n: z.number() }),
  async handler({ n }, ctx) {
    await new Promise((r) => setTimeout(r, 40 + Math.random() * 40));
    const key = ctx.task.idempotencyKey ?? ctx.task.id;
    await sql`insert into crash_runs (key, pid) values (${key}, ${process.pid})`.execute(database.db);
    // The side effect is keyed by the idempotency key, so a re-run after a crash cannot repeat it.
    await sql`insert into crash_effects (key, n) values (${key}, ${n}) on conflict (key) do nothing`.execute(
      database.db,
    );
    return { n };
  },
});
await queue.start();
process.stdout.write('ready\n');
