import type { ModuleMigration } from '../../platform/db/migration.js';

/** Per-org assistant settings; a row appears on first use with the defaults. */
export interface AiSettingsTable {
  orgId: string;
  enabled: number;
  threshold: number;
  approvalTimeoutMs: number;
  agentCapacity: number;
  /** The org's "AI assistant" user: the author of AI messages (an agent-role user with no password). */
  aiUserId: string;
  /** `agent` or `team`: how the widget names a person's answers. */
  staffLabel: string;
  updatedAt: number;
}

/** Routing state of a support conversation (the status itself is the messenger's, mirrored for queries). */
export interface SupportStateTable {
  conversationId: string;
  orgId: string;
  status: string;
  assignedTo: string | null;
  /** When a person was asked for; orders the queue. */
  requestedAt: number | null;
  updatedAt: number;
}

/** One outcome for the dashboard: auto_sent, approved, edited, rejected, escalated, handed_off, resolved, csat. */
export interface AiOutcomesTable {
  id: string;
  orgId: string;
  conversationId: string;
  kind: string;
  confidence: number | null;
  /** From the customer's message to the answer (or decision), ms. */
  latencyMs: number | null;
  /** JSON: responder, reason, sources, diff, CSAT score… */
  data: string | null;
  actorId: string | null;
  createdAt: number;
}

/** Supervisors and admins who take support chats from the queue (agents always do). */
export interface SupportRoutingTable {
  orgId: string;
  userId: string;
  takesChats: number;
  updatedAt: number;
}

export interface AssistantTables {
  aiSettings: AiSettingsTable;
  supportState: SupportStateTable;
  aiOutcomes: AiOutcomesTable;
  supportRouting: SupportRoutingTable;
}

export const assistantMigrations: ModuleMigration[] = [
  {
    name: '0510_assistant_create',
    async up(db) {
      await db.schema
        .createTable('aiSettings')
        .addColumn('orgId', 'text', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('threshold', 'real', (c) => c.notNull())
        .addColumn('approvalTimeoutMs', 'bigint', (c) => c.notNull())
        .addColumn('agentCapacity', 'integer', (c) => c.notNull())
        .addColumn('aiUserId', 'text', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('supportState')
        .addColumn('conversationId', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('assignedTo', 'text')
        .addColumn('requestedAt', 'bigint')
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('support_state_org_status').on('supportState').columns(['orgId', 'status']).execute();
      await db.schema
        .createTable('aiOutcomes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('conversationId', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('confidence', 'real')
        .addColumn('latencyMs', 'bigint')
        .addColumn('data', 'text')
        .addColumn('actorId', 'text')
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ai_outcomes_org_created').on('aiOutcomes').columns(['orgId', 'createdAt']).execute();
    },
  },
  {
    name: '1050_assistant_support_routing',
    async up(db) {
      await db.schema
        .createTable('supportRouting')
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('userId', 'text', (c) => c.notNull())
        .addColumn('takesChats', 'integer', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('support_routing_pk', ['orgId', 'userId'])
        .execute();
    },
  },
  {
    name: '1051_assistant_staff_label',
    async up(db) {
      await db.schema
        .alterTable('aiSettings')
        .addColumn('staffLabel', 'text', (c) => c.notNull().defaultTo('agent'))
        .execute();
    },
  },
];
