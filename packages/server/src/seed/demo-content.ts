import { randomUUID } from 'node:crypto';
import type { Conversation, CreateConversation, LoginResponse } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
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
