import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { bearer, connectSocket, createOrgWithUsers, listen, sessionFor } from '../test/auth.js';
import { testConfig } from '../test/config.js';
import { memoryLog } from '../test/log.js';

/** Send one message over the socket and one over REST, with a heartbeat, on an app logging at `level`. */
async function traffic(level: string) {
  const log = memoryLog();
  const app: FastifyInstance = await buildApp(testConfig({ LOG_LEVEL: level }), { logStream: log.stream });
  const fx = await createOrgWithUsers(app.platform);
  const token = (await sessionFor(app.platform, fx.users.agent)).accessToken;
  const socket = await connectSocket(await listen(app), token);
  const conv = await app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: bearer(token),
    payload: { kind: 'direct', userId: fx.users.supervisor.id },
  });
  const conversationId = conv.json().conversation.id as string;
  const body = `secret body ${randomUUID()}`;
  await socket.emitWithAck('heartbeat', {});
  expect((await socket.emitWithAck('message.send', { conversationId, clientMsgId: randomUUID(), text: body })).ok).toBe(
    true,
  );
  const rest = await app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${conversationId}/messages`,
    headers: bearer(token),
    payload: { clientMsgId: randomUUID(), text: body },
  });
  expect(rest.statusCode).toBe(201);
  socket.close();
  return { app, log, body, fx, conversationId };
}

describe('debug log lines per socket event and message send', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => app?.close());

  it('at debug: one line per socket event and per stored message, with ids and never the text', async () => {
    const run = await traffic('debug');
    app = run.app;
    const events = run.log.lines.filter((l) => l.msg === 'socket event');
    expect(events.map((l) => l.event)).toEqual(expect.arrayContaining(['heartbeat', 'message.send']));
    expect(events.every((l) => l.userId === run.fx.users.agent.id && typeof l.socketId === 'string')).toBe(true);
    const stored = run.log.lines.filter((l) => l.msg === 'message stored');
    expect(stored).toHaveLength(2);
    expect(stored.map((l) => l.seq)).toEqual([1, 2]);
    expect(stored.every((l) => l.conversationId === run.conversationId)).toBe(true);
    expect(run.log.text()).not.toContain(run.body);
  });

  it('at info: none of them', async () => {
    const run = await traffic('info');
    app = run.app;
    expect(run.log.lines.filter((l) => l.msg === 'socket event' || l.msg === 'message stored')).toEqual([]);
  });
});
