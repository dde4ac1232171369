import {
  DASHBOARD_MAX_POINTS,
  type DashboardAgent,
  type DashboardFilterParsed,
  type DashboardKpis,
  type DashboardMetric,
  type DashboardSummary,
  type DashboardTimeseries,
  type DashboardTimeseriesQuery,
  type EscalationReason,
} from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { PresenceService } from '../presence/presence.service.js';
import { usersService } from '../users/users.service.js';
import { dashboardQuantiles, medianAndP90, type RankedValue } from './dashboard.quantiles.js';
import { bucketOf, dashboardRepo, type Scope } from './dashboard.repo.js';
import { addSums, DAY, REASON_SUMS, type Sums, zeroSums } from './dashboard.rollup.js';

const WIDTH = { hour: 3_600_000, day: DAY, week: 7 * DAY } as const;
type Range = { from: number; to: number };
type Filters = Pick<DashboardFilterParsed, 'period' | 'from' | 'to' | 'agentId' | 'topic' | 'channel'>;

/** The period a filter names, ending now (`to` exclusive), and the equally long one just before it. */
export function periodOf(f: Filters, now: number): { range: Range; previous: Range } {
  const to = f.period === 'custom' ? (f.to as number) : now + 1;
  const from =
    f.period === 'custom'
      ? (f.from as number)
      : f.period === 'today'
        ? Math.floor(now / DAY) * DAY
        : to - (f.period === '7d' ? 7 : 30) * DAY;
  return { range: { from, to }, previous: { from: Math.max(0, from - (to - from)), to: from } };
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** The KPIs from one bucket's sums and ranked values. */
export function kpisOf(
  s: Sums,
  ranked: { firstResponse: RankedValue[]; queue: RankedValue[]; resolution: RankedValue[]; decision: RankedValue[] },
): DashboardKpis {
  const started = s.started;
  const decided = s.approved + s.edited + s.rejected;
  const firstResponse = medianAndP90(ranked.firstResponse);
  return {
    conversationsStarted: started,
    aiAutoResolutionRate: ratio(s.autoResolved, started),
    aiAutoSendRate: ratio(s.autoSent, s.autoSent + s.queued),
    approvalRate: ratio(s.approved, decided),
    editRate: ratio(s.edited, decided),
    rejectionRate: ratio(s.rejected, decided),
    decisionMedianMs: medianAndP90(ranked.decision).median,
    draftsDecided: decided,
    escalations: s.escalations,
    firstResponseMedianMs: firstResponse.median,
    firstResponseP90Ms: firstResponse.p90,
    queueMedianMs: medianAndP90(ranked.queue).median,
    resolutionMedianMs: medianAndP90(ranked.resolution).median,
    resolved: s.resolved,
    csatAverage: ratio(s.csatSum, s.csatCount),
    csatCount: s.csatCount,
    messagesPerConversation: ratio(s.messages, started),
  };
}

/** The sums of all agents ('' included) together. */
const totalOf = (byAgent: Map<string, Sums>): Sums =>
  [...byAgent.values()].reduce((acc, x) => addSums(acc, x), zeroSums());

/** Counts are 0 in an empty bucket; rates, averages and medians are undefined (null) there. */
const COUNTS: ReadonlySet<DashboardMetric> = new Set(['conversationsStarted', 'escalations']);

/** The supervisor dashboard's queries: KPIs, time series and agents, aggregated by the database. */
export function dashboardService(platform: Platform, presence: PresenceService) {
  const repo = dashboardRepo(platform.database);
  const quantiles = dashboardQuantiles(platform.database);

  /** The period's KPIs from its sums (all agents together) and the quantiles' index walks. */
  async function kpis(scope: Scope, byAgent: Map<string, Sums>): Promise<DashboardKpis> {
    const t = totalOf(byAgent);
    const q = await quantiles.period(scope, {
      firstResponseMs: t.firstResponseN,
      queueMs: t.queueN,
      resolutionMs: t.resolutionN,
      decisionMs: t.decisions,
    });
    return kpisOf(t, {
      firstResponse: q.firstResponseMs,
      queue: q.queueMs,
      resolution: q.resolutionMs,
      decision: q.decisionMs,
    });
  }

  async function agents(
    orgId: string,
    byAgent: Map<string, Sums>,
  ): Promise<{ active: number; rows: DashboardAgent[] }> {
    const [online, load] = await Promise.all([presence.availableAgents(orgId), repo.load(orgId)]);
    const handled = [...byAgent].filter(([agentId, h]) => agentId !== '' && h.started > 0);
    const names = new Map(online.map((a) => [a.userId, a.username]));
    const ids = new Set([...online.map((a) => a.userId), ...load.keys(), ...handled.map(([agentId]) => agentId)]);
    const users = usersService(platform);
    // Names of agents not online are looked up together, not one round trip after another.
    const rows: DashboardAgent[] = await Promise.all(
      [...ids].map(async (userId) => {
        const h = byAgent.get(userId);
        const name =
          names.get(userId) ??
          (await users
            .get(orgId, userId)
            .then((u) => u.displayName)
            .catch(() => userId));
        return {
          userId,
          name,
          online: names.has(userId),
          load: load.get(userId) ?? 0,
          handled: h?.started ?? 0,
          resolved: h?.resolved ?? 0,
          csatAverage: h ? ratio(h.csatSum, h.csatCount) : null,
        };
      }),
    );
    rows.sort((a, b) => b.load - a.load || b.handled - a.handled || a.name.localeCompare(b.name));
    return { active: online.length, rows };
  }

  return {
    async summary(actor: Actor, f: Filters): Promise<DashboardSummary> {
      const { range, previous } = periodOf(f, platform.clock.now());
      const dims = { orgId: actor.orgId, agentId: f.agentId, topic: f.topic, channel: f.channel };
      const scope = { ...dims, ...range };
      const prior = { ...dims, ...previous };
      const [sums, priorSums] = await Promise.all([repo.sums(scope), repo.sums(prior)]);
      const [current, before, people] = await Promise.all([
        kpis(scope, sums),
        kpis(prior, priorSums),
        agents(actor.orgId, sums),
      ]);
      const total = totalOf(sums);
      const reasons = (Object.keys(REASON_SUMS) as EscalationReason[])
        .sort()
        .map((reason) => ({ reason, count: total[REASON_SUMS[reason]] }))
        .filter((r) => r.count > 0);
      return {
        range,
        previousRange: previous,
        kpis: current,
        previous: before,
        escalationsByReason: reasons,
        activeAgents: people.active,
        agents: people.rows,
      };
    },

    async timeseries(
      actor: Actor,
      q: Filters & Pick<Required<DashboardTimeseriesQuery>, 'metric' | 'interval'>,
    ): Promise<DashboardTimeseries> {
      const { range } = periodOf(q, platform.clock.now());
      const width = WIDTH[q.interval];
      // Hours and days are UTC-aligned; weeks count from the period's start.
      const origin = q.interval === 'week' ? range.from : Math.floor(range.from / width) * width;
      const buckets = Math.ceil((range.to - origin) / width);
      if (buckets > DASHBOARD_MAX_POINTS)
        throw new AppError('bad_request', `${buckets} points: at most ${DASHBOARD_MAX_POINTS}, pick a wider interval`);
      const scope: Scope = { orgId: actor.orgId, agentId: q.agentId, topic: q.topic, channel: q.channel, ...range };
      const bucket = bucketOf(origin, width);
      const values = new Map<number, number | null>();
      if (q.metric === 'firstResponseMedianMs' || q.metric === 'resolutionMedianMs') {
        const ranked = await quantiles.ranked(
          scope,
          q.metric === 'firstResponseMedianMs' ? 'firstResponseMs' : 'resolutionMs',
          { bucket },
        );
        const byBucket = new Map<number, RankedValue[]>();
        for (const r of ranked) byBucket.set(r.b, [...(byBucket.get(r.b) ?? []), r]);
        for (const [b, rs] of byBucket) values.set(b, medianAndP90(rs).median);
      } else {
        const none = { firstResponse: [], queue: [], resolution: [], decision: [] };
        for (const t of await repo.totals(scope, bucket)) values.set(t.b, kpisOf(t, none)[q.metric]);
      }
      const empty = COUNTS.has(q.metric) ? 0 : null;
      return {
        metric: q.metric,
        interval: q.interval,
        range,
        points: Array.from({ length: buckets }, (_, i) => ({ t: origin + i * width, value: values.get(i) ?? empty })),
      };
    },
  };
}
export type DashboardService = ReturnType<typeof dashboardService>;
