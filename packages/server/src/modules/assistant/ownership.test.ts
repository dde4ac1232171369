import { randomUUID } from 'node:crypto';
import type { Approval, ConversationStatusEvent, SupportStatus } from '@switchboard/protocol';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ARTICLES } from '../../seed/demo-kb.js';
import {
  bearer,
  connectSocket,
  createOrgWithUsers,
  describeApp,
  insertTestUser,
  listen,
  nextEvent as next,
  type OrgFixture,
  sessionFor,
} from '../../test/auth.js';
import { waitFor } from '../../test/waits.js';
import { knowledgeService } from '../knowledge/knowledge.service.js';
import { DONT_KNOW, promisesPerson } from './responder.js';

/**
 * Ownership never strands a customer (issue 20): after every outcome a support conversation has an owner
 * (the AI while `ai_active`, a person while `human_active`) or a place in the human queue.
 */
describeApp(
  'support conversations always have an owner or a queue place',
  (ctx) => {
    let a: OrgFixture;
    let url: string;
    let widgetKey: string;
    let adminToken: string;
    let agentToken: string;
    let agent: Socket;
    let second: { id: string; token: string; socket: Socket };
    let supervisor: Socket;
    const customers: Socket[] = [];

    beforeAll(async () => {
      const { app, platform } = ctx();
      a = await createOrgWithUsers(platform);
      await knowledgeService(platform).import(a.org.id, null, { articles: [...DEMO_ARTICLES] });
      url = await listen(app);
      adminToken = (await sessionFor(platform, a.users.admin)).accessToken;
      agentToken = (await sessionFor(platform, a.users.agent)).accessToken;
      widgetKey = (
        await app.inject({ method: 'GET', url: '/api/v1/orgs/current/widget', headers: bearer(adminToken) })
      ).json().widgetKey;
      // Room for every conversation these tests hand out: capacity is not what is under test here.
      await app.inject({
        method: 'PATCH',
        url: '/api/v1/ai/settings',
        headers: bearer(adminToken),
        payload: { agentCapacity: 50 },
      });
      const user = await insertTestUser(platform, {
        orgId: a.org.id,
        email: `second-agent-${randomUUID()}@example.test`,
        displayName: 'Second Agent',
        role: 'agent',
        passwordHash: null,
      });
      const token = (await sessionFor(platform, user)).accessToken;
      agent = await connectSocket(url, agentToken);
      supervisor = await connectSocket(url, (await sessionFor(platform, a.users.supervisor)).accessToken);
      second = { id: user.id, token, socket: await connectSocket(url, token) };
    });
    afterAll(() => {
      for (const s of [agent, supervisor, second?.socket, ...customers]) s?.close();
    });

    /** A new visitor with their own socket and support conversation. */
    async function visitor() {
      const session = (
        await ctx().app.inject({ method: 'POST', url: '/api/v1/widget/session', payload: { widgetKey } })
      ).json();
      const socket = await connectSocket(url, session.accessToken);
      customers.push(socket);
      const res = await ctx().app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: bearer(session.accessToken),
        payload: { kind: 'support' },
      });
      const conversationId = res.json().conversation.id as string;
      const ask = (text: string) =>
        socket.emitWithAck('message.send', { conversationId, clientMsgId: randomUUID(), text });
      return { socket, conversationId, ask, token: session.accessToken as string };
    }

    /** The conversation's owner or queue place right now; fails the test if it has neither. */
    async function ownerOf(conversationId: string): Promise<{ status: SupportStatus; assignedTo: string | null }> {
      const cc = ctx().app.services.contactCenter;
      const s = await cc.state(a.org.id, conversationId);
      const place = await cc.queuePosition(a.org.id, conversationId);
      // Two reads: if an assignment landed between them, read again (a snapshot, not a half-moved state).
      const again = await cc.state(a.org.id, conversationId);
      if (again.status !== s.status || again.assignedTo !== s.assignedTo) return ownerOf(conversationId);
      const owned =
        s.status === 'ai_active' ||
        s.status === 'pending_approval' ||
        s.status === 'resolved' ||
        (s.status === 'human_active' && s.assignedTo !== null) ||
        (s.status === 'human_requested' && place !== undefined);
      expect(owned, `${conversationId}: ${s.status}, assigned to ${s.assignedTo}, queue place ${place}`).toBe(true);
      return { status: s.status as SupportStatus, assignedTo: s.assignedTo };
    }

    /** Poll the conversation's state until it is `status` (and then check it has an owner or a place). */
    async function reaches(conversationId: string, status: SupportStatus, what: string) {
      await waitFor(
        async () => (await ctx().app.services.contactCenter.state(a.org.id, conversationId)).status === status,
        {
          what,
          stepMs: 20,
        },
      );
      return ownerOf(conversationId);
    }

    const decide = (item: Approval, payload: object) =>
      ctx().app.inject({
        method: 'POST',
        url: `/api/v1/approvals/${item.id}/decision`,
        headers: bearer(agentToken),
        payload,
      });

    async function drafted(text: string) {
      const v = await visitor();
      const created = next<Approval>(agent, 'approval.created', (x) => x.conversationId === v.conversationId);
      await v.ask(text);
      return { ...v, item: await created };
    }

    const statusIn = (s: Socket, conversationId: string, status: SupportStatus) =>
      next<ConversationStatusEvent>(
        s,
        'conversation.status',
        (e) => e.conversationId === conversationId && e.status === status,
      );

    it('recognises the no-answer text, and promises of a person, as promising a person', () => {
      expect(promisesPerson(DONT_KNOW)).toBe(true);
      expect(promisesPerson('Thanks! A member of our team will get back to you shortly.')).toBe(true);
      expect(promisesPerson('Open Settings, then Security, and choose Change password.')).toBe(false);
    });

    it('approve: an answer keeps the AI as owner; the no-answer draft goes to a person', async () => {
      // A draft above the floor (0.2): under it there is no text to approve (responder.ts DRAFT_FLOOR).
      const weak = await drafted('Do approvals expire?');
      expect((await decide(weak.item, { action: 'approve' })).statusCode).toBe(200);
      await waitFor(async () => (await ownerOf(weak.conversationId)).status === 'ai_active');

      const none = await drafted('xqzv blorp frindle quux');
      expect(none.item.draft).toBe(DONT_KNOW);
      const person = statusIn(none.socket, none.conversationId, 'human_active');
      expect((await decide(none.item, { action: 'approve' })).statusCode).toBe(200);
      // Routed to an agent who is online, never to the supervisor watching.
      expect([a.users.agent.id, second.id]).toContain((await person).assignedTo);
      expect((await ownerOf(none.conversationId)).status).toBe('human_active');
    });

    it('edit: the edited answer, sent as the agent, keeps an owner; an edit promising a person queues it', async () => {
      const plain = await drafted('Can I change my email address?');
      const answer = next<{ message?: { senderId: string; text: string } }>(
        plain.socket,
        'message.new',
        (e) => e.message?.text === 'Yes: Settings → Profile → Email.',
      );
      expect((await decide(plain.item, { action: 'edit', text: 'Yes: Settings → Profile → Email.' })).statusCode).toBe(
        200,
      );
      // The edited answer is the agent's, under their name, never the AI's.
      expect((await answer).message?.senderId).toBe(a.users.agent.id);
      await waitFor(async () => (await ownerOf(plain.conversationId)).status === 'ai_active');
      const promise = await drafted('Can I change my email address?');
      const person = statusIn(promise.socket, promise.conversationId, 'human_active');
      const text = 'Good question: a member of our team will get back to you about this today.';
      expect((await decide(promise.item, { action: 'edit', text })).statusCode).toBe(200);
      expect((await person).assignedTo).toBeTruthy();
    });

    it('reject: the rejecting agent has it', async () => {
      const r = await drafted('Can I change my email address?');
      expect((await decide(r.item, { action: 'reject', reason: 'wrong article' })).statusCode).toBe(200);
      expect(await ownerOf(r.conversationId)).toEqual({ status: 'human_active', assignedTo: a.users.agent.id });
    });

    it('timeout: a draft nobody decided in time goes to a person', async () => {
      const t = await drafted('Can I change my email address?');
      const person = statusIn(t.socket, t.conversationId, 'human_active');
      // The delayed task's handler, called as the task queue would when the approval window ends.
      await ctx().app.services.approvals.timeout(a.org.id, t.item.id);
      expect([a.users.agent.id, second.id]).toContain((await person).assignedTo);
      await ownerOf(t.conversationId);
    });

    it('customer asks for a person: an agent has it', async () => {
      const v = await visitor();
      const person = statusIn(v.socket, v.conversationId, 'human_active');
      await v.ask('I want to speak to a manager');
      expect([a.users.agent.id, second.id]).toContain((await person).assignedTo);
      await ownerOf(v.conversationId);
    });

    it('support conversations stay out of the staff messenger list (scope messenger), in the console', async () => {
      const v = await visitor();
      await v.ask('a real person please');
      const mine = await reaches(v.conversationId, 'human_active', 'a person to have it');
      const token = mine.assignedTo === second.id ? second.token : agentToken;
      const ids = async (scope: string) =>
        (await ctx().app.inject({ method: 'GET', url: `/api/v1/conversations?scope=${scope}`, headers: bearer(token) }))
          .json()
          .items.map((c: { id: string }) => c.id);
      expect(await ids('all')).toContain(v.conversationId);
      expect(await ids('support')).toContain(v.conversationId);
      expect(await ids('messenger')).not.toContain(v.conversationId);
    });

    it('agent leaves the conversation: it goes back to the queue and to the other agent', async () => {
      const v = await visitor();
      await v.ask('a real person please');
      const mine = await reaches(v.conversationId, 'human_active', 'a person to have it');
      const owner = mine.assignedTo === second.id ? second.token : agentToken;
      const other = mine.assignedTo === second.id ? a.users.agent.id : second.id;
      const left = await ctx().app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${v.conversationId}/leave`,
        headers: bearer(owner),
      });
      expect(left.statusCode).toBe(204);
      await waitFor(
        async () => (await ctx().app.services.contactCenter.state(a.org.id, v.conversationId)).assignedTo === other,
        { what: 'the other agent' },
      );
      expect(await ownerOf(v.conversationId)).toEqual({ status: 'human_active', assignedTo: other });
    });

    it('agent goes offline, or is deactivated: their conversations go back to the queue', async () => {
      // Only the second agent is available, so they get the conversation.
      await agent.timeout(5_000).emitWithAck('status:update', { status: 'busy' });
      try {
        const v = await visitor();
        await v.ask('agent');
        expect((await reaches(v.conversationId, 'human_active', 'the second agent to have it')).assignedTo).toBe(
          second.id,
        );

        // The second agent's last socket goes: offline after the grace; nobody else available → queued.
        second.socket.close();
        // The server hears the close; then the offline grace passes on the app's clock and a sweep runs.
        await waitFor(async () => !(await ctx().platform.presence.get(a.org.id, second.id))?.connections.length, {
          what: 'the server to hear the second agent leave',
        });
        ctx().clock.advance(2_000);
        await ctx().app.services.presence.sweep();
        await reaches(v.conversationId, 'human_requested', 'the conversation back in the queue');
        expect(await ctx().app.services.contactCenter.queuePosition(a.org.id, v.conversationId)).toBeGreaterThanOrEqual(
          1,
        );

        // The first agent is back (active after the clock jump, as their client's heartbeat says): they get it.
        await agent.timeout(5_000).emitWithAck('heartbeat', { active: true });
        await agent.timeout(5_000).emitWithAck('status:update', { status: 'online' });
        expect((await reaches(v.conversationId, 'human_active', 'the first agent to have it')).assignedTo).toBe(
          a.users.agent.id,
        );

        // Deactivated while holding it (and nobody else available): back in the queue at once.
        await agent.timeout(5_000).emitWithAck('status:update', { status: 'busy' });
        const off = await ctx().app.inject({
          method: 'POST',
          url: `/api/v1/users/${a.users.agent.id}/deactivate`,
          headers: bearer(adminToken),
        });
        expect(off.statusCode).toBe(200);
        expect(await ownerOf(v.conversationId)).toEqual({ status: 'human_requested', assignedTo: null });
      } finally {
        await agent
          .timeout(5_000)
          .emitWithAck('status:update', { status: 'online' })
          .catch(() => {});
      }
    });
    it('nobody available: customers wait with their place; when capacity frees the oldest goes first', async () => {
      // Both earlier agents are gone by now (one closed, one deactivated): nobody takes what is queued, and
      // conversations of earlier tests may be waiting ahead of these two.
      const first = await visitor();
      const placed = statusIn(first.socket, first.conversationId, 'human_requested');
      // Requests at one instant are ordered by id: let the app's clock move so "oldest" is well defined.
      ctx().clock.advance(1_000);
      await first.ask('a real person please');
      const ahead = (await placed).queuePosition ?? 0;
      expect(ahead).toBeGreaterThanOrEqual(1);
      const later = await visitor();
      const placedLater = statusIn(later.socket, later.conversationId, 'human_requested');
      ctx().clock.advance(1_000);
      await later.ask('a real person please');
      expect((await placedLater).queuePosition).toBe(ahead + 1);
      // Room for exactly the requests up to `first`: oldest first, `later` must be the one left waiting.
      await ctx().app.inject({
        method: 'PATCH',
        url: '/api/v1/ai/settings',
        headers: bearer(adminToken),
        payload: { agentCapacity: ahead },
      });

      // An agent comes online: the oldest requests are theirs, the later one moves to the front.
      const user = await insertTestUser(ctx().platform, {
        orgId: a.org.id,
        email: `third-agent-${randomUUID()}@example.test`,
        displayName: 'Third Agent',
        role: 'agent',
        passwordHash: null,
      });
      const moved = next<ConversationStatusEvent>(
        later.socket,
        'conversation.status',
        (e) => e.conversationId === later.conversationId && e.queuePosition === 1,
      );
      customers.push(await connectSocket(url, (await sessionFor(ctx().platform, user)).accessToken));
      expect((await reaches(first.conversationId, 'human_active', 'the oldest to be assigned')).assignedTo).toBe(
        user.id,
      );
      expect((await moved).status).toBe('human_requested');
      expect(await ownerOf(later.conversationId)).toEqual({ status: 'human_requested', assignedTo: null });
    });
  },
  { PRESENCE_OFFLINE_GRACE_MS: '1000' },
);
