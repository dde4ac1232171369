import type { TaskUpdatedEvent } from '@switchboard/protocol';
import type { Socket } from './connection.js';
import type { ClientEvent } from './options.js';
import type { Receiver } from './receiver.js';

/**
 * Wire the server's socket events to the client: conversation events and receipts into the receiver (which
 * orders, de-duplicates and stores them), everything else straight to the subscribers as a `ClientEvent`,
 * task updates also to `onTask` (the `tasks.watch` helpers).
 */
export function forwardSocketEvents(
  socket: Socket,
  receiver: Receiver,
  emit: (e: ClientEvent) => void,
  onTask: (task: TaskUpdatedEvent) => void,
): void {
  for (const name of ['message.new', 'message.updated', 'message.deleted', 'conversation.updated'] as const) {
    socket.on(name, (e: unknown) => receiver.event(e));
  }
  socket.on('message.read_receipt', (r) => {
    receiver.receipt(r);
    emit({ type: 'read.receipt', receipt: r });
  });
  socket.on('conversation.read', (state) => emit({ type: 'read.state', state }));
  socket.on('message.typing', (event) => emit({ type: 'typing', event }));
  socket.on('user:status', (presence) => emit({ type: 'presence', presence }));
  socket.on('status:updated', (presence) => emit({ type: 'presence', presence }));
  socket.on('online:users', (d) => emit({ type: 'presence.list', users: d.users }));
  socket.on('conversation.status', (event) => emit({ type: 'support.status', event }));
  socket.on('support.answer_stream', (event) => emit({ type: 'support.answer_stream', event }));
  socket.on('support.note', (note) => emit({ type: 'support.note', note }));
  socket.on('support.labels', (event) => emit({ type: 'support.labels', event }));
  socket.on('approval.created', (approval) => emit({ type: 'approval', change: 'created', approval }));
  socket.on('approval.updated', (approval) => emit({ type: 'approval', change: 'updated', approval }));
  socket.on('dashboard.updated', (event) => emit({ type: 'dashboard.updated', event }));
  socket.on('task.updated', (task) => {
    emit({ type: 'task', task });
    onTask(task);
  });
}
