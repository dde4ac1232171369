import {
  agentToolRouteDefs,
  approvalsRouteDefs,
  assistantRouteDefs,
  dashboardRouteDefs,
  fillPath,
  knowledgeRouteDefs,
  supportRouteDefs,
} from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { approvalsApi } from './api/approvals.js';
import { cannedApi } from './api/canned.js';
import { copilotApi } from './api/copilot.js';
import { dashboardApi } from './api/dashboard.js';
import { knowledgeApi } from './api/knowledge.js';
import { labelsApi } from './api/labels.js';
import { orgsApi } from './api/orgs.js';
import { searchApi } from './api/search.js';
import { supportApi } from './api/support.js';
import { supportHoursApi } from './api/support-hours.js';
import type { BinaryAccess } from './authed-fetch.js';
import type { RestCall } from './rest.js';

/** A RestCall that records what the SDK asked for and answers nothing (the parse is the server's test). */
function recorder() {
  const calls: { method: string; path: string; schema: unknown; body?: unknown; query?: unknown }[] = [];
  const call = (async (method: string, path: string, schema: unknown, opts?: { body?: unknown; query?: unknown }) => {
    calls.push({ method, path, schema, body: opts?.body, query: opts?.query });
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
    const copilot = copilotApi(call);
    const orgs = orgsApi(call);
    const approvals = approvalsApi(call);
    const kb = knowledgeApi(call);
    // The CSV downloads go around `call` (a file, not JSON); only the JSON calls are recorded.
    const dashboard = dashboardApi(call, {} as BinaryAccess);
    const r = {
      ...agentToolRouteDefs,
      ...supportRouteDefs,
      ...assistantRouteDefs,
      ...approvalsRouteDefs,
      ...knowledgeRouteDefs,
      ...dashboardRouteDefs,
    };
    const a = 'c0ffee00-0000-4000-8000-000000000003';
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
      // orgs.ts still writes these two calls by hand; the rows check they hit the table's routes.
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
    // Every route of the tables has an SDK call here, except the assistant's outcome feed (the SDK has none).
    const noSdkCall = new Set<unknown>([r.outcomes]);
    expect(new Set(expected.map(([, def]) => def))).toEqual(
      new Set(Object.values(r).filter((def) => !noSdkCall.has(def))),
    );
    for (const [run, def, params] of expected) {
      calls.length = 0;
      await run();
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ method: def.method, path: fillPath(def.path, params), schema: def.response });
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
