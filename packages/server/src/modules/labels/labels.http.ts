import {
  ConversationLabelParamsSchema,
  ConversationLabelsEventSchema,
  CreateLabelSchema,
  LabelIdParamsSchema,
  LabelListSchema,
  LabelSchema,
  ProblemSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, STAFF, SUPERVISORS } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { LabelsService } from './labels.service.js';

const tags = ['contact center'];

/** Labels: staff read and apply them; supervisors and admins manage the org's set; customers get 403. */
export async function labelsRoutes(app: FastifyInstance, labels: LabelsService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/labels',
    {
      config: { access: STAFF },
      schema: { tags, summary: "The org's labels, by name", security, response: { 200: LabelListSchema, ...denied } },
    },
    async (req) => ({ items: await labels.list(actorOf(req)) }),
  );
  r.post(
    '/api/v1/labels',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags,
        summary: 'Add a label (supervisors and admins)',
        security,
        body: CreateLabelSchema,
        response: { 201: LabelSchema, 400: ProblemSchema, ...denied, 409: ProblemSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await labels.create(actorOf(req), req.body)),
  );
  r.delete(
    '/api/v1/labels/:id',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags,
        summary: 'Delete a label and take it off every conversation (supervisors and admins)',
        security,
        params: LabelIdParamsSchema,
        response: { 204: z.null(), ...denied, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      await labels.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  r.put(
    '/api/v1/support/:conversationId/labels/:labelId',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Put a label on a support conversation',
        security,
        params: ConversationLabelParamsSchema,
        response: { 200: ConversationLabelsEventSchema, ...denied, 404: ProblemSchema },
      },
    },
    async (req) => {
      const { conversationId, labelId } = req.params;
      return { conversationId, labelIds: await labels.attach(actorOf(req), conversationId, labelId) };
    },
  );
  r.delete(
    '/api/v1/support/:conversationId/labels/:labelId',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Take a label off a support conversation',
        security,
        params: ConversationLabelParamsSchema,
        response: { 200: ConversationLabelsEventSchema, ...denied, 404: ProblemSchema },
      },
    },
    async (req) => {
      const { conversationId, labelId } = req.params;
      return { conversationId, labelIds: await labels.detach(actorOf(req), conversationId, labelId) };
    },
  );
}
