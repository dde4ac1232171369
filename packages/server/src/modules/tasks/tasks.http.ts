import {
  AdminListTasksQuerySchema,
  CountResultSchema,
  ListTasksQuerySchema,
  ProblemSchema,
  PurgeTasksSchema,
  RedriveTasksSchema,
  SetEnabledTaskTypesSchema,
  SubmitTaskResultSchema,
  SubmitTaskSchema,
  TASK_SIGNATURE_HEADER,
  TaskCallbackAckSchema,
  TaskIdParamsSchema,
  TaskPageSchema,
  TaskSchema,
  TaskTypeListSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ADMINS, actorOf } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { TasksService } from './tasks.service.js';

const tags = ['tasks'];

/** `/api/v1/tasks` (any signed-in caller, their own tasks), `/api/v1/admin/tasks` and the worker callback. */
export async function tasksRoutes(app: FastifyInstance, tasks: TasksService) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/tasks/types',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Public task types and which my org has enabled',
        security,
        response: { 200: TaskTypeListSchema, ...denied },
      },
    },
    async (req) => ({ items: await tasks.types(actorOf(req)) }),
  );

  r.post(
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

  r.get(
    '/api/v1/tasks',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'My tasks, newest first',
        security,
        querystring: ListTasksQuerySchema,
        response: { 200: TaskPageSchema, ...denied },
      },
    },
    async (req) => tasks.listMine(actorOf(req), req.query),
  );

  r.get(
    '/api/v1/tasks/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'One of my tasks',
        security,
        params: TaskIdParamsSchema,
        response: { 200: TaskSchema, ...denied, 404: ProblemSchema },
      },
    },
    async (req) => tasks.get(actorOf(req), req.params.id),
  );

  for (const verb of ['cancel', 'retry'] as const) {
    r.post(
      `/api/v1/tasks/:id/${verb}`,
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: verb === 'cancel' ? 'Cancel a queued or running task' : 'Retry a failed or dead task',
          security,
          params: TaskIdParamsSchema,
          response: { 200: TaskSchema, ...denied, 404: ProblemSchema, 409: ProblemSchema },
        },
      },
      async (req) => tasks[verb](actorOf(req), req.params.id),
    );
  }

  r.get(
    '/api/v1/admin/tasks',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: "My org's tasks in one state (default: the dead-letter queue)",
        security,
        querystring: AdminListTasksQuerySchema,
        response: { 200: TaskPageSchema, ...denied },
      },
    },
    async (req) => tasks.adminList(actorOf(req), req.query),
  );

  r.get(
    '/api/v1/admin/tasks/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Inspect any task of my org',
        security,
        params: TaskIdParamsSchema,
        response: { 200: TaskSchema, ...denied, 404: ProblemSchema },
      },
    },
    async (req) => tasks.inspect(actorOf(req), req.params.id),
  );

  r.post(
    '/api/v1/admin/tasks/redrive',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Send dead tasks back to the queue',
        security,
        body: RedriveTasksSchema,
        response: { 200: CountResultSchema, ...denied },
      },
    },
    async (req) => ({ count: await tasks.redrive(actorOf(req), req.body) }),
  );

  r.post(
    '/api/v1/admin/tasks/purge',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Delete finished tasks of one state',
        security,
        body: PurgeTasksSchema,
        response: { 200: CountResultSchema, ...denied },
      },
    },
    async (req) => ({ count: await tasks.purge(actorOf(req), req.body) }),
  );

  r.put(
    '/api/v1/admin/tasks/types',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: "Set my org's allow-list of public task types",
        security,
        body: SetEnabledTaskTypesSchema,
        response: { 200: TaskTypeListSchema, ...denied },
      },
    },
    async (req) => ({ items: await tasks.setEnabledTypes(actorOf(req), req.body.types) }),
  );

  // The callback is verified on the exact bytes received, so this scope keeps the raw body; the signature
  // is checked before the body is validated, so a tampered body is a 401, not a 400.
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
