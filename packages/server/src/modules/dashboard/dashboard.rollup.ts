import type { EscalationReason } from '@switchboard/protocol';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../schema.js';

/**
 * The daily rollup (part of the dashboard's repository): what each conversation adds to every sum is
 * defined once, here, as an SQL expression over its row. The same expressions sum the per-conversation rows
 * (partial days, time series), rebuild the rollup, and compute a conversation's contribution before and
 * after each change so the rollup moves by the exact difference in the same transaction.
 */

export const DAY = 86_400_000;

/** The rollup's sums (columns of `dashboardDaily`). */
export const DAILY_SUMS = [
  'started',
  'autoResolved',
  'resolved',
  'autoSent',
  'queued',
  'approved',
  'edited',
  'rejected',
  'escalations',
  'escCustomerRequest',
  'escApprovalTimeout',
  'escDraftRejected',
  'csatSum',
  'csatCount',
  'messages',
  'decisions',
  'firstResponseN',
  'queueN',
  'resolutionN',
] as const;
export type SumName = (typeof DAILY_SUMS)[number];
/** Sums over some conversations: everything a count, a rate, an average or a quantile's n needs. */
export type Sums = Record<SumName, number>;

/** Escalation reason → its count in the rollup. */
export const REASON_SUMS = {
  customer_request: 'escCustomerRequest',
  approval_timeout: 'escApprovalTimeout',
  draft_rejected: 'escDraftRejected',
} as const satisfies Record<EscalationReason, SumName>;

const ref = (col: string) => sql.ref(`c.${col}`);
const flag = (cond: RawBuilder<unknown>) => sql<number>`case when ${cond} then 1 else 0 end`;
const isSet = (col: string) => flag(sql`${ref(col)} is not null`);
const isReason = (reason: string) => flag(sql`${ref('escalationReason')} = ${sql.lit(reason)}`);

/** What one conversation (`c`) adds to each sum. */
const MEASURES: Record<SumName, RawBuilder<number>> = {
  started: sql<number>`1`,
  autoResolved: flag(sql`${ref('resolvedAt')} is not null and ${ref('humanTouched')} = 0`),
  resolved: isSet('resolvedAt'),
  autoSent: sql<number>`${ref('autoSent')}`,
  queued: sql<number>`${ref('queued')}`,
  approved: sql<number>`${ref('approved')}`,
  edited: sql<number>`${ref('edited')}`,
  rejected: sql<number>`${ref('rejected')}`,
  escalations: isSet('escalationReason'),
  escCustomerRequest: isReason('customer_request'),
  escApprovalTimeout: isReason('approval_timeout'),
  escDraftRejected: isReason('draft_rejected'),
  csatSum: sql<number>`coalesce(${ref('csat')}, 0)`,
  csatCount: isSet('csat'),
  messages: sql<number>`${ref('messages')}`,
  decisions: sql<number>`${ref('decisions')}`,
  firstResponseN: isSet('firstResponseMs'),
  queueN: isSet('queueMs'),
  resolutionN: isSet('resolutionMs'),
};

const dayOf = (startedAt: RawBuilder<unknown>) => sql<number>`(${startedAt} / ${sql.lit(DAY)}) * ${sql.lit(DAY)}`;
/** The rollup key of a conversation: its UTC day, and '' for no agent / no topic. */
const KEY = {
  day: dayOf(ref('startedAt')),
  agentId: sql<string>`coalesce(${ref('agentId')}, '')`,
  topic: sql<string>`coalesce(${ref('topic')}, '')`,
  channel: sql<string>`${ref('channel')}`,
};
/** 1 when the conversation counts in its agent's load now. */
const ACTIVE = flag(sql`${ref('status')} = 'human_active' and ${ref('agentId')} is not null`);

/** The durations with a median / p90 on the dashboard; `decisionMs` is in `dashboardDecisions`, the others in `c`. */
export const DURATIONS = ['firstResponseMs', 'queueMs', 'resolutionMs'] as const;
export type Duration = (typeof DURATIONS)[number] | 'decisionMs';

/**
 * Histogram bucket of a duration (an integer): its number of decimal digits and its first two digits, so
 * a bucket is 1–10% wide and a quantile's bucket holds few values to refine exactly. Negative values (clock
 * skew) share bucket 0. `bucketRange` is the inverse.
 */
export const histogramBucket = (v: RawBuilder<unknown>) =>
  sql<number>`case when ${v} < 0 then 0 else length(cast(${v} as text)) * 100 + cast(substr(cast(${v} as text), 1, 2) as integer) end`;

