import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { type ReadingSocket, releaseReads } from './released-reads.js';

let close: (() => void) | undefined;
afterEach(() => close?.());

async function pair(release: boolean) {
  const wss = new WebSocketServer({ port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const server = await new Promise<WebSocket>((resolve) => wss.once('connection', (ws) => resolve(ws)));
  await new Promise((resolve) => client.once('open', resolve));
  close = () => {
    client.terminate();
    wss.close();
  };
  if (release) releaseReads(server as unknown as ReadingSocket);
  const received: string[] = [];
  server.on('message', (data) => received.push(data.toString()));
  const receiver = (server as unknown as { _receiver: { _mask?: unknown } })._receiver;
  return { client, received, receiver };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

it('keeps no view of a read chunk once the message is out, and reads every message whole', async () => {
  const { client, received, receiver } = await pair(true);
  client.send('one');
  client.send('two');
  await settle();
  client.send('x'.repeat(70_000)); // a 64-bit length, likely over several reads
  await settle();
  // One message in three frames: its fragments gather in the array handed back after 'two'.
  client.send('frag', { fin: false });
  client.send('men', { fin: false });
  client.send('ted', { fin: true });
  client.send('after');
  await settle();
  expect(received.map((m) => m.length)).toEqual([3, 3, 70_000, 10, 5]);
  expect(received.filter((m) => m.length < 70_000)).toEqual(['one', 'two', 'fragmented', 'after']);
  expect(receiver._mask).toBeUndefined();
});

it('without it, ws keeps the last frame’s mask (the view the release drops)', async () => {
  const { client, received, receiver } = await pair(false);
  client.send('one');
  await settle();
  expect(received).toEqual(['one']);
  expect(Buffer.isBuffer(receiver._mask)).toBe(true);
});
