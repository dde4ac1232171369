/**
 * The baseline: a bare Socket.IO server with no auth, no storage and no validation. A socket joins the rooms
 * its handshake names; `message.send` gets the room's next in-memory seq, is relayed into the room as
 * `message.new` in Switchboard's wire shape and acked, so the same generator and the same checks run against
 * both. `heartbeat` and `sync` answer at once. `/metrics` serves the event-loop delay like Switchboard's.
 *
 * Usage: node --import tsx bench/src/baseline-server.ts <port>
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
const delay = monitorEventLoopDelay({ resolution: 20 });
delay.enable();

const httpServer = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.end('ok');
    return;
  }
  if (req.url === '/metrics') {
    const p99 = delay.count ? delay.percentile(99) / 1e9 : 0;
    delay.reset();
    res.setHeader('content-type', 'text/plain');
    res.end(`nodejs_eventloop_lag_p99_seconds ${p99}\n`);
    return;
  }
  res.statusCode = 404;
  res.end();
});

const io = new Server(httpServer, { path: '/socket.io', serveClient: false, maxHttpBufferSize: 1_000_000 });
const seqs = new Map<string, number>();
type Ack = (res: unknown) => void;

io.on('connection', (socket) => {
  const auth = socket.handshake.auth as { userId?: string; rooms?: string[] };
  const userId = auth.userId ?? randomUUID();
  socket.join([`user:${userId}`, ...(auth.rooms ?? []).map((r) => `conversation:${r}`)]);

  socket.on('message.send', (p: { conversationId: string; clientMsgId: string; text: string }, ack?: Ack) => {
    const seq = (seqs.get(p.conversationId) ?? 0) + 1;
    seqs.set(p.conversationId, seq);
    const now = Date.now();
    const message = {
      id: randomUUID(),
      conversationId: p.conversationId,
      seq,
      senderId: userId,
      clientMsgId: p.clientMsgId,
      text: p.text,
      replyToId: null,
      createdAt: now,
      editedAt: null,
      deletedAt: null,
      reactions: [],
    };
    io.to(`conversation:${p.conversationId}`).emit('message.new', {
      conversationId: p.conversationId,
      seq,
      type: 'message.created',
      actorId: userId,
      createdAt: now,
      message,
    });
    ack?.({ ok: true, data: { message, duplicate: false } });
  });
  socket.on('heartbeat', (_p: unknown, ack?: Ack) => {
    const data = { status: 'online', serverTime: Date.now(), nextHeartbeatMs: 30_000 };
    socket.emit('heartbeat:ack', data);
    ack?.({ ok: true, data });
  });
  socket.on('sync', (_p: unknown, ack?: Ack) => {
    ack?.({ ok: true, data: { events: [], cursor: '', hasMore: false, resetRequired: [], removed: [], added: [] } });
  });
});

httpServer.listen(port, '127.0.0.1');
const stop = () => {
  io.close();
  httpServer.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
