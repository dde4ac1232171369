import type { Task, TaskUpdatedEvent } from '@switchboard/protocol';
import { rooms } from '../../rooms.js';
import type { ServerModule } from '../../server-module.js';
import { registerTaskHandlers } from './tasks.handlers.js';
import { tasksRoutes } from './tasks.http.js';
import { tasksService } from './tasks.service.js';

/** Who hears `task.updated`: the owner's sockets and the org's admins; platform tasks (no org) nobody. */
export function taskRooms(task: Pick<Task, 'orgId' | 'ownerId'>): string[] {
  if (!task.orgId) return [];
  return [rooms.role(task.orgId, 'admin'), ...(task.ownerId ? [rooms.user(task.ownerId)] : [])];
}

/**
 * The `task.updated` payload: the task without its payload (which may be large or private to the worker).
 * Built by hand, not by `TaskUpdatedEventSchema.parse`: the task comes from our own row, the type checks the
 * shape, and a zod parse per state change (three per task) was a measurable share of the CPU per task.
 */
export function updatedEvent(task: Task): TaskUpdatedEvent {
  const { payload: _payload, ...event } = task;
  return event;
}

/**
 * The task module: registers the built-in and external handlers on the platform's queue, serves the task
 * API, pushes `task.updated`, and runs the queue's workers for as long as the app is up (the app's own
 * lifecycle hooks: several apps may share a process).
 */
export const tasksModule: ServerModule = {
  name: 'tasks',
  async http(app, { platform, io }) {
    const catalogue = registerTaskHandlers(platform);
    await tasksRoutes(app, tasksService(platform, catalogue));
    const unsubscribe = platform.jobs.on('updated', (task) => {
      const rooms = taskRooms(task);
      if (rooms.length) io.to(rooms).emit('task.updated', updatedEvent(task));
    });
    app.addHook('onReady', () => platform.jobs.start());
    app.addHook('preClose', async () => {
      unsubscribe();
      await platform.jobs.stop({ graceMs: Math.min(5000, platform.config.shutdownTimeoutMs / 2) });
    });
  },
};
