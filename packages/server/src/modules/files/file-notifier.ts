import type { FileMeta } from '@switchboard/protocol';
import type { Server as SocketServer } from 'socket.io';
import { rooms } from '../../rooms.js';

/** Tells an upload's owner that its scan or thumbnail finished (`file.updated` to their sockets). */
export function fileNotifier(io: SocketServer): (meta: FileMeta) => void {
  return (meta) => io.to(rooms.user(meta.uploaderId)).emit('file.updated', meta);
}
