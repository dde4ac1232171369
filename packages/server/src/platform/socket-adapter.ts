import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Server } from 'socket.io';
import type { RedisConnection } from './redis.js';

/**
 * Cluster mode: every broadcast, room join and `disconnectSockets()` reaches the sockets of every node
 * through a Redis stream (ordered per namespace; readers resume from their last offset after an outage).
 * When a publish fails (Redis down), this node's own sockets still get the event; other nodes' clients
 * catch up through the SDK's resume (seq gap or reconnect → sync).
 */
export function attachRedisAdapter(io: Server, redis: RedisConnection): void {
  io.adapter(
    createAdapter(redis.adapterClient(), {
      streamName: `${redis.prefix}socket.io`,
      channelPrefix: `${redis.prefix}socket.io`,
      sessionKeyPrefix: `${redis.prefix}sio:session:`,
      // Our payloads are JSON (zod schemas): skip the per-message binary scan.
      onlyPlaintext: true,
    }),
  );
}
