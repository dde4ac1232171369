import { type CreateTableBuilder, type Generated, sql } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migration.js';
import { DAILY_SUMS, rebuildRollup } from './dashboard.rollup.js';

/**
 * The dashboard's rollup: one row per support conversation with every fact a KPI needs, kept up to date as
 * messages and contact-center outcomes arrive. A summary is then one indexed range scan per query instead
 * of joins over messages, events and outcomes.
 */
export interface DashboardConversationsTable {
  conversationId: string;
  orgId: string;
  /** The customer's first message (the conversation's start for every KPI). */
  startedAt: number;
  channel: string;
  /** First topic of the article quoted by the first AI draft. */
  topic: string | null;
  /** The person who handled it last (assigned, took it, or decided a draft in it). */
  agentId: string | null;
  status: string;
  messages: number;
  autoSent: number;
  queued: number;
  approved: number;
  edited: number;
  rejected: number;
  /** 1 once a person was involved (handoff, escalation, decision): it is no AI auto-resolution then. */
  humanTouched: number;
  firstResponseMs: number | null;
  requestedAt: number | null;
  queueMs: number | null;
  escalationReason: string | null;
  resolvedAt: number | null;
  resolutionMs: number | null;
  csat: number | null;
  /** Decisions stored for it in `dashboardDecisions` (the decision median's n, summed by the daily rollup). */
  decisions: Generated<number>;
  updatedAt: number;
}

/** One person's decision on an AI draft, for the median time to decision. */
export interface DashboardDecisionsTable {
  id: string;
  orgId: string;
  conversationId: string;
  /** The conversation's start (never changes): an unfiltered period needs no join. */
  startedAt: number;
  outcome: string;
  decisionMs: number;
  decidedAt: number;
}

/**
 * Partial sums of the conversations that started on one UTC day, per agent, topic and channel ('' for none):
 * a period's whole days are read from here, only its partial edge days from the per-conversation rows.
 * Derived data, kept in step with `dashboardConversations` in the same transaction (see dashboard.rollup.ts).
 */
export interface DashboardDailyTable {
  orgId: string;
  day: number;
  agentId: string;
  topic: string;
  channel: string;
  started: number;
  autoResolved: number;
  resolved: number;
  autoSent: number;
  queued: number;
  approved: number;
  edited: number;
  rejected: number;
  escalations: number;
  escCustomerRequest: number;
  escApprovalTimeout: number;
  escDraftRejected: number;
  csatSum: number;
  csatCount: number;
  messages: number;
  decisions: number;
  firstResponseN: number;
  queueN: number;
  resolutionN: number;
}

/** Conversations each agent has open now (status `human_active`): the agent table's load. */
export interface DashboardAgentLoadTable {
  orgId: string;
  agentId: string;
  active: number;
}

/** How many of a duration's values fall in each bucket (see `bucketOf`), per UTC day of their conversations' start. */
export interface DashboardHistogramTable {
  orgId: string;
  duration: string;
  day: number;
  bucket: number;
  n: number;
}

export interface DashboardTables {
  dashboardConversations: DashboardConversationsTable;
  dashboardDecisions: DashboardDecisionsTable;
  dashboardDaily: DashboardDailyTable;
  dashboardAgentLoad: DashboardAgentLoadTable;
  dashboardHistogram: DashboardHistogramTable;
}

