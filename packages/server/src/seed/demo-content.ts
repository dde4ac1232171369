import { randomUUID } from 'node:crypto';
import type { Conversation, CreateConversation, LoginResponse } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { APPROVAL_TIMEOUT_TASK } from '../modules/approvals/approvals.service.js';
import { DEMO_PASSWORD } from './demo.js';

/**
 * Something to look at on a fresh `npm start`: a team room and a direct chat between the demo staff, and two
 * support questions from the demo customer — one the AI answers at once from the knowledge base, one it is
 * unsure of, waiting in the agent console for approval. Made through the public API as the demo users, so
 * every event, task and dashboard figure is the one real use would produce.
 */
export async function seedDemoContent(app: FastifyInstance): Promise<void> {
  const [admin, supervisor, agent, customer] = await Promise.all(
    ['admin', 'supervisor', 'agent', 'customer'].map((who) => login(app, `${who}@demo.example`)),
  );
  if (!admin || !supervisor || !agent || !customer) throw new Error('demo users missing');

  const teamId = await create(app, supervisor, {
    kind: 'group',
    name: 'Support team',
    memberIds: [admin.user.id, agent.user.id],
  });
  await say(app, supervisor, teamId, 'Welcome to Switchboard! This room is for the whole support team.');
  await say(app, agent, teamId, "Thanks! I'll keep the console open for AI drafts that need a look.");
  await say(app, admin, teamId, 'The AI answers from the help articles under Knowledge. Edit them there.');

  const directId = await create(app, agent, { kind: 'direct', userId: supervisor.user.id });
  await say(app, agent, directId, 'Could you cover the queue over lunch?');
  await say(app, supervisor, directId, 'Sure. Set yourself to Away when you go.');

  // The assistant drafts an answer to each as a task: the first is confident and sent at once, the second
  // waits for an agent in the console's "Needs approval" tab.
  for (const question of ['How can I change my password?', 'Can several agents approve the same draft?']) {
    await say(app, customer, await create(app, customer, { kind: 'support' }), question);
  }
  await keepApprovalWaiting(app, customer.org.id);
}

/**
 * The example draft would be escalated after the org's approval timeout (2 minutes), long before anyone
 * opens the console of a fresh install: its timeout task is cancelled, so it waits until an agent decides.
 * Real drafts keep their timeout. Waits (at most 30 s) for the assistant's draft task to queue the item.
 */
async function keepApprovalWaiting(app: FastifyInstance, orgId: string): Promise<void> {
  const { jobs } = app.platform;
  for (const end = Date.now() + 30_000; Date.now() < end; ) {
    const { items } = await jobs.list({ orgId, type: APPROVAL_TIMEOUT_TASK, state: 'queued', limit: 10 });
    if (items.length) {
      for (const t of items) await jobs.cancel(t.id);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  app.log.warn('demo seed: the example approval did not appear within 30 s; it will time out as usual');
}

async function login(app: FastifyInstance, email: string): Promise<LoginResponse> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: DEMO_PASSWORD, org: 'demo' },
  });
  if (res.statusCode !== 200) throw new Error(`demo login ${email}: ${res.statusCode} ${res.body}`);
  return res.json() as LoginResponse;
}

async function create(app: FastifyInstance, as: LoginResponse, body: CreateConversation): Promise<string> {
  const created = (await post(app, as, '/api/v1/conversations', body)) as { conversation: Conversation };
  return created.conversation.id;
}

async function say(app: FastifyInstance, as: LoginResponse, conversationId: string, text: string): Promise<void> {
  await post(app, as, `/api/v1/conversations/${conversationId}/messages`, { clientMsgId: randomUUID(), text });
}

async function post(app: FastifyInstance, as: LoginResponse, url: string, payload: object): Promise<unknown> {
  const res = await app.inject({
    method: 'POST',
    url,
    payload,
    headers: { authorization: `Bearer ${as.accessToken}` },
  });
  if (res.statusCode >= 300) throw new Error(`demo seed POST ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}
