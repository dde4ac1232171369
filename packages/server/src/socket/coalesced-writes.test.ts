import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { coalesceWrites, type FramedSocket } from './coalesced-writes.js';

/** A real ws server and client on port 0; the server side's connection is coalesced. */
async function pair() {
  const wss = new WebSocketServer({ port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const server = await new Promise<WebSocket>((resolve) => wss.once('connection', (ws) => resolve(ws)));
  await new Promise((resolve) => client.once('open', resolve));
  const received: string[] = [];
  client.on('message', (data) => received.push(data.toString()));
  client.on('ping', () => received.push('(ping)'));
  const raw = (server as unknown as FramedSocket)._socket;
  // Every write the TCP socket makes: one entry per system call, with the chunks it carried.
  const writes: number[] = [];
  const writev = raw._writev?.bind(raw);
  const write = raw._write.bind(raw);
  raw._writev = (chunks, cb) => {
    writes.push(chunks.length);
    writev?.(chunks, cb);
  };
  raw._write = (chunk, enc, cb) => {
    writes.push(1);
    write(chunk, enc, cb);
  };
  coalesceWrites(server as unknown as FramedSocket);
  return { wss, client, server, received, writes };
}

describe('coalesceWrites', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('writes the frames of one go of callbacks in one system call, in order', async () => {
    const { wss, client, server, received, writes } = await pair();
    close = () => {
      client.terminate();
      wss.close();
    };
    const callbacks: string[] = [];
    server.send('ack', () => callbacks.push('ack'));
    server.send('message', () => callbacks.push('message'));
    await Promise.resolve().then(() => server.send('from a promise job'));
    server.send('é'.repeat(200));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual(['ack', 'message', 'from a promise job', 'é'.repeat(200)]);
    expect(callbacks).toEqual(['ack', 'message']);
    // Two frames before the await and two after it: at most two system calls (one per go), not four.
    expect(writes.length).toBeLessThanOrEqual(2);
    expect(writes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
  });

  it('sends a control frame after the data frames queued before it, and still closes cleanly', async () => {
    const { wss, client, server, received } = await pair();
    close = () => wss.close();
    server.send('one');
    server.ping();
    server.send('two');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual(['one', '(ping)', 'two']);
    const closed = new Promise<number>((resolve) => client.once('close', resolve));
    server.send('last');
    server.close(1000);
    expect(await closed).toBe(1000);
    expect(received.at(-1)).toBe('last');
  });

  it('drops what is queued for a socket destroyed before the write', async () => {
    const { wss, client, server, received } = await pair();
    close = () => wss.close();
    server.send('never');
    (server as unknown as FramedSocket)._socket.destroy();
    await new Promise((resolve) => client.once('close', resolve));
    expect(received).toEqual([]);
  });
});