export const dashboardMigrations: ModuleMigration[] = [
  {
    name: '0600_dashboard_create',
    async up(db, dialect) {
      // SQLite keeps the rows clustered by (org, start): a period is one contiguous range of the table, read
      // without a lookup per row. PostgreSQL reads the range through the (org, start) index.
      const sqlite = dialect === 'sqlite';
      await db.schema
        .createTable('dashboardConversations')
        .addColumn('conversationId', 'text', (c) => (sqlite ? c.notNull() : c.primaryKey()))
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('startedAt', 'bigint', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('topic', 'text')
        .addColumn('agentId', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('messages', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('autoSent', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('queued', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('approved', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('edited', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('humanTouched', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('firstResponseMs', 'bigint')
        .addColumn('requestedAt', 'bigint')
        .addColumn('queueMs', 'bigint')
        .addColumn('escalationReason', 'text')
        .addColumn('resolvedAt', 'bigint')
        .addColumn('resolutionMs', 'bigint')
        .addColumn('csat', 'integer')
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .$call((t) =>
          sqlite
            ? t
                .addPrimaryKeyConstraint('dashboard_conversations_pk', ['orgId', 'startedAt', 'conversationId'])
                .modifyEnd(sql`without rowid`)
            : t,
        )
        .execute();
      if (sqlite)
        await db.schema
          .createIndex('dashboard_conversations_id')
          .on('dashboardConversations')
          .column('conversationId')
          .unique()
          .execute();
      else
        await db.schema
          .createIndex('dashboard_conversations_org_started')
          .on('dashboardConversations')
          .columns(['orgId', 'startedAt'])
          .execute();
      // Agents' load reads (org, status); medians walk a column in order from its index.
      await db.schema
        .createIndex('dashboard_conversations_org_status')
        .on('dashboardConversations')
        .columns(['orgId', 'status', 'agentId'])
        .execute();
      for (const column of ['firstResponseMs', 'queueMs', 'resolutionMs'])
        await db.schema
          .createIndex(`dashboard_conversations_org_${column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`)
          .on('dashboardConversations')
          .columns(['orgId', column, 'startedAt'])
          .execute();
      // Covering indexes for the grouped queries: escalations by reason, and per agent.
      await db.schema
        .createIndex('dashboard_conversations_org_reason')
        .on('dashboardConversations')
        .columns(['orgId', 'escalationReason', 'startedAt'])
        .execute();
      await db.schema
        .createIndex('dashboard_conversations_org_agent')
        .on('dashboardConversations')
        .columns(['orgId', 'agentId', 'startedAt', 'resolvedAt', 'csat'])
        .execute();
      await db.schema
        .createTable('dashboardDecisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('conversationId', 'text', (c) => c.notNull())
        .addColumn('startedAt', 'bigint', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('decisionMs', 'bigint', (c) => c.notNull())
        .addColumn('decidedAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('dashboard_decisions_org_decision')
        .on('dashboardDecisions')
        .columns(['orgId', 'decisionMs', 'startedAt'])
        .execute();
      await db.schema
        .createIndex('dashboard_decisions_conversation')
        .on('dashboardDecisions')
        .columns(['conversationId'])
        .execute();
    },
  },
  {
    name: '0960_dashboard_daily',
    async up(db, dialect) {
      const clustered = (t: CreateTableBuilder<string>) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t);
      await db.schema
        .alterTable('dashboardConversations')
        .addColumn('decisions', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update dashboard_conversations set decisions = (select count(*) from dashboard_decisions d where d.conversation_id = dashboard_conversations.conversation_id)`.execute(
        db,
      );
      // SQLite keeps the rows clustered by the primary key: a period is one contiguous range of (org, day).
      await db.schema
        .createTable('dashboardDaily')
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('day', 'bigint', (c) => c.notNull())
        .addColumn('agentId', 'text', (c) => c.notNull())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .$call((t) =>
          DAILY_SUMS.reduce((acc, col) => acc.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0)), t),
        )
        .addPrimaryKeyConstraint('dashboard_daily_pk', ['orgId', 'day', 'agentId', 'topic', 'channel'])
        .$call(clustered)
        .execute();
      await db.schema
        .createTable('dashboardAgentLoad')
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('agentId', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('dashboard_agent_load_pk', ['orgId', 'agentId'])
        .$call(clustered)
        .execute();
      // A period's decisions by start: the histogram's partial edge days.
      await db.schema
        .createIndex('dashboard_decisions_org_started')
        .on('dashboardDecisions')
        .columns(['orgId', 'startedAt', 'decisionMs'])
        .execute();
      await db.schema
        .createTable('dashboardHistogram')
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('duration', 'text', (c) => c.notNull())
        .addColumn('day', 'bigint', (c) => c.notNull())
        .addColumn('bucket', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('dashboard_histogram_pk', ['orgId', 'duration', 'day', 'bucket'])
        .$call(clustered)
        .execute();
      // Existing conversations: the rollup is derived data, built from the rows as they are now.
      await rebuildRollup(db);
    },
  },
];
