import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { bearer, connectSocket, createOrgWithUsers, listen, loginAs, TEST_PASSWORD } from '../test/auth.js';
import { testConfig } from '../test/config.js';
import { memoryLog } from '../test/log.js';

/**
 * A run through the main paths at the most verbose log level, then a grep of everything logged: no
 * password, token or message body may appear, and request lines carry request, user and org ids.
 */
describe('log hygiene', () => {
  let app: FastifyInstance;
  const log = memoryLog();
  const secrets: string[] = [TEST_PASSWORD];

  beforeAll(async () => {
    app = await buildApp(testConfig({ LOG_LEVEL: 'trace' }), { logStream: log.stream });
  });
  afterAll(() => app.close());

  it('logs ids, never passwords, tokens or message bodies', async () => {
    const fx = await createOrgWithUsers(app.platform);
    const agent = await loginAs(app, fx.emails.agent);
    const supervisor = await loginAs(app, fx.emails.supervisor);
    secrets.push(agent.accessToken, agent.refreshToken, supervisor.accessToken, supervisor.refreshToken);

    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: fx.emails.agent, password: 'wrong-password-xyz-123' },
    });
    expect(wrong.statusCode).toBe(401);
    secrets.push('wrong-password-xyz-123');

    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: agent.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    secrets.push(refreshed.json().accessToken, refreshed.json().refreshToken);

    const conv = await app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: bearer(agent.accessToken),
      payload: { kind: 'direct', userId: fx.users.supervisor.id },
    });
    expect(conv.statusCode).toBeLessThan(300);
    const conversationId = conv.json().conversation.id as string;

    const restBody = `rest body ${randomUUID()}`;
    secrets.push(restBody);
    const sent = await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: bearer(agent.accessToken),
      payload: { clientMsgId: randomUUID(), text: restBody },
    });
    expect(sent.statusCode).toBeLessThan(300);

    const socketBody = `socket body ${randomUUID()}`;
    secrets.push(socketBody);
    const url = await listen(app);
    const socket = await connectSocket(url, supervisor.accessToken);
    try {
      const ack = await socket.emitWithAck('message.send', {
        conversationId,
        clientMsgId: randomUUID(),
        text: socketBody,
      });
      expect(ack.ok).toBe(true);
      const bad = await socket.emitWithAck('message.send', { conversationId, clientMsgId: 'nope', text: socketBody });
      expect(bad.ok).toBe(false);
    } finally {
      socket.close();
    }

    const text = log.text();
    expect(text.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/); // no JWT of any kind

    const completed = log.lines.filter((l) => l.msg === 'request completed' && typeof l.userId === 'string');
    expect(completed.length).toBeGreaterThan(0);
    for (const line of completed) expect(line).toMatchObject({ reqId: expect.any(String), orgId: fx.org.id });
  });
});
