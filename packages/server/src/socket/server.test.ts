import type { FastifyInstance } from 'fastify';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { connectSocket, createOrgWithUsers, listen, sessionFor } from '../test/auth.js';
import { testConfig } from '../test/config.js';

/** The `ws` connection under a server socket, once it is on WebSocket. */
function wsOf(app: FastifyInstance, clientId: string | undefined) {
  const served = [...app.io.of('/').sockets.values()].find((s) => s.id === clientId);
  const transport = served?.conn.transport as unknown as { name: string; socket?: { _sender: object } };
  return transport?.name === 'websocket' ? transport.socket : undefined;
}

describe('WebSocket connections are tuned (coalesced writes, released reads)', () => {
  let app: FastifyInstance;
  let url: string;
  let token: string;
  const clients: ClientSocket[] = [];
  beforeAll(async () => {
    app = await buildApp(testConfig());
    const fx = await createOrgWithUsers(app.platform, { slug: 'tuned' });
    token = (await sessionFor(app.platform, fx.users.agent)).accessToken;
    url = await listen(app);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app.close();
  });

  it('when it starts on WebSocket', async () => {
    const client = await connectSocket(url, token);
    clients.push(client);
    expect(Object.hasOwn((wsOf(app, client.id)?._sender ?? {}) as object, 'sendFrame')).toBe(true);
  });

  it('when it starts on long-polling and upgrades', async () => {
    const client = await connectSocket(url, token, { transports: ['polling', 'websocket'] });
    clients.push(client);
    await new Promise<void>((resolve) => {
      if (client.io.engine.transport.name === 'websocket') resolve();
      else client.io.engine.once('upgrade', () => resolve());
    });
    // The server switches transports when the client's upgrade completes; give it that round trip.
    await expect.poll(() => wsOf(app, client.id) !== undefined).toBe(true);
    expect(Object.hasOwn((wsOf(app, client.id)?._sender ?? {}) as object, 'sendFrame')).toBe(true);
  });
});
