import {
  ProblemSchema,
  tasksRouteDefs as routes,
  TASK_SIGNATURE_HEADER,
  TaskCallbackAckSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerRoute } from '../../http/define-route.js';
import type { TasksService } from './tasks.service.js';

const tags = ['tasks'];

/** `/api/v1/tasks` (any signed-in caller, their own tasks), `/api/v1/admin/tasks` and the worker callback. */
export async function tasksRoutes(app: FastifyInstance, tasks: TasksService) {
  registerRoute(app, routes.taskTypes, async ({ actor }) => ({ items: await tasks.types(actor) }));

  registerRoute(app, routes.submitTask, async ({ actor, body, reply }) => {
    const out = await tasks.submit(actor, body);
    if (out.duplicate) reply.code(200);
    return out;
  });
  registerRoute(app, routes.listTasks, ({ actor, query }) => tasks.listMine(actor, query));
  registerRoute(app, routes.getTask, ({ actor, params }) => tasks.get(actor, params.id));
  registerRoute(app, routes.cancelTask, ({ actor, params }) => tasks.cancel(actor, params.id));
  registerRoute(app, routes.retryTask, ({ actor, params }) => tasks.retry(actor, params.id));
  registerRoute(app, routes.adminListTasks, ({ actor, query }) => tasks.adminList(actor, query));
  registerRoute(app, routes.inspectTask, ({ actor, params }) => tasks.inspect(actor, params.id));
  registerRoute(app, routes.redriveTasks, async ({ actor, body }) => ({ count: await tasks.redrive(actor, body) }));
  registerRoute(app, routes.purgeTasks, async ({ actor, body }) => ({ count: await tasks.purge(actor, body) }));
  registerRoute(app, routes.setEnabledTaskTypes, async ({ actor, body }) => ({
    items: await tasks.setEnabledTypes(actor, body.types),
  }));

  // Hand-written: the callback is verified on the exact bytes received, so this scope keeps the raw body; the
  // signature is checked before the body is validated, so a tampered body is a 401, not a 400.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/tasks/callback',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: `An external worker reports progress / completion / failure (signed, header ${TASK_SIGNATURE_HEADER})`,
          description:
            'Body: TaskCallback. Signature `t=<unix ms>,v1=<hex HMAC-SHA256(t + "." + body)>`; stale (> 5 min) or replayed → 401.',
          response: { 200: TaskCallbackAckSchema, 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema },
        },
      },
      async (req) => {
        const header = req.headers[TASK_SIGNATURE_HEADER];
        const out = await tasks.callback(String(req.body ?? ''), typeof header === 'string' ? header : undefined);
        return { ok: true as const, ...out };
      },
    );
  });
}
