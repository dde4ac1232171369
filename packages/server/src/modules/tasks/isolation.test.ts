import { randomUUID } from 'node:crypto';
import type { ConversationEvent, Task } from '@switchboard/protocol';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_ARTICLES } from '../../seed/demo-kb.js';
import {
  bearer,
  connectSocket,
  createOrgWithUsers,
  describeApp,
  listen,
  nextEvent,
  type OrgFixture,
  sessionFor,
} from '../../test/auth.js';
import { knowledgeService } from '../knowledge/knowledge.service.js';

/**
 * Tenants do not starve each other through the task queue (issue 21): user-submitted tasks hold at most
 * their share of the slots, the platform's own work (AI drafts) keeps the rest, and each user and org has a
 * cap on pending tasks.
 */
describeApp(
  'task queue isolation',
  (ctx) => {
    let a: OrgFixture;
    let b: OrgFixture;
    let url: string;
    const visitorOf = async (org: OrgFixture) => {
      const admin = (await sessionFor(ctx().platform, org.users.admin)).accessToken;
      const { widgetKey } = (
        await ctx().app.inject({ method: 'GET', url: '/api/v1/orgs/current/widget', headers: bearer(admin) })
      ).json();
      return (await ctx().app.inject({ method: 'POST', url: '/api/v1/widget/session', payload: { widgetKey } })).json()
        .accessToken as string;
    };
    const submit = (token: string, payload: object = { seconds: 60, steps: 60 }) =>
      ctx().app.inject({
        method: 'POST',
        url: '/api/v1/tasks',
        headers: bearer(token),
        payload: { type: 'demo.sleep', payload },
      });

    beforeAll(async () => {
      a = await createOrgWithUsers(ctx().platform);
      b = await createOrgWithUsers(ctx().platform);
      await knowledgeService(ctx().platform).import(b.org.id, null, { articles: [...DEMO_ARTICLES] });
      url = await listen(ctx().app);
    });

    it('keeps demo.sleep from customers until an admin lists it; caps pending tasks per user', async () => {
      const visitor = await visitorOf(a);
      expect((await submit(visitor)).statusCode).toBe(403);
      const admin = (await sessionFor(ctx().platform, a.users.admin)).accessToken;
      const listed = await ctx().app.inject({
        method: 'PUT',
        url: '/api/v1/admin/tasks/types',
        headers: bearer(admin),
        payload: { types: ['demo.sleep'] },
      });
      expect(listed.statusCode).toBe(200);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await submit(visitor);
        expect(res.statusCode).toBe(201);
        ids.push(res.json().task.id);
      }
      const over = await submit(visitor);
      expect(over.statusCode).toBe(429);
      expect(over.json()).toMatchObject({ code: 'too_many_tasks' });
      expect(over.json().detail).toMatch(/limit is 3/);
      for (const id of ids) await ctx().platform.jobs.cancel(id);
    });

    it('a visitor flood does not delay another org’s AI answer', async () => {
      // Four visitors of org A fill every slot user tasks may hold (each running for a minute)…
      const flood: Task[] = [];
      for (let v = 0; v < 4; v++) {
        const token = await visitorOf(a);
        for (let i = 0; i < 3; i++) {
          const res = await submit(token);
          if (res.statusCode === 201) flood.push(res.json().task);
        }
      }
      const running = async () =>
        (await Promise.all(flood.map((t) => ctx().platform.jobs.get(t.id)))).filter((t) => t?.state === 'running');
      await expect.poll(async () => (await running()).length, { timeout: 10_000 }).toBeGreaterThan(0);

      // …while a customer of org B asks a question the knowledge base answers.
      const customer = await visitorOf(b);
      const socket = await connectSocket(url, customer);
      try {
        const conversation = await ctx().app.inject({
          method: 'POST',
          url: '/api/v1/conversations',
          headers: bearer(customer),
          payload: { kind: 'support' },
        });
        const conversationId = conversation.json().conversation.id as string;
        const answer = nextEvent<ConversationEvent>(
          socket,
          'message.new',
          (e) => e.conversationId === conversationId && e.message?.text?.includes('Change password') === true,
          20_000,
        );
        await socket.emitWithAck('message.send', {
          conversationId,
          clientMsgId: randomUUID(),
          text: 'How do I reset my password?',
        });
        await answer;
        // The answer came while the flood was still going: no free slot was needed from it.
        const states = await Promise.all(flood.map(async (t) => (await ctx().platform.jobs.get(t.id))?.state));
        expect(states.filter((s) => s === 'running' || s === 'queued').length).toBeGreaterThan(0);
        expect(states.every((s) => s !== 'succeeded')).toBe(true);
      } finally {
        socket.close();
        for (const t of flood)
          await ctx()
            .platform.jobs.cancel(t.id)
            .catch(() => {});
      }
    });
  },
  { TASK_CONCURRENCY: '4', TASK_MAX_PENDING_PER_USER: '3' },
);

it('does not offer demo.sleep by default in production, and caps each public type at its share of user slots', async () => {
  const { registerTaskHandlers } = await import('./tasks.handlers.js');
  const { testConfig } = await import('../../test/config.js');
  const registered = new Map<string, number | undefined>();
  const jobs = {
    register: (d: { type: string; concurrency?: number }) => registered.set(d.type, d.concurrency),
    schedule: () => {},
  };
  const catalogue = (env: Record<string, string>) =>
    registerTaskHandlers({ config: testConfig(env), jobs } as unknown as Parameters<typeof registerTaskHandlers>[0]);
  expect(
    catalogue({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).find((t) => t.type === 'demo.sleep')
      ?.defaultEnabled,
  ).toBe(false);
  expect(catalogue({}).find((t) => t.type === 'demo.sleep')?.defaultEnabled).toBe(true);
  // 16 slots: 12 for user tasks (6 for each of the two built-in public types), 4 kept for the platform's own.
  catalogue({ TASK_CONCURRENCY: '16' });
  expect([registered.get('demo.sleep'), registered.get('export.tasks')]).toEqual([6, 6]);
});
