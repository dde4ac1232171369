import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messengerSeqContinuity } from '../modules/messenger/messenger.integrity.js';
import { messengerService } from '../modules/messenger/messenger.service.js';
import { recordingNotifier } from '../modules/messenger/notifier.js';
import { orgWithUsers, type TestUser } from '../modules/messenger/test/fixture.js';
import { openDatabase } from '../platform/db/database.js';
import { createPlatform, type Platform } from '../platform/platform.js';
import { testConfig } from '../test/config.js';
import { DATABASE_URL } from './harness.js';

/**
 * Two writers with their own connection pools (to PostgreSQL, two processes) sending into one
 * conversation at once: seqs stay unique and gap-free, and a retry that lands on both at once is stored once.
 * Fast enough for every PostgreSQL run; the process-level proof is in the other cluster tests.
 */
describe.skipIf(!DATABASE_URL)('messenger seq with two writers on separate pools [postgres]', () => {
  const schema = `sb_seq_${randomBytes(5).toString('hex')}`;
  const platforms: Platform[] = [];
  let users: TestUser[] = [];
  let conversationId = '';
  const services: ReturnType<typeof messengerService>[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const config = testConfig();
    for (let i = 0; i < 2; i++) {
      const database = await openDatabase({ kind: 'postgres', url: DATABASE_URL as string, poolMax: 5, schema });
      const platform = await createPlatform(config, { database });
      platforms.push(platform);
      services.push(messengerService(platform, recordingNotifier().notifier));
    }
    users = await orgWithUsers(platforms[0] as Platform, 6);
    const [owner, ...rest] = users as [TestUser, ...TestUser[]];
    conversationId = (
      await services[0]?.conversations.create(owner, {
        kind: 'group',
        name: 'seq',
        memberIds: rest.map((u) => u.userId),
      })
    )?.conversation.id as string;
  });
  afterAll(async () => {
    // The services first: closing one deletes its finished outbox rows, which needs the schema and the pools.
    for (const s of services) await s.close();
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute((platforms[0] as Platform).database.db);
    for (const p of platforms) await p.close();
  });

  it('6 senders × 50 sends alternating between the writers get seqs without gaps or repeats', async () => {
    // Each sender keeps one send in flight, as the SDK does; six run at once, so the writers interleave.
    const sender = async (u: TestUser, s: number) => {
      const seqs: number[] = [];
      for (let i = 0; i < 50; i++) {
        const svc = services[(s + i) % 2] as (typeof services)[0];
        seqs.push(
          (await svc.messages.send(u, conversationId, { clientMsgId: randomUUID(), text: `m${s}-${i}` })).message.seq,
        );
      }
      return seqs;
    };
    const perSender = await Promise.all(users.map(sender));
    for (const seqs of perSender) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const all = perSender.flat().sort((a, b) => a - b);
    expect(new Set(all).size).toBe(300);
    expect((all.at(-1) as number) - (all[0] as number)).toBe(299);
    expect(await messengerSeqContinuity((platforms[0] as Platform).database.db)).toEqual([]);
  }, 90_000);

  it('the same send arriving on both writers at once is stored once', async () => {
    const u = users[1] as TestUser;
    const body = { clientMsgId: randomUUID(), text: 'twice' };
    const results = await Promise.all(services.map((svc) => svc.messages.send(u, conversationId, body)));
    expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(results[0]?.message.id).toBe(results[1]?.message.id);
    expect(await messengerSeqContinuity((platforms[1] as Platform).database.db)).toEqual([]);
  });
});

// Two pools on one database need PostgreSQL; without DATABASE_URL the reason is shown (registered only then).
if (!DATABASE_URL)
  describe('messenger seq with two writers on separate pools', () => {
    it.skip('needs DATABASE_URL (PostgreSQL)', () => {});
  });
