import { assistantModule } from './modules/assistant/assistant.module.js';
import { authRoutes } from './modules/auth/auth.http.js';
import { cannedModule } from './modules/canned/canned.module.js';
import { dashboardModule } from './modules/dashboard/dashboard.module.js';
import { filesModule } from './modules/files/files.module.js';
import { healthRoutes } from './modules/health/health.http.js';
import { knowledgeModule } from './modules/knowledge/knowledge.http.js';
import { labelsModule } from './modules/labels/labels.module.js';
import { messengerModule } from './modules/messenger/messenger.module.js';
import { metricsRoutes } from './modules/metrics/metrics.http.js';
import { notesModule } from './modules/notes/notes.module.js';
import { notificationsModule } from './modules/notifications/notifications.module.js';
import { orgsRoutes } from './modules/orgs/orgs.http.js';
import { presenceModule } from './modules/presence/presence.module.js';
import { supportHoursRoutes } from './modules/support-hours/support-hours.http.js';
import { tasksModule } from './modules/tasks/tasks.module.js';
import { telemetryModule } from './modules/telemetry/telemetry.module.js';
import { usersRoutes } from './modules/users/users.http.js';
import { scheduledBackupModule } from './ops/backup-schedule.js';
import type { ServerModule } from './server-module.js';
import { socketDebugLogModule } from './socket/debug-log.js';

/** Every module of the service, in registration order. */
export const serverModules: ServerModule[] = [
  { name: 'health', http: (app, ctx) => healthRoutes(app, ctx) },
  { name: 'auth', http: authRoutes },
  { name: 'orgs', http: orgsRoutes },
  { name: 'users', http: usersRoutes },
  { name: 'metrics', http: metricsRoutes },
  presenceModule,
  messengerModule,
  socketDebugLogModule,
  filesModule,
  tasksModule,
  scheduledBackupModule,
  telemetryModule,
  knowledgeModule,
  assistantModule,
  notesModule,
  cannedModule,
  labelsModule,
  dashboardModule,
  notificationsModule,
  { name: 'support-hours', http: supportHoursRoutes },
  { name: 'web', http: async (app) => (await import('./modules/web/web.http.js')).webRoutes(app) },
  {
    name: 'widget',
    http: async (app, { platform }) => (await import('./modules/web/widget.http.js')).widgetRoutes(app, platform),
  },
];
