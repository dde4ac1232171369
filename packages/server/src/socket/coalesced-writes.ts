import type { Socket as NetSocket } from 'node:net';

/** The parts of a `ws` WebSocket this touches: its frame sender and the TCP socket under it. */
export interface FramedSocket {
  _sender: { sendFrame(list: (Buffer | string)[], cb?: (err?: Error) => void): void };
  _socket: NetSocket;
}

/** WebSocket opcodes from 8 up are control frames (close, ping, pong). */
const FIRST_CONTROL_OPCODE = 8;

/**
 * Make the data frames a WebSocket is sent in one go of the event loop's callbacks leave in one write (one system
 * call, and one TCP segment when they fit) instead of one write each. The sender of a message gets its ack and
 * its own copy of the message in the same go, as does a member who gets several messages of one committed batch.
 *
 * How: `ws`'s `sendFrame` (what engine.io calls for every frame, with the frame Socket.IO encoded once per
 * broadcast) is replaced on this connection. A data frame is queued and its callback called at once; the queue is
 * written, corked into one `writev`, when the process's next-tick queue runs, i.e. after the promise jobs of the
 * current callback. engine.io hands the transport one frame at a time and waits for that callback before the
 * next, so without the early callback the second frame would always wait for the first write. A write error
 * still reaches `ws` as the socket's `error` event, which closes the connection (the client resumes from its
 * last seq). A control frame writes what is queued first, then goes out the usual way, its callback kept: `ws`
 * closes the socket only after a close frame's write.
 */
export function coalesceWrites(ws: FramedSocket): void {
  const { _sender: sender, _socket: socket } = ws;
  const sendFrame = sender.sendFrame.bind(sender);
  // `ws` may frame a string payload as its header plus the string itself (written as UTF-8).
  let queued: (Buffer | string)[] = [];

  const flush = () => {
    if (queued.length === 0) return;
    const out = queued;
    queued = [];
    if (socket.destroyed) return;
    socket.cork();
    for (const buf of out) socket.write(buf);
    socket.uncork();
  };

  sender.sendFrame = (list, cb) => {
    const header = list[0];
    const opcode = typeof header === 'string' || header === undefined ? 0 : (header[0] ?? 0) & 0x0f;
    if (opcode >= FIRST_CONTROL_OPCODE) {
      flush();
      sendFrame(list, cb);
      return;
    }
    if (queued.length === 0) process.nextTick(flush);
    for (const buf of list) queued.push(buf);
    cb?.();
  };
}
