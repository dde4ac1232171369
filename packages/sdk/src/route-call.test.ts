import { apiRouteDefs, fillPath } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { cannedApi } from './api/canned.js';
import { conversationsApi } from './api/conversations.js';
import { filesApi } from './api/files.js';
import { labelsApi } from './api/labels.js';
import { messagesApi, syncApi } from './api/messages.js';
import { notificationsApi } from './api/notifications.js';
import { presenceApi } from './api/presence.js';
import { searchApi } from './api/search.js';
import { supportApi } from './api/support.js';
import { supportHoursApi } from './api/support-hours.js';
import { tasksApi } from './api/tasks.js';
import { telemetryApi } from './api/telemetry.js';
import type { BinaryAccess } from './authed-fetch.js';
import type { RestCall } from './rest.js';

/** A RestCall that records what the SDK asked for and answers nothing (the parse is the server's test). */
function recorder() {
  const calls: { method: string; path: string; schema: unknown; body?: unknown }[] = [];
  const call = (async (method: string, path: string, schema: unknown, opts?: { body?: unknown }) => {
    calls.push({ method, path, schema, body: opts?.body });
    return { items: [] };
  }) as unknown as RestCall;
  return { calls, call };
}

describe('SDK calls built from the protocol route table', () => {
  it('hit the method, path and response schema the server registers', async () => {
    const { calls, call } = recorder();
    const labels = labelsApi(call);
    const canned = cannedApi(call);
    const support = supportApi(call);
    const c = 'c0ffee00-0000-4000-8000-000000000001';
    const l = 'c0ffee00-0000-4000-8000-000000000002';
    const hours = supportHoursApi(call);
    const tasks = tasksApi(call);
    const notifications = notificationsApi(call);
    // The JSON calls only: uploads and downloads go through `authedFetch`, not the RestCall.
    const files = filesApi(call, {} as BinaryAccess);
    const conversations = conversationsApi(call);
    const messages = messagesApi(call);
    const presence = presenceApi(call);
    const m = 'c0ffee00-0000-4000-8000-000000000003';
    const r = apiRouteDefs;
    const withoutSdkCall = [
      // Served for other clients (the presence document's paths, a second way to leave, admin reads).
      r.removeConversationMember,
      r.leaveConversationByPost,
      r.messageEdits,
      r.onlineStats,
      r.legacyOnlineStatus,
      r.legacyOnlineStats,
      r.legacyUserPresence,
      r.legacyPresenceHeartbeat,
      // Admin task tools the SDK has no method for.
      r.inspectTask,
      r.purgeTasks,
      r.setEnabledTaskTypes,
      // Called without a session by `unsubscribeEmail` (unsubscribe.ts), not through a RestCall.
      r.unsubscribeEmail,
    ];
    const expected = [
      [() => labels.list(), r.listLabels, {}],
      [() => labels.create({ name: 'vip' }), r.createLabel, {}],
      [() => labels.remove(l), r.deleteLabel, { id: l }],
      [() => support.addLabel(c, l), r.addLabel, { conversationId: c, labelId: l }],
      [() => support.removeLabel(c, l), r.removeLabel, { conversationId: c, labelId: l }],
      [() => canned.list(), r.listCanned, {}],
      [() => canned.create({ scope: 'personal', shortcut: 'hi', title: 'Hi', text: 'Hi!' }), r.createCanned, {}],
      [() => canned.update(l, { text: 'Hello!' }), r.updateCanned, { id: l }],
      [() => canned.remove(l), r.deleteCanned, { id: l }],
      [() => support.notes(c), r.listNotes, { conversationId: c }],
      [() => support.addNote(c, { text: 'n' }), r.addNote, { conversationId: c }],
      [() => hours.hours(), r.hours, {}],
      [() => hours.settings(), r.hoursSettings, {}],
      [
        () =>
          hours.updateSettings({
            timezone: 'UTC',
            hoursEnabled: false,
            hours: [],
            awayMessage: '',
            prechatName: false,
            prechatEmail: false,
          }),
        r.updateHoursSettings,
        {},
      ],
      [() => hours.setContact({ email: 'a@b.example' }), r.setContact, {}],
      [() => support.routing(), r.routing, {}],
      [() => support.setRouting({ takesChats: true }), r.setRouting, {}],
      [() => searchApi(call)({ q: 'invoice', scope: 'support' }), r.search, {}],
      [() => tasks.submit({ type: 'demo.sleep', payload: {} }, { idempotencyKey: 'k' }), r.submitTask, {}],
      [() => tasks.types(), r.taskTypes, {}],
      [() => tasks.list({ state: 'failed' }), r.listTasks, {}],
      [() => tasks.get(l), r.getTask, { id: l }],
      [() => tasks.cancel(l), r.cancelTask, { id: l }],
      [() => tasks.retry(l), r.retryTask, { id: l }],
      [() => tasks.deadLetters(), r.adminListTasks, {}],
      [() => tasks.redrive({ type: 'demo.sleep' }), r.redriveTasks, {}],
      [
        () => notifications.subscribePush({ endpoint: 'https://push.example/1', keys: { p256dh: 'p', auth: 'a' } }),
        r.subscribePush,
        {},
      ],
      [() => notifications.settings(), r.notificationSettings, {}],
      [() => notifications.updateSettings({ keywords: ['outage'] }), r.updateNotificationSettings, {}],
      [() => notifications.conversations(), r.conversationNotifications, {}],
      [
        () => notifications.updateConversation(c, { muteForMs: 60_000 }),
        r.updateConversationNotification,
        { conversationId: c },
      ],
      [() => notifications.vapidPublicKey(), r.vapidPublicKey, {}],
      [() => notifications.unsubscribePush('https://push.example.test/1'), r.unsubscribePush, {}],
      [() => notifications.deliveries(10), r.notificationDeliveries, {}],
      [() => files.meta(l), r.fileMeta, { id: l }],
      [() => files.settings(), r.fileSettings, {}],
      [() => files.updateSettings({ serveUnscanned: true }), r.updateFileSettings, {}],
      [() => conversations.list({ scope: 'messenger' }), r.listConversations, {}],
      [() => conversations.get(c), r.getConversation, { conversationId: c }],
      [() => conversations.rename(c, 'Team'), r.renameConversation, { conversationId: c }],
      [() => conversations.addMembers(c, { userIds: [l] }), r.addConversationMembers, { conversationId: c }],
      [() => conversations.leave(c), r.leaveConversation, { conversationId: c }],
      [() => messages.history(c, { limit: 20 }), r.messageHistory, { conversationId: c }],
      [() => messages.markRead(c, 3), r.markConversationRead, { conversationId: c }],
      [() => messages.get(m), r.getMessage, { messageId: m }],
      [() => messages.edit(m, 'fixed'), r.editMessage, { messageId: m }],
      [() => messages.delete(m), r.deleteMessage, { messageId: m }],
      [() => messages.react(m, '👍'), r.reactToMessage, { messageId: m }],
      [() => syncApi(call)({ since: { [c]: 4 } }, 5000), r.sync, {}],
      [() => presence.list({ limit: 10 }), r.onlineStatus, {}],
      [() => presence.get(l), r.userPresence, { userId: l }],
      [() => presence.heartbeat(true), r.presenceHeartbeat, {}],
      [() => telemetryApi(call)({ counts: { send_timeout: 1 } }), r.reportTelemetry, {}],
    ] as const;
    // Every route of the tables has an SDK call here, but those listed above.
    expect(new Set([...expected.map(([, def]) => def), ...withoutSdkCall])).toEqual(new Set(Object.values(r)));
    for (const [run, def, params] of expected) {
      calls.length = 0;
      await run();
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ method: def.method, path: fillPath(def.path, params), schema: def.response });
    }
  });

  it('fills path parameters URL-encoded and refuses a missing one', () => {
    expect(fillPath('/api/v1/x/:id/y/:other', { id: 'a b', other: 'c/d' })).toBe('/api/v1/x/a%20b/y/c%2Fd');
    expect(() => fillPath('/api/v1/x/:id', {})).toThrow('missing path parameter id');
  });
});