/** The values `[lo, hi)` of a histogram bucket. */
export function bucketRange(bucket: number): [number, number] {
  if (bucket === 0) return [Number.MIN_SAFE_INTEGER, 0];
  const digits = Math.floor(bucket / 100);
  const lead = bucket % 100;
  const scale = digits === 1 ? 1 : 10 ** (digits - 2);
  return [lead * scale, (lead + 1) * scale];
}

/** `sum(measure) as name` for every sum: the select list of an aggregate over `c`. */
export const summed = () => DAILY_SUMS.map((m) => sql<number>`sum(${MEASURES[m]})`.as(m));

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const zeroSums = (): Sums => Object.fromEntries(DAILY_SUMS.map((m) => [m, 0])) as Sums;
export function toSums(row: Record<string, unknown>): Sums {
  const out = zeroSums();
  for (const m of DAILY_SUMS) out[m] = num(row[m]);
  return out;
}
export function addSums(into: Sums, other: Sums, sign = 1): Sums {
  for (const m of DAILY_SUMS) into[m] += sign * other[m];
  return into;
}

interface Contribution {
  day: number;
  agentId: string;
  topic: string;
  channel: string;
  /** The agent whose load it counts in, if any. */
  loadOf: string | null;
  sums: Sums;
  /** Its durations in the histogram: `[duration, bucket]` → count. */
  histogram: Map<string, number>;
}

/**
 * A conversation's contribution now; `lock` (PostgreSQL) holds its row until the transaction ends. Its
 * decisions' durations are read only when asked (`decisions`): the only change that adds one.
 */
export async function contributionOf(
  db: Kysely<DB>,
  orgId: string,
  conversationId: string,
  opts: { lock: boolean; decisions: boolean },
): Promise<Contribution | undefined> {
  const row = await db
    .selectFrom('dashboardConversations as c')
    .select([
      KEY.day.as('day'),
      KEY.agentId.as('agentId'),
      KEY.topic.as('topic'),
      KEY.channel.as('channel'),
      ACTIVE.as('active'),
      ...DAILY_SUMS.map((m) => MEASURES[m].as(m)),
      ...DURATIONS.map((d) => histogramBucket(ref(d)).as(d)),
    ])
    .where('c.orgId', '=', orgId)
    .where('c.conversationId', '=', conversationId)
    .$if(opts.lock, (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row) return undefined;
  const r = row as Record<string, unknown>;
  const histogram = new Map<string, number>();
  const count = (d: Duration, bucket: unknown) => {
    if (bucket === null || bucket === undefined) return;
    const key = JSON.stringify([d, num(bucket)]);
    histogram.set(key, (histogram.get(key) ?? 0) + 1);
  };
  for (const d of DURATIONS) count(d, r[d]);
  if (opts.decisions)
    for (const { bucket } of await db
      .selectFrom('dashboardDecisions as d')
      .select(histogramBucket(sql.ref('d.decisionMs')).as('bucket'))
      .where('d.orgId', '=', orgId)
      .where('d.conversationId', '=', conversationId)
      .execute())
      count('decisionMs', bucket);
  return {
    histogram,
    day: num(r.day),
    agentId: String(r.agentId),
    topic: String(r.topic),
    channel: String(r.channel),
    loadOf: num(r.active) ? String(r.agentId) : null,
    sums: toSums(r),
  };
}

/**
 * Move the rollup from a conversation's contribution `before` a change to the one `after` it: at most two
 * rows of each table, upserted in key order (so concurrent transactions lock them in the same order).
 */
export async function applyDelta(
  db: Kysely<DB>,
  orgId: string,
  before: Contribution | undefined,
  after: Contribution | undefined,
): Promise<void> {
  const daily = new Map<string, { day: number; agentId: string; topic: string; channel: string; sums: Sums }>();
  const load = new Map<string, number>();
  const histogram = new Map<string, number>();
  for (const [c, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    if (!c) continue;
    const key = JSON.stringify([c.day, c.agentId, c.topic, c.channel]);
    const row = daily.get(key) ?? { ...c, sums: zeroSums() };
    addSums(row.sums, c.sums, sign);
    daily.set(key, row);
    if (c.loadOf !== null) load.set(c.loadOf, (load.get(c.loadOf) ?? 0) + sign);
    for (const [k, n] of c.histogram) {
      const [duration, bucket] = JSON.parse(k) as [Duration, number];
      const key = JSON.stringify([duration, c.day, bucket]);
      histogram.set(key, (histogram.get(key) ?? 0) + sign * n);
    }
  }
  const rows = [...daily]
    .filter(([, r]) => DAILY_SUMS.some((m) => r.sums[m] !== 0))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, r]) => ({ orgId, day: r.day, agentId: r.agentId, topic: r.topic, channel: r.channel, ...r.sums }));
  if (rows.length)
    await db
      .insertInto('dashboardDaily')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['orgId', 'day', 'agentId', 'topic', 'channel'])
          .doUpdateSet(
            Object.fromEntries(
              DAILY_SUMS.map((m) => [m, sql<number>`${sql.ref(`dashboardDaily.${m}`)} + ${sql.ref(`excluded.${m}`)}`]),
            ),
          ),
      )
      .execute();
  const agents = [...load].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  if (agents.length)
    await db
      .insertInto('dashboardAgentLoad')
      .values(agents.map(([agentId, active]) => ({ orgId, agentId, active })))
      .onConflict((oc) =>
        oc.columns(['orgId', 'agentId']).doUpdateSet({
          active: sql<number>`${sql.ref('dashboardAgentLoad.active')} + ${sql.ref('excluded.active')}`,
        }),
      )
      .execute();
  const buckets = [...histogram].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  if (buckets.length)
    await db
      .insertInto('dashboardHistogram')
      .values(
        buckets.map(([k, n]) => {
          const [duration, day, bucket] = JSON.parse(k) as [Duration, number, number];
          return { orgId, duration, day, bucket, n };
        }),
      )
      .onConflict((oc) =>
        oc.columns(['orgId', 'duration', 'day', 'bucket']).doUpdateSet({
          n: sql<number>`${sql.ref('dashboardHistogram.n')} + ${sql.ref('excluded.n')}`,
        }),
      )
      .execute();
}

