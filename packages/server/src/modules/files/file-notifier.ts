import type { FileMeta } from '@switchboard/protocol';
import { rooms } from '../../rooms.js';
import type { AppServer as SocketServer } from '../../socket/types.js';

/** Tells an upload's owner that its scan or thumbnail finished (`file.updated` to their sockets). */
export function fileNotifier(io: SocketServer): (meta: FileMeta) => void {
  return (meta) => io.to(rooms.user(meta.uploaderId)).emit('file.updated', meta);
}
