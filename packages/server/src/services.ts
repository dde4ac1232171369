import type { FastifyBaseLogger } from 'fastify';
import { approvalsService } from './modules/approvals/approvals.service.js';
import { assistantService } from './modules/assistant/assistant.service.js';
import { contactCenter } from './modules/assistant/contact-center.js';
import { copilotService } from './modules/assistant/copilot.js';
import { handoffSummaries } from './modules/assistant/handoff-summary.js';
import { supportInbox } from './modules/assistant/inbox.js';
import { llmResponder } from './modules/assistant/llm-responder.js';
import { socketSupportNotifier } from './modules/assistant/support-notifier.js';
import { dashboardLive } from './modules/dashboard/dashboard.live.js';
import { dashboardRecorder } from './modules/dashboard/dashboard.recorder.js';
import { fileNotifier } from './modules/files/file-notifier.js';
import { filesService } from './modules/files/files.service.js';
import { labelsService } from './modules/labels/labels.service.js';
import { messengerService } from './modules/messenger/messenger.service.js';
import { socketNotifier } from './modules/messenger/notifier.js';
import { notesService } from './modules/notes/notes.service.js';
import { notificationsService } from './modules/notifications/notifications.service.js';
import { OnlineListBatcher } from './modules/presence/online-list-batcher.js';
import { presenceService } from './modules/presence/presence.service.js';
import { supportHoursService } from './modules/support-hours/support-hours.service.js';
import { usersService } from './modules/users/users.service.js';
import { llmConfigured } from './platform/ai.js';
import type { Platform } from './platform/platform.js';
import { rooms } from './rooms.js';
import type { AppServer as SocketServer } from './socket/types.js';

/**
 * Every service of one app, built once by {@link buildServices} in dependency order. Modules receive this
 * object in their context instead of finding each other through per-app registries, so a dependency is a
 * constructor argument one can read here, and an app never sees another app's services (tests run several
 * apps in one process).
 */
export type Services = ReturnType<typeof buildServices>;

/**
 * The app's composition root: construct the services in dependency order and connect the events one module
 * hears from another (the assistant, the dashboard and notifications hear stored messages; the dashboard hears
 * contact-center outcomes; the contact center hears agents coming online). `close()` disconnects them and
 * ends the services' own timers; the app calls it when it closes.
 *
 * @example
 * ```ts
 * const services = buildServices(platform, io, app.log);
 * await services.messenger.send(actor, conversationId, input);
 * await services.close();
 * ```
 */
export function buildServices(platform: Platform, io: SocketServer, log: FastifyBaseLogger) {
  const users = usersService(platform);
  const supportHours = supportHoursService(platform, users);
  // One presence service per app: its listeners and lastSeen throttle are shared by sockets, REST and routing.
  const presence = presenceService(platform);
  const onlineLists = new OnlineListBatcher(io, presence, log);
  const messenger = messengerService(platform, socketNotifier(io));
  const files = filesService(platform, { messenger, notify: fileNotifier(io) });
  messenger.useAttachments(files.hooks);
  const notifications = notificationsService(platform, messenger, presence);

  const support = socketSupportNotifier(io);
  const cc = contactCenter(platform, support, messenger, presence);
  const approvals = approvalsService(platform, support, cc);
  const llm = llmConfigured(platform.config.ai)
    ? llmResponder(platform.config.ai, platform.metrics.registry)
    : undefined;
  const assistant = assistantService(platform, messenger, cc, approvals, llm);
  const labels = labelsService(platform, messenger, (orgId, event) =>
    io.to(rooms.staff(orgId)).emit('support.labels', event),
  );
  const inbox = supportInbox(platform, cc, messenger, labels.of);
  const notes = notesService(platform, messenger, (orgId, note) =>
    io.to(rooms.staff(orgId)).emit('support.note', note),
  );
  const copilot = copilotService(platform, messenger, assistant.draftAnswer);
  const summaries = llm ? handoffSummaries(platform, cc, copilot, notes.addSummary, log) : undefined;

  const live = dashboardLive(io);
  const recorder = dashboardRecorder(platform, messenger, live.changed, log);

  const disconnect = [
    // Replayed after a crash (idempotent on the message id: the draft and push tasks are keyed by it).
    // The assistant and the dashboard only care about support conversations: the rest cost them nothing.
    messenger.onMessageStored(
      (actor, message, { kind }) =>
        kind === 'support' && actor.role === 'customer' ? assistant.onCustomerMessage(actor, message) : undefined,
      { replay: true, needs: (actor) => actor.role === 'customer' },
    ),
    // Counters: live path only, never replayed (a replay could count a message twice).
    messenger.onMessageStored((actor, message, { kind }) =>
      kind === 'support' ? recorder.message(actor, message) : undefined,
    ),
    // A message whose recipients are all connected needs no push, and so no outbox row for one.
    messenger.onMessageStored((actor, message) => notifications.push.onMessage(actor, message), {
      replay: true,
      needs: (actor, conversationId) => notifications.push.anyoneAway(actor, conversationId),
    }),
    cc.onChange((change) => recorder.change(change)),
    // With an LLM, whoever picks a conversation up finds a summary of it among its notes.
    ...(summaries ? [cc.onChange((change) => summaries.onChange(change))] : []),
    // An agent coming online may take a waiting conversation; one going offline gives theirs back to the queue.
    presence.onChange((change) => {
      if (change.role === 'customer') return;
      const { userId, status } = change.presence;
      const done = (err: unknown) => log.error({ err }, 'assistant: routing on a presence change failed');
      if (status === 'online') cc.assignWaiting(change.orgId).catch(done);
      else if (status === 'offline') cc.releaseAll(change.orgId, userId, 'offline').catch(done);
    }),
    // Whoever leaves a support conversation they had, or is deactivated, hands it back to the queue.
    messenger.onMemberLeft((orgId, conversationId, userId) => {
      cc.release(orgId, conversationId, userId, 'left').catch((err) => log.error({ err }, 'assistant: release failed'));
    }),
    users.onDeactivated((orgId, userId) => cc.releaseAll(orgId, userId, 'deactivated')),
  ];

  return {
    users,
    presence,
    onlineLists,
    messenger,
    files,
    notifications,
    contactCenter: cc,
    approvals,
    assistant,
    inbox,
    labels,
    notes,
    copilot,
    summaries,
    supportHours,
    dashboard: { live, recorder },

    /**
     * Let after-commit work in flight finish, disconnect the cross-module listeners, let the dashboard record
     * what it heard, end the timers.
     */
    async close(): Promise<void> {
      // First the work that stored messages started, while its listeners are still connected.
      await messenger.close();
      for (const off of disconnect) off();
      await recorder.idle();
      live.close();
      notifications.close();
    },
  };
}
