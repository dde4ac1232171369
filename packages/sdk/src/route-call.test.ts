import {
  agentToolRouteDefs,
  authRouteDefs,
  fillPath,
  orgsRouteDefs,
  supportRouteDefs,
  usersRouteDefs,
} from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { authApi } from './api/auth.js';
import { cannedApi } from './api/canned.js';
import { labelsApi } from './api/labels.js';
import { orgsApi } from './api/orgs.js';
import { searchApi } from './api/search.js';
import { supportApi } from './api/support.js';
import { supportHoursApi } from './api/support-hours.js';
import { usersApi } from './api/users.js';
import { sessionAuth } from './auth.js';
import type { RestCall } from './rest.js';
import { acceptInvite, signIn } from './sign-in.js';
import { widgetSession } from './widget-session.js';

/** A RestCall that records what the SDK asked for and answers nothing (the parse is the server's test). */
function recorder() {
  const calls: { method: string; path: string; schema: unknown; body?: unknown }[] = [];
  const call = (async (method: string, path: string, schema: unknown, opts?: { body?: unknown }) => {
    calls.push({ method, path, schema, body: opts?.body });
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
    const users = usersApi(call);
    const orgs = orgsApi(call);
    const auth = authApi(call);
    const r = { ...agentToolRouteDefs, ...supportRouteDefs, ...usersRouteDefs, ...orgsRouteDefs, ...authRouteDefs };
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
    ] as const;
    // Every route of the tables has an SDK call here, or (made before there is a session) in the next test.
    const sessionless = new Set<unknown>(Object.values(sessionlessCalls).map(([, def]) => def));
    expect(new Set(expected.map(([, def]) => def))).toEqual(
      new Set(Object.values(r).filter((def) => !sessionless.has(def))),
    );
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

  it('fills path parameters URL-encoded and refuses a missing one', () => {
    expect(fillPath('/api/v1/x/:id/y/:other', { id: 'a b', other: 'c/d' })).toBe('/api/v1/x/a%20b/y/c%2Fd');
    expect(() => fillPath('/api/v1/x/:id', {})).toThrow('missing path parameter id');
  });
});
