import { apiRouteDefs, authRouteDefs, fillPath } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { approvalsApi } from './api/approvals.js';
import { authApi } from './api/auth.js';
import { cannedApi } from './api/canned.js';
import { conversationsApi } from './api/conversations.js';
import { copilotApi } from './api/copilot.js';
import { dashboardApi } from './api/dashboard.js';
import { filesApi } from './api/files.js';
import { knowledgeApi } from './api/knowledge.js';
import { labelsApi } from './api/labels.js';
import { messagesApi, syncApi } from './api/messages.js';
import { notificationsApi } from './api/notifications.js';
import { orgsApi } from './api/orgs.js';
import { presenceApi } from './api/presence.js';
import { searchApi } from './api/search.js';
import { supportApi } from './api/support.js';
import { supportHoursApi } from './api/support-hours.js';
import { tasksApi } from './api/tasks.js';
import { telemetryApi } from './api/telemetry.js';
import { usersApi } from './api/users.js';
import { sessionAuth } from './auth.js';
import type { BinaryAccess } from './authed-fetch.js';
import type { RestCall } from './rest.js';
import { acceptInvite, signIn } from './sign-in.js';
import { widgetSession } from './widget-session.js';

/** A RestCall that records what the SDK asked for and answers nothing (the parse is the server's test). */
function recorder() {
  const calls: { method: string; path: string; schema: unknown; body?: unknown; query?: unknown }[] = [];
  const call = (async (method: string, path: string, schema: unknown, opts?: { body?: unknown; query?: unknown }) => {
    calls.push({ method, path, schema, body: opts?.body, query: opts?.query });
    return { items: [] };
  }) as unknown as RestCall;
  return { calls, call };
}

