import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Actor } from '../../actor.js';
import type { Platform } from '../../platform/platform.js';
import { createOrgWithUsers } from '../../test/auth.js';
import { describeStorage } from '../../test/storage.js';
import { presenceService } from '../presence/presence.service.js';
import { DAY, expected, type Row, rng, T0 } from './dashboard.fixtures.js';
import { EMPTY_CONVERSATION } from './dashboard.recorder.js';
import { dashboardRepo } from './dashboard.repo.js';
import { bucketRange, histogramBucket, rebuildRollup } from './dashboard.rollup.js';
import { dashboardService } from './dashboard.service.js';

const HOUR = 3_600_000;

/** The rollup tables of an org, zero rows left out (a decrement may leave one behind). */
async function rollupOf(platform: Platform, orgId: string) {
  const { db } = platform.database;
  const nonZero = (r: Record<string, unknown>) =>
    Object.entries(r).some(
      ([k, v]) => !['orgId', 'day', 'agentId', 'topic', 'channel', 'duration', 'bucket'].includes(k) && Number(v) !== 0,
    );
  const norm = (rows: Record<string, unknown>[]) =>
    rows
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])))
      .filter(nonZero)
      .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  return {
    daily: norm(await db.selectFrom('dashboardDaily').selectAll().where('orgId', '=', orgId).execute()),
    load: norm(await db.selectFrom('dashboardAgentLoad').selectAll().where('orgId', '=', orgId).execute()),
    histogram: norm(await db.selectFrom('dashboardHistogram').selectAll().where('orgId', '=', orgId).execute()),
  };
}

