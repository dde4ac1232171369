import {
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
} from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../schema.js';
import {
  addSums,
  applyDelta,
  contributionOf,
  DAILY_SUMS,
  DAY,
  type Sums,
  summed,
  toSums,
  zeroSums,
} from './dashboard.rollup.js';
import type { DashboardConversationsTable, DashboardDecisionsTable } from './dashboard.tables.js';

/** The conversations one query covers: org, start in `[from, to)`, and the optional filters. */
export interface Scope {
  orgId: string;
  from: number;
  to: number;
  agentId?: string | undefined;
  topic?: string | undefined;
  channel?: string | undefined;
}

/** Sums per bucket (`b`) of a time series. */
export type Totals = Sums & { b: number };

export type C = DB & { c: DB['dashboardConversations'] };

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export function scoped<O>(q: SelectQueryBuilder<C, 'c', O>, s: Scope): SelectQueryBuilder<C, 'c', O> {
  let r = q.where('c.orgId', '=', s.orgId).where('c.startedAt', '>=', s.from).where('c.startedAt', '<', s.to);
  if (s.agentId) r = r.where('c.agentId', '=', s.agentId);
  if (s.topic) r = r.where('c.topic', '=', s.topic);
  if (s.channel) r = r.where('c.channel', '=', s.channel);
  return r;
}

/**
 * A period as its whole UTC days (read from the rollups), if any, and the partial days at its edges (read
 * from the per-conversation rows).
 */
export function splitDays(s: { from: number; to: number }): {
  days: { from: number; to: number } | null;
  edges: [number, number][];
} {
  const first = Math.ceil(s.from / DAY) * DAY;
  const last = Math.floor(s.to / DAY) * DAY;
  if (first >= last) return { days: null, edges: s.from < s.to ? [[s.from, s.to]] : [] };
  const edges: [number, number][] = [];
  if (s.from < first) edges.push([s.from, first]);
  if (last < s.to) edges.push([last, s.to]);
  return { days: { from: first, to: last }, edges };
}

/** Bucket index of a conversation: whole `width` steps from `origin`. */
export const bucketOf = (origin: number, width: number): RawBuilder<number> =>
  sql<number>`cast((${sql.ref('c.startedAt')} - ${origin}) / ${width} as integer)`;

/**
 * The dashboard's tables: atomic single-statement updates of the rollup (so events of one conversation
 * arriving together never lose a count), and the aggregations, all done by the database.
 */
