import {
  ProblemSchema,
  tasksRouteDefs as routes,
  SubmitTaskResultSchema,
  SubmitTaskSchema,
  TASK_SIGNATURE_HEADER,
  TaskCallbackAckSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/access.js';
import { registerRoute } from '../../http/define-route.js';
import { denied, security } from '../../http/route-docs.js';
import type { TasksService } from './tasks.service.js';

const tags = ['tasks'];

/** `/api/v1/tasks` (any signed-in caller, their own tasks), `/api/v1/admin/tasks` and the worker callback. */
export async function tasksRoutes(app: FastifyInstance, tasks: TasksService) {
  registerRoute(app, routes.taskTypes, async ({ actor }) => ({ items: await tasks.types(actor) }));

  // Hand-written: it answers 200 for a repeated idempotencyKey and 201 for a new task (a definition has one status).
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/tasks',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Submit a task (same idempotencyKey → the same task, 200 instead of 201)',
        security,
        body: SubmitTaskSchema,
        response: { 200: SubmitTaskResultSchema, 201: SubmitTaskResultSchema, 400: ProblemSchema, ...denied },
      },
    },
    async (req, reply) => {
      const out = await tasks.submit(actorOf(req), req.body);
      return reply.status(out.duplicate ? 200 : 201).send(out);
    },
  );

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
