import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageTargets } from '../../server/src/test/storage.js';
import { ours, until, World } from './test/world.js';

for (const target of storageTargets) {
  describe(`sdk basics [${target.dialect}]`, () => {
    let world: World;
    beforeAll(async () => {
      world = await World.start(target);
    });
    afterAll(async () => world?.close());

    it('sends optimistically, replaces with the server message on the ack, and delivers to the others', async () => {
      const [admin, agent] = world.members as [(typeof world.members)[0], (typeof world.members)[0]];
      const a = await world.client(admin);
      const b = await world.client(agent);
      await Promise.all([a.client.ready, b.client.ready]);
      await until('connected', () => a.client.state === 'websocket' && b.client.state === 'websocket');
      const msg = a.client.send(world.conversationId, 'basic-hello');
      expect(msg.state).toBe('sending');
      expect(msg.id).toBeNull();
      await until('sent', () => ours(a, world.conversationId, 'basic-')[0]?.state === 'sent');
      await until('delivered', () => ours(b, world.conversationId, 'basic-').length === 1);
      expect(ours(b, world.conversationId, 'basic-')[0]?.id).toBe(ours(a, world.conversationId, 'basic-')[0]?.id);
    });
  });
}