export function dashboardRepo({ db, dialect }: Database) {
  const row = (orgId: string, conversationId: string) => (eb: ExpressionBuilder<DB, 'dashboardConversations'>) =>
    eb.and([eb('orgId', '=', orgId), eb('conversationId', '=', conversationId)]);

  /**
   * Change a conversation's row and move the daily rollup by the difference, in one transaction; the row is
   * locked first on PostgreSQL so concurrent changes of one conversation see each other's result. `write`
   * returning false means nothing changed (a second start).
   */
  const tracked = (
    orgId: string,
    conversationId: string,
    write: (tx: Kysely<DB>) => Promise<unknown>,
    decisions = false,
  ) =>
    db.transaction().execute(async (tx) => {
      const before = await contributionOf(tx, orgId, conversationId, { lock: dialect === 'postgres', decisions });
      if ((await write(tx)) === false) return;
      await applyDelta(tx, orgId, before, await contributionOf(tx, orgId, conversationId, { lock: false, decisions }));
    });

  return {
    /** Start a conversation's row; a second start keeps the first. */
    async start(r: Insertable<DashboardConversationsTable>): Promise<boolean> {
      let inserted = false;
      await tracked(r.orgId, r.conversationId, async (tx) => {
        const res = await tx
          .insertInto('dashboardConversations')
          .values(r)
          .onConflict((oc) => oc.column('conversationId').doNothing())
          .executeTakeFirst();
        inserted = Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
        return inserted;
      });
      return inserted;
    },
    exists: async (orgId: string, conversationId: string) =>
      (await db
        .selectFrom('dashboardConversations')
        .select('conversationId')
        .where(row(orgId, conversationId))
        .executeTakeFirst()) !== undefined,

    /** Count a message; the first one not from the customer sets the first response time. */
    async message(orgId: string, conversationId: string, fromCustomer: boolean, at: number): Promise<void> {
      await tracked(orgId, conversationId, (tx) =>
        tx
          .updateTable('dashboardConversations')
          .set((eb) => ({
            messages: eb('messages', '+', 1),
            updatedAt: at,
            ...(fromCustomer
              ? {}
              : {
                  firstResponseMs: sql<number>`coalesce(${sql.ref('firstResponseMs')}, ${at} - ${sql.ref('startedAt')})`,
                }),
          }))
          .where(row(orgId, conversationId))
          .execute(),
      );
    },

    /** A status change: queue start, a person taking it (time in queue, agent), resolution. */
    async status(orgId: string, conversationId: string, status: string, assignedTo: string | null, at: number) {
      await tracked(orgId, conversationId, (tx) =>
        tx
          .updateTable('dashboardConversations')
          .set(() => ({
            status,
            updatedAt: at,
            ...(status === 'human_requested'
              ? { humanTouched: 1, requestedAt: sql<number>`coalesce(${sql.ref('requestedAt')}, ${at})` }
              : {}),
            ...(status === 'human_active'
              ? {
                  humanTouched: 1,
                  agentId: sql<string>`coalesce(${assignedTo}, ${sql.ref('agentId')})`,
                  queueMs: sql<number>`coalesce(${sql.ref('queueMs')}, ${at} - ${sql.ref('requestedAt')})`,
                }
              : {}),
            ...(status === 'resolved'
              ? {
                  resolvedAt: sql<number>`coalesce(${sql.ref('resolvedAt')}, ${at})`,
                  resolutionMs: sql<number>`coalesce(${sql.ref('resolutionMs')}, ${at} - ${sql.ref('startedAt')})`,
                }
              : {}),
          }))
          .where(row(orgId, conversationId))
          .execute(),
      );
    },

    /** An outcome: a counter, the escalation reason (first one kept), agent, topic (first kept), CSAT (last kept). */
    async outcome(
      orgId: string,
      conversationId: string,
      o: {
        counter?: 'autoSent' | 'queued' | 'approved' | 'edited' | 'rejected';
        escalationReason?: string;
        agentId?: string | null;
        topic?: string | null;
        csat?: number;
        at: number;
      },
    ): Promise<void> {
      await tracked(orgId, conversationId, (tx) =>
        tx
          .updateTable('dashboardConversations')
          .set((eb) => ({
            updatedAt: o.at,
            ...(o.counter ? { [o.counter]: eb(o.counter, '+', 1) } : {}),
            ...(o.escalationReason
              ? {
                  humanTouched: 1,
                  escalationReason: sql<string>`coalesce(${sql.ref('escalationReason')}, ${o.escalationReason})`,
                }
              : {}),
            ...(o.agentId ? { agentId: o.agentId, humanTouched: 1 } : {}),
            ...(o.topic ? { topic: sql<string>`coalesce(${sql.ref('topic')}, ${o.topic})` } : {}),
            ...(o.csat !== undefined ? { csat: o.csat } : {}),
          }))
          .where(row(orgId, conversationId))
          .execute(),
      );
    },

    /** A decision, stamped with its conversation's start (copied from the row, which must exist), and counted on it. */
    async decision(r: Omit<Insertable<DashboardDecisionsTable>, 'startedAt'>): Promise<void> {
      await tracked(
        r.orgId,
        r.conversationId,
        async (tx) => {
          await tx
            .insertInto('dashboardDecisions')
            .columns(['id', 'orgId', 'conversationId', 'startedAt', 'outcome', 'decisionMs', 'decidedAt'])
            .expression((eb) =>
              eb
                .selectFrom('dashboardConversations')
                .select([
                  eb.val(r.id).as('id'),
                  'orgId',
                  'conversationId',
                  'startedAt',
                  eb.val(r.outcome).as('outcome'),
                  eb.val(r.decisionMs).as('decisionMs'),
                  eb.val(r.decidedAt).as('decidedAt'),
                ])
                .where(row(r.orgId, r.conversationId)),
            )
            .execute();
          await tx
            .updateTable('dashboardConversations')
            .set((eb) => ({ decisions: eb('decisions', '+', 1) }))
            .where(row(r.orgId, r.conversationId))
            .execute();
        },
        true,
      );
    },

    /** Sums per bucket of a time series, from the per-conversation rows in one range scan. */
    async totals(s: Scope, bucket: RawBuilder<number>): Promise<Totals[]> {
      const rows = await scoped(db.selectFrom('dashboardConversations as c'), s)
        .select([bucket.as('b'), ...summed()])
        .groupBy(sql`1`)
        .execute();
      return rows.map((r) => ({ ...toSums(r), b: num(r.b) })).filter((t) => t.started > 0);
    },

    /**
     * Sums of a whole period per agent ('' for none): its whole UTC days from the daily rollup (at most
     * days × agents × topics × channels rows), its partial first and last days from the per-conversation rows.
     */
    async sums(s: Scope): Promise<Map<string, Sums>> {
      const { days, edges } = splitDays(s);
      const parts: Promise<Record<string, unknown>[]>[] = edges.map(([from, to]) =>
        scoped(db.selectFrom('dashboardConversations as c'), { ...s, from, to })
          .select([sql<string>`coalesce(${sql.ref('c.agentId')}, '')`.as('agentId'), ...summed()])
          .groupBy(sql`1`)
          .execute(),
      );
      if (days) {
        let q = db
          .selectFrom('dashboardDaily as d')
          .where('d.orgId', '=', s.orgId)
          .where('d.day', '>=', days.from)
          .where('d.day', '<', days.to);
        if (s.agentId) q = q.where('d.agentId', '=', s.agentId);
        if (s.topic) q = q.where('d.topic', '=', s.topic);
        if (s.channel) q = q.where('d.channel', '=', s.channel);
        parts.push(
          q
            .select(['d.agentId', ...DAILY_SUMS.map((m) => sql<number>`sum(${sql.ref(`d.${m}`)})`.as(m))])
            .groupBy('d.agentId')
            .execute(),
        );
      }
      const out = new Map<string, Sums>();
      for (const rows of await Promise.all(parts))
        for (const r of rows) {
          const agent = String(r.agentId);
          out.set(agent, addSums(out.get(agent) ?? zeroSums(), toSums(r)));
        }
      return out;
    },

    /** Conversations each agent has now (status `human_active`), whatever the period. */
    async load(orgId: string): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('dashboardAgentLoad')
        .where('orgId', '=', orgId)
        .where('active', '>', 0)
        .select(['agentId', 'active'])
        .execute();
      return new Map(rows.map((r) => [r.agentId, num(r.active)]));
    },
  };
}
export type DashboardRepo = ReturnType<typeof dashboardRepo>;
