import { type ApprovalsTables, approvalsMigrations } from './modules/approvals/approvals.tables.js';
import { type AssistantTables, assistantMigrations } from './modules/assistant/assistant.tables.js';
import { type AuthTables, authMigrations } from './modules/auth/auth.tables.js';
import { type CannedTables, cannedMigrations } from './modules/canned/canned.tables.js';
import { type DashboardTables, dashboardMigrations } from './modules/dashboard/dashboard.tables.js';
import { type FilesTables, filesMigrations } from './modules/files/files.tables.js';
import { type KnowledgeTables, knowledgeMigrations } from './modules/knowledge/knowledge.tables.js';
import { type LabelsTables, labelsMigrations } from './modules/labels/labels.tables.js';
import { type MessengerTables, messengerMigrations } from './modules/messenger/messenger.tables.js';
import { type NotesTables, notesMigrations } from './modules/notes/notes.tables.js';
import { type NotificationsTables, notificationsMigrations } from './modules/notifications/notifications.tables.js';
import { type OrgsTables, orgsMigrations } from './modules/orgs/orgs.tables.js';
import { type PresenceTables, presenceMigrations } from './modules/presence/presence.tables.js';
import { type SupportHoursTables, supportHoursMigrations } from './modules/support-hours/support-hours.tables.js';
import { type TasksTables, tasksMigrations } from './modules/tasks/tasks.tables.js';
import { type UsersTables, usersMigrations } from './modules/users/users.tables.js';
import type { ModuleMigration } from './platform/db/migration.js';
import { type JobsTables, jobsMigrations } from './platform/jobs/jobs.tables.js';

/** The whole database as Kysely sees it: the union of the tables each module owns. */
export interface DB
  extends OrgsTables,
    UsersTables,
    AuthTables,
    JobsTables,
    TasksTables,
    MessengerTables,
    PresenceTables,
    KnowledgeTables,
    AssistantTables,
    NotificationsTables,
    ApprovalsTables,
    FilesTables,
    DashboardTables,
    NotesTables,
    CannedTables,
    LabelsTables,
    SupportHoursTables {}

/** Every module's migrations; the migrator sorts them by name. */
export const migrations: readonly ModuleMigration[] = [
  ...orgsMigrations,
  ...usersMigrations,
  ...authMigrations,
  ...jobsMigrations,
  ...tasksMigrations,
  ...messengerMigrations,
  ...presenceMigrations,
  ...knowledgeMigrations,
  ...assistantMigrations,
  ...notificationsMigrations,
  ...approvalsMigrations,
  ...filesMigrations,
  ...dashboardMigrations,
  ...notesMigrations,
  ...cannedMigrations,
  ...labelsMigrations,
  ...supportHoursMigrations,
];
