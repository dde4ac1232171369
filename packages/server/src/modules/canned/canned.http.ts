import {
  CannedResponseListSchema,
  CannedResponseSchema,
  CreateCannedResponseSchema,
  ArticleIdParamsSchema as IdParamsSchema,
  ProblemSchema,
  UpdateCannedResponseSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, STAFF } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { CannedService } from './canned.service.js';

const tags = ['contact center'];
const config = { access: STAFF };

/** Canned responses: staff only (customers 403). */
export async function cannedRoutes(app: FastifyInstance, canned: CannedService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/canned-responses',
    {
      config,
      schema: {
        tags,
        summary: "The team's canned responses and my own, by shortcut",
        security,
        response: { 200: CannedResponseListSchema, ...denied },
      },
    },
    async (req) => ({ items: await canned.list(actorOf(req)) }),
  );
  r.post(
    '/api/v1/canned-responses',
    {
      config,
      schema: {
        tags,
        summary: "Add a canned response: personal (anyone) or the team's (supervisors and admins)",
        security,
        body: CreateCannedResponseSchema,
        response: { 201: CannedResponseSchema, 400: ProblemSchema, ...denied, 409: ProblemSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await canned.create(actorOf(req), req.body)),
  );
  r.patch(
    '/api/v1/canned-responses/:id',
    {
      config,
      schema: {
        tags,
        summary: "Change a canned response (my own; the team's: supervisors and admins)",
        security,
        params: IdParamsSchema,
        body: UpdateCannedResponseSchema,
        response: { 200: CannedResponseSchema, 400: ProblemSchema, ...denied, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => canned.update(actorOf(req), req.params.id, req.body),
  );
  r.delete(
    '/api/v1/canned-responses/:id',
    {
      config,
      schema: {
        tags,
        summary: "Delete a canned response (my own; the team's: supervisors and admins)",
        security,
        params: IdParamsSchema,
        response: { 204: z.null(), ...denied, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      await canned.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