const url = 'http://sb.example';
/** The calls made without a session (plain fetch, not RestCall): each with the route it must hit. */
const sessionlessCalls = {
  signIn: [
    (fetch: typeof globalThis.fetch) => signIn({ url, fetch }, { email: 'a@b.example', password: 'pw' }),
    authRouteDefs.login,
  ],
  acceptInvite: [
    (fetch: typeof globalThis.fetch) => acceptInvite({ url, fetch }, { token: 't', password: 'a long new password' }),
    authRouteDefs.acceptInvite,
  ],
  widgetSession: [
    (fetch: typeof globalThis.fetch) => widgetSession({ url, fetch }, { widgetKey: 'k' }),
    authRouteDefs.widgetSession,
  ],
  refresh: [
    (fetch: typeof globalThis.fetch) => {
      const auth = sessionAuth({
        tokenType: 'Bearer',
        accessToken: 'a',
        accessTokenExpiresAt: 0,
        refreshToken: 'r',
        sessionExpiresAt: 0,
        sessionId: 'c0ffee00-0000-4000-8000-000000000003',
      });
      auth.bind?.({ baseUrl: url, fetch, timeoutMs: 1000 });
      return auth.refresh();
    },
    authRouteDefs.refresh,
  ],
} as const;

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
    const users = usersApi(call);
    const orgs = orgsApi(call);
    const auth = authApi(call);
    const copilot = copilotApi(call);
    const approvals = approvalsApi(call);
    const kb = knowledgeApi(call);
    // The CSV downloads go around `call` (a file, not JSON); only the JSON calls are recorded.
    const dashboard = dashboardApi(call, {} as BinaryAccess);
    const a = 'c0ffee00-0000-4000-8000-000000000003';
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
      // The assistant's outcome feed (the supervisors' dashboard reads it; the SDK has no call).
      r.outcomes,
      // Made before there is a session (plain fetch): checked in the next test.
      ...Object.values(sessionlessCalls).map(([, def]) => def),
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
      [() => conversations.create({ kind: 'direct', userId: l }), r.startConversation, {}],
      [() => conversations.get(c), r.getConversation, { conversationId: c }],
      [() => conversations.rename(c, 'Team'), r.renameConversation, { conversationId: c }],
      [() => conversations.addMembers(c, { userIds: [l] }), r.addConversationMembers, { conversationId: c }],
      [() => conversations.leave(c), r.leaveConversation, { conversationId: c }],
      [() => messages.send(c, { clientMsgId: m, text: 'hi' }), r.sendMessage, { conversationId: c }],
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
      [() => users.directory({ q: 'ali' }), r.userDirectory, {}],
      [() => users.list({ role: 'agent' }), r.listUsers, {}],
      [() => users.get(l), r.getUser, { id: l }],
      [() => users.create({ email: 'a@b.example', password: 'a long password', role: 'agent' }), r.createUser, {}],
      [() => users.invite({ email: 'a@b.example', role: 'agent' }), r.inviteUser, {}],
      [() => users.reinvite(l), r.reinviteUser, { id: l }],
      [() => users.update(l, { role: 'supervisor' }), r.updateUser, { id: l }],
      [() => users.deactivate(l), r.deactivateUser, { id: l }],
      [() => users.reactivate(l), r.reactivateUser, { id: l }],
      [() => orgs.current(), r.currentOrg, {}],
      [() => orgs.update({ name: 'Acme' }), r.updateOrg, {}],
      [() => orgs.widget(), r.widgetSettings, {}],
      [() => orgs.rotateWidgetSecret(), r.rotateWidgetSecret, {}],
      [() => auth.me(), r.me, {}],
      [() => auth.logout(), r.logout, {}],
      [
        () => auth.changePassword({ currentPassword: 'old password', newPassword: 'a long new password' }),
        r.changePassword,
        {},
      ],
      [() => orgs.aiSettings(), r.aiSettings, {}],
      [() => orgs.updateAiSettings({ threshold: 0.7 }), r.updateAiSettings, {}],
      [() => support.state(c), r.supportState, { conversationId: c }],
      [() => support.handoff(c), r.handoff, { conversationId: c }],
      [() => support.take(c), r.take, { conversationId: c }],
      [() => support.resolve(c), r.resolve, { conversationId: c }],
      [() => support.reopen(c), r.reopen, { conversationId: c }],
      [() => support.transfer(c, a), r.transfer, { conversationId: c }],
      [() => support.csat(c, 5), r.csat, { conversationId: c }],
      [() => support.inbox({ mine: true, customer: a }), r.supportInbox, {}],
      [() => support.history(c, { limit: 10 }), r.supportHistory, { conversationId: c }],
      [() => copilot.suggest(c), r.copilotSuggest, { conversationId: c }],
      [() => copilot.rewrite(c, { text: 'hi', style: 'shorter' }), r.copilotRewrite, { conversationId: c }],
      [() => copilot.translate(c, { text: 'hi', language: 'de' }), r.copilotTranslate, { conversationId: c }],
      [() => copilot.summary(c), r.copilotSummary, { conversationId: c }],
      [() => approvals.pending(), r.pendingApprovals, {}],
      [() => approvals.thresholds(), r.approvalThresholds, {}],
      [() => approvals.edits(), r.draftEdits, {}],
      [() => approvals.claim(a), r.claimApproval, { id: a }],
      [() => approvals.decide(a, { action: 'approve' }), r.decideApproval, { id: a }],
      [() => kb.list(), r.listArticles, {}],
      [() => kb.create({ title: 'T', body: 'B' }), r.createArticle, {}],
      [() => kb.import({ articles: [{ title: 'T', body: 'B' }] }), r.importArticles, {}],
      [() => kb.get(a), r.getArticle, { id: a }],
      [() => kb.update(a, { published: true }), r.updateArticle, { id: a }],
      [() => kb.remove(a), r.deleteArticle, { id: a }],
      [() => dashboard.summary({ period: '7d' }), r.dashboardSummary, {}],
      [() => dashboard.timeseries({ metric: 'conversationsStarted', period: '7d' }), r.dashboardTimeseries, {}],
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

  it('sign-in, invite, widget session and refresh (no session, no RestCall) post to their routes', async () => {
    for (const [name, [run, def]] of Object.entries(sessionlessCalls)) {
      const seen: { method?: string; url: string }[] = [];
      const fetch = (async (url: string, init: RequestInit) => {
        seen.push({ method: init.method, url });
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      }) as typeof globalThis.fetch;
      // The fake answer is no valid body, so each call rejects after the request it made.
      await expect(run(fetch), name).rejects.toThrow();
      expect(seen, name).toEqual([{ method: def.method, url: `http://sb.example${def.path}` }]);
    }
  });

  it("passes every inbox filter of the table's query, `mine` as the string the query takes", async () => {
    const { calls, call } = recorder();
    const customer = 'c0ffee00-0000-4000-8000-000000000004';
    await supportApi(call).inbox({ mine: true, customer, channel: 'widget' });
    expect(calls[0]?.query).toEqual({ mine: 'true', customer, channel: 'widget' });
  });

  it('fills path parameters URL-encoded and refuses a missing one', () => {
    expect(fillPath('/api/v1/x/:id/y/:other', { id: 'a b', other: 'c/d' })).toBe('/api/v1/x/a%20b/y/c%2Fd');
    expect(() => fillPath('/api/v1/x/:id', {})).toThrow('missing path parameter id');
  });
});