/**
 * Rebuild the rollup from the per-conversation rows (of one org, or all): the migration that created it,
 * and bulk loads that write rows directly (the benchmark).
 */
// biome-ignore lint/suspicious/noExplicitAny: also run by a migration, against the schema as it was then
export async function rebuildRollup(db: Kysely<any>, orgId?: string): Promise<void> {
  const d = db as Kysely<DB>;
  const some = orgId !== undefined;
  for (const table of ['dashboardDaily', 'dashboardAgentLoad', 'dashboardHistogram'] as const)
    await d
      .deleteFrom(table)
      .$if(some, (q) => q.where('orgId', '=', orgId as string))
      .execute();
  for (const duration of DURATIONS)
    await d
      .insertInto('dashboardHistogram')
      .columns(['orgId', 'duration', 'day', 'bucket', 'n'])
      .expression(
        d
          .selectFrom('dashboardConversations as c')
          .select([
            'c.orgId',
            sql.lit(duration).as('duration'),
            KEY.day.as('day'),
            histogramBucket(ref(duration)).as('bucket'),
            sql<number>`count(*)`.as('n'),
          ])
          .where(`c.${duration}`, 'is not', null)
          .$if(some, (q) => q.where('c.orgId', '=', orgId as string))
          .groupBy([sql`1`, sql`2`, sql`3`, sql`4`]),
      )
      .execute();
  await d
    .insertInto('dashboardHistogram')
    .columns(['orgId', 'duration', 'day', 'bucket', 'n'])
    .expression(
      d
        .selectFrom('dashboardDecisions as d')
        .select([
          'd.orgId',
          sql.lit('decisionMs').as('duration'),
          dayOf(sql.ref('d.startedAt')).as('day'),
          histogramBucket(sql.ref('d.decisionMs')).as('bucket'),
          sql<number>`count(*)`.as('n'),
        ])
        .$if(some, (q) => q.where('d.orgId', '=', orgId as string))
        .groupBy([sql`1`, sql`2`, sql`3`, sql`4`]),
    )
    .execute();
  await d
    .insertInto('dashboardDaily')
    .columns(['orgId', 'day', 'agentId', 'topic', 'channel', ...DAILY_SUMS])
    .expression(
      d
        .selectFrom('dashboardConversations as c')
        .select([
          'c.orgId',
          KEY.day.as('day'),
          KEY.agentId.as('agentId'),
          KEY.topic.as('topic'),
          KEY.channel.as('channel'),
          ...summed(),
        ])
        .$if(some, (q) => q.where('c.orgId', '=', orgId as string))
        .groupBy([sql`1`, sql`2`, sql`3`, sql`4`, sql`5`]),
    )
    .execute();
  await d
    .insertInto('dashboardAgentLoad')
    .columns(['orgId', 'agentId', 'active'])
    .expression(
      d
        .selectFrom('dashboardConversations as c')
        .select(['c.orgId', sql<string>`${ref('agentId')}`.as('agentId'), sql<number>`count(*)`.as('active')])
        .where('c.status', '=', 'human_active')
        .where('c.agentId', 'is not', null)
        .$if(some, (q) => q.where('c.orgId', '=', orgId as string))
        .groupBy([sql`1`, sql`2`]),
    )
    .execute();
}
