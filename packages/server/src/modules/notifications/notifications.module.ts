import { z } from 'zod';
import type { Platform } from '../../platform/platform.js';
import type { ServerModule } from '../../server-module.js';
import { DIGEST_SWEEP_TASK, DIGEST_TASK, DigestTaskSchema } from './digest.js';
import { notificationsRoutes } from './notifications.http.js';
import type { NotificationsService } from './notifications.service.js';
import { MESSAGE_TASK, MessageTaskSchema, PUSH_TASK, PushTaskSchema } from './notify.js';

/** The task handlers of the notification senders; registered once per platform queue. */
export function registerNotificationTasks(platform: Platform, svc: NotificationsService): void {
  if (platform.jobs.handles(MESSAGE_TASK)) return;
  platform.jobs.register({
    type: MESSAGE_TASK,
    schema: MessageTaskSchema,
    maxAttempts: 5,
    timeoutMs: 60_000,
    description: 'Decide who gets a push for a new message and queue the sends',
    handler: (p) => svc.push.runMessage(p),
  });
  platform.jobs.register({
    type: PUSH_TASK,
    schema: PushTaskSchema,
    maxAttempts: 5,
    timeoutMs: 60_000,
    concurrency: 8,
    description: "Send a Web Push to each of a user's subscriptions",
    handler: (p) => svc.push.runPush(p),
  });
  platform.jobs.register({
    type: DIGEST_SWEEP_TASK,
    schema: z.object({}).passthrough(),
    maxAttempts: 3,
    description: 'Queue an email digest check for everyone who missed messages while offline',
    handler: () => svc.digest.sweep(),
  });
  platform.jobs.register({
    type: DIGEST_TASK,
    schema: DigestTaskSchema,
    maxAttempts: 5,
    timeoutMs: 60_000,
    concurrency: 2,
    description: 'Send one user their email digest if they qualify',
    handler: (p) => svc.digest.run(p),
  });
  platform.jobs.schedule({ name: 'notifications.digest', cron: '0 * * * *', type: DIGEST_SWEEP_TASK });
}

/**
 * Notifications (issue 14): Web Push for new messages to members without a live socket, daily email
 * digests, and the settings that decide both. The service hears stored messages through services.ts.
 */
export const notificationsModule: ServerModule = {
  name: 'notifications',
  async http(app, { platform, services }) {
    registerNotificationTasks(platform, services.notifications);
    await notificationsRoutes(app, services.notifications);
  },
};
