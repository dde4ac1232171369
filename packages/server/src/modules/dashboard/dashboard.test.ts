import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../actor.js';
import { createOrgWithUsers, type OrgFixture } from '../../test/auth.js';
import { describeStorage } from '../../test/storage.js';
import { presenceService } from '../presence/presence.service.js';
import { DAY, dataSet, expected, type Row, T0 } from './dashboard.fixtures.js';
import { dashboardRepo } from './dashboard.repo.js';
import { dashboardService } from './dashboard.service.js';

describeStorage('dashboard KPIs on a generated data set', (ctx) => {
  let a: OrgFixture;
  let rows: Row[];
  let actor: Actor;
  const custom = (from: number, to: number) => ({ period: 'custom' as const, from, to });
  const all = custom(T0, T0 + 10 * DAY);
  const inRange = (from: number, to: number) => rows.filter((r) => r.startedAt >= from && r.startedAt < to);

  beforeAll(async () => {
    const { platform } = ctx();
    a = await createOrgWithUsers(platform);
    const b = await createOrgWithUsers(platform);
    actor = { userId: a.users.supervisor.id, orgId: a.org.id, role: 'supervisor', sessionId: 's', kind: 'user' };
    rows = dataSet(a.org.id, [a.users.agent.id, a.users.admin.id]);
    // Org B's conversations in the same days must never show in org A's numbers.
    const noise = dataSet(b.org.id, [b.users.agent.id]);
    const repo = dashboardRepo(platform.database);
    for (const { decisions, ...row } of [...rows, ...noise]) {
      await repo.start(row);
      for (const d of decisions)
        await repo.decision({
          id: randomUUID(),
          orgId: row.orgId,
          conversationId: row.conversationId,
          decidedAt: row.startedAt + d.decisionMs,
          ...d,
        });
    }
  });

  it('computes every KPI of a period exactly, and of the period before it', async () => {
    const s = await dashboardService(ctx().platform, presenceService(ctx().platform)).summary(
      actor,
      custom(T0 + 4 * DAY, T0 + 8 * DAY),
    );
    expect(s.kpis).toEqual(expected(inRange(T0 + 4 * DAY, T0 + 8 * DAY)));
    expect(s.previous).toEqual(expected(inRange(T0, T0 + 4 * DAY)));
    expect(s.previousRange).toEqual({ from: T0, to: T0 + 4 * DAY });
    // The data set is rich enough that no KPI is trivially null.
    for (const v of Object.values(s.kpis)) expect(v).not.toBeNull();
  });

  it('filters by agent, topic and channel, alone and together', async () => {
    const svc = dashboardService(ctx().platform, presenceService(ctx().platform));
    const agentId = a.users.agent.id;
    const cases = [
      { f: { agentId }, keep: (r: Row) => r.agentId === agentId },
      { f: { topic: 'billing' }, keep: (r: Row) => r.topic === 'billing' },
      { f: { channel: 'web' as const }, keep: (r: Row) => r.channel === 'web' },
      {
        f: { agentId, topic: 'account', channel: 'widget' as const },
        keep: (r: Row) => r.agentId === agentId && r.topic === 'account' && r.channel === 'widget',
      },
    ];
    for (const c of cases) {
      const s = await svc.summary(actor, { ...all, ...c.f });
      expect(s.kpis).toEqual(expected(rows.filter(c.keep)));
    }
  });

  it('is exact for periods that start and end mid-day, or lie inside one day', async () => {
    const svc = dashboardService(ctx().platform, presenceService(ctx().platform));
    const reasonsOf = (rs: Row[]) => {
      const m = new Map<string, number>();
      for (const r of rs) if (r.escalationReason) m.set(r.escalationReason, (m.get(r.escalationReason) ?? 0) + 1);
      return [...m].sort(([x], [y]) => (x < y ? -1 : 1)).map(([reason, count]) => ({ reason, count }));
    };
    for (const [from, to] of [
      [T0 + 1.5 * DAY + 7, T0 + 6.25 * DAY],
      [T0 + 2 * DAY, T0 + 5.5 * DAY],
      [T0 + 3 * DAY + 3_600_000, T0 + 3 * DAY + 20 * 3_600_000],
    ] as const) {
      const s = await svc.summary(actor, custom(from, to));
      expect(s.kpis).toEqual(expected(inRange(from, to)));
      expect(s.previous).toEqual(expected(inRange(from - (to - from), from)));
      expect(s.escalationsByReason).toEqual(reasonsOf(inRange(from, to)));
      const web = await svc.summary(actor, { ...custom(from, to), channel: 'web' });
      expect(web.kpis).toEqual(expected(inRange(from, to).filter((r) => r.channel === 'web')));
      const agent = a.users.agent.id;
      const mine = inRange(from, to).filter((r) => r.agentId === agent);
      expect(s.agents.find((x) => x.userId === agent)).toMatchObject({
        handled: mine.length,
        resolved: mine.filter((r) => r.resolvedAt).length,
      });
    }
  });

  it('an empty period and a filter matching nothing give zero counts and null rates', async () => {
    const svc = dashboardService(ctx().platform, presenceService(ctx().platform));
    const none = expected([]);
    expect(none.conversationsStarted).toBe(0);
    expect(none.aiAutoSendRate).toBeNull();
    expect((await svc.summary(actor, custom(T0 + 20 * DAY, T0 + 21 * DAY))).kpis).toEqual(none);
    expect((await svc.summary(actor, { ...all, topic: 'no-such-topic' })).kpis).toEqual(none);
    expect((await svc.summary(actor, { ...all, agentId: randomUUID() })).escalationsByReason).toEqual([]);
    // Partial days at both edges, nothing matching in them either.
    expect((await svc.summary(actor, { ...custom(T0 + 1.5 * DAY, T0 + 4.5 * DAY), topic: 'none' })).kpis).toEqual(none);
    expect((await svc.summary(actor, custom(T0 + 9.9 * DAY, T0 + 11.5 * DAY))).kpis).toEqual(
      expected(inRange(T0 + 9.9 * DAY, T0 + 11.5 * DAY)),
    );
  });

  it('counts escalations by reason and lists agents with what they handled', async () => {
    const s = await dashboardService(ctx().platform, presenceService(ctx().platform)).summary(actor, all);
    const reasons = new Map<string, number>();
    for (const r of rows)
      if (r.escalationReason) reasons.set(r.escalationReason, (reasons.get(r.escalationReason) ?? 0) + 1);
    expect(s.escalationsByReason).toEqual(
      [...reasons].sort(([x], [y]) => (x < y ? -1 : 1)).map(([reason, count]) => ({ reason, count })),
    );
    for (const id of [a.users.agent.id, a.users.admin.id]) {
      const mine = rows.filter((r) => r.agentId === id);
      const row = s.agents.find((x) => x.userId === id);
      const csat = mine.flatMap((r) => (r.csat === null ? [] : [r.csat]));
      expect(row).toEqual({
        userId: id,
        name: id === a.users.agent.id ? a.users.agent.displayName : a.users.admin.displayName,
        online: false,
        load: mine.filter((r) => r.status === 'human_active').length,
        handled: mine.length,
        resolved: mine.filter((r) => r.resolvedAt).length,
        csatAverage: csat.length ? csat.reduce((x, y) => x + y, 0) / csat.length : null,
      });
    }
    expect(s.activeAgents).toBe(0);
  });

  it('time series per day match the KPI of each day, with empty days as 0 or null', async () => {
    const svc = dashboardService(ctx().platform, presenceService(ctx().platform));
    const period = custom(T0, T0 + 12 * DAY);
    for (const metric of [
      'conversationsStarted',
      'escalations',
      'aiAutoSendRate',
      'csatAverage',
      'firstResponseMedianMs',
      'resolutionMedianMs',
    ] as const) {
      const ts = await svc.timeseries(actor, { ...period, metric, interval: 'day' });
      expect(ts.points).toHaveLength(12);
      ts.points.forEach((p, i) => {
        expect(p.t).toBe(T0 + i * DAY);
        expect(p.value).toEqual(expected(inRange(p.t, p.t + DAY))[metric]);
      });
      expect(ts.points[11]?.value).toBe(metric === 'conversationsStarted' || metric === 'escalations' ? 0 : null);
    }
    const weekly = await svc.timeseries(actor, {
      ...period,
      metric: 'conversationsStarted',
      interval: 'week',
      channel: 'web',
    });
    expect(weekly.points.map((p) => p.value)).toEqual([
      inRange(T0, T0 + 7 * DAY).filter((r) => r.channel === 'web').length,
      inRange(T0 + 7 * DAY, T0 + 14 * DAY).filter((r) => r.channel === 'web').length,
    ]);
  });

  it('refuses a series of more than 2,000 points', async () => {
    await expect(
      dashboardService(ctx().platform, presenceService(ctx().platform)).timeseries(actor, {
        ...custom(T0, T0 + 100 * DAY),
        metric: 'escalations',
        interval: 'hour',
      }),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });
});