describeStorage('dashboard rollup maintenance', (ctx) => {
  it('keeps the rollup equal to a rebuild, and every KPI exact, while conversations change after they were recorded', async () => {
    const { platform } = ctx();
    const org = await createOrgWithUsers(platform);
    const orgId = org.org.id;
    const agents = [org.users.agent.id, org.users.admin.id, org.users.supervisor.id];
    const repo = dashboardRepo(platform.database);
    const r = rng(11);
    const ids: { id: string; startedAt: number }[] = [];
    for (let i = 0; i < 60; i++) {
      const startedAt = T0 + Math.floor(i / 15) * DAY + r(24) * HOUR + r(1000);
      const id = randomUUID();
      ids.push({ id, startedAt });
      await repo.start({
        ...EMPTY_CONVERSATION,
        conversationId: id,
        orgId,
        startedAt,
        channel: r(2) ? 'widget' : 'web',
        updatedAt: startedAt,
      });
    }
    // A second start of a known conversation changes nothing.
    const first = ids[0] as { id: string; startedAt: number };
    expect(
      await repo.start({
        ...EMPTY_CONVERSATION,
        conversationId: first.id,
        orgId,
        startedAt: first.startedAt,
        channel: 'web',
        status: 'x',
        messages: 5,
        updatedAt: 0,
      }),
    ).toBe(false);
    // Events in random order: answers, escalations, hand-overs between agents, resolution, ratings (and
    // re-ratings), topics, drafts and decisions, each changing the conversation's rollup key or sums.
    for (let step = 0; step < 600; step++) {
      const { id, startedAt } = ids[r(ids.length)] as { id: string; startedAt: number };
      const at = startedAt + 1000 + r(5 * HOUR);
      const agent = agents[r(agents.length)] as string;
      switch (r(9)) {
        case 0:
          await repo.message(orgId, id, r(2) === 0, at);
          break;
        case 1:
          await repo.status(orgId, id, 'human_requested', null, at);
          break;
        case 2:
          await repo.status(orgId, id, 'human_active', agent, at);
          break;
        case 3:
          await repo.status(orgId, id, 'resolved', null, at);
          break;
        case 4:
          await repo.outcome(orgId, id, { at, csat: 1 + r(5) });
          break;
        case 5:
          await repo.outcome(orgId, id, { at, topic: ['billing', 'account'][r(2)] as string });
          break;
        case 6:
          await repo.outcome(orgId, id, {
            at,
            escalationReason: ['customer_request', 'approval_timeout', 'draft_rejected'][r(3)] as string,
          });
          break;
        case 7:
          await repo.outcome(orgId, id, { at, counter: r(2) ? 'autoSent' : 'queued' });
          break;
        default: {
          const outcome = (['approved', 'edited', 'rejected'] as const)[r(3)] as 'approved';
          await repo.outcome(orgId, id, { at, counter: outcome, agentId: agent });
          await repo.decision({
            id: randomUUID(),
            orgId,
            conversationId: id,
            outcome,
            decisionMs: r(200_000),
            decidedAt: at,
          });
        }
      }
    }
    const incremental = await rollupOf(platform, orgId);
    expect(incremental.daily.length).toBeGreaterThan(0);
    expect(incremental.load.length).toBeGreaterThan(0);
    await rebuildRollup(platform.database.db, orgId);
    expect(await rollupOf(platform, orgId)).toEqual(incremental);

    // The KPIs over whole and partial days, against the final rows computed in plain JavaScript.
    const stored = await platform.database.db
      .selectFrom('dashboardConversations')
      .selectAll()
      .where('orgId', '=', orgId)
      .execute();
    const decisions = await platform.database.db
      .selectFrom('dashboardDecisions')
      .selectAll()
      .where('orgId', '=', orgId)
      .execute();
    const rows: Row[] = stored.map(({ decisions: _, ...c }) => ({
      ...c,
      startedAt: Number(c.startedAt),
      decisions: decisions
        .filter((d) => d.conversationId === c.conversationId)
        .map((d) => ({ outcome: d.outcome, decisionMs: Number(d.decisionMs) })),
    })) as Row[];
    const actor: Actor = { userId: org.users.supervisor.id, orgId, role: 'supervisor', sessionId: 's', kind: 'user' };
    const svc = dashboardService(platform, presenceService(platform));
    for (const [from, to] of [
      [T0, T0 + 4 * DAY],
      [T0 + 0.5 * DAY, T0 + 3.25 * DAY],
      [T0 + DAY + HOUR, T0 + DAY + 9 * HOUR],
    ] as const) {
      const s = await svc.summary(actor, { period: 'custom', from, to });
      const inRange = rows.filter((x) => x.startedAt >= from && x.startedAt < to);
      expect(s.kpis).toEqual(expected(inRange));
      const agent = agents[0] as string;
      const mine = inRange.filter((x) => x.agentId === agent);
      // An agent with nothing in the period and nothing open is not listed.
      expect(s.agents.find((x) => x.userId === agent) ?? { handled: 0, resolved: 0, load: 0 }).toMatchObject({
        handled: mine.length,
        resolved: mine.filter((x) => x.resolvedAt).length,
        load: rows.filter((x) => x.agentId === agent && x.status === 'human_active').length,
      });
      const byAgent = await svc.summary(actor, { period: 'custom', from, to, agentId: agent });
      expect(byAgent.kpis).toEqual(expected(mine));
    }
  });

  it('puts every duration in the histogram bucket whose range holds it, buckets ordered like the values', async () => {
    const { db } = ctx().platform.database;
    let previous = -1;
    for (const v of [
      -5,
      0,
      1,
      9,
      10,
      11,
      99,
      100,
      101,
      999,
      1000,
      1999,
      2000,
      99_999,
      100_000,
      123_456_789,
      10 ** 12,
    ]) {
      const row = await db.selectNoFrom(histogramBucket(sql.lit(v)).as('b')).executeTakeFirstOrThrow();
      const b = Number(row.b);
      const [lo, hi] = bucketRange(b);
      expect(v >= lo && v < hi, `${v} in bucket ${b} = [${lo}, ${hi})`).toBe(true);
      expect(b).toBeGreaterThanOrEqual(previous);
      previous = b;
    }
  });
});
