import {
  CreateSupportNoteSchema,
  HandoffParamsSchema,
  ProblemSchema,
  SupportNoteListSchema,
  SupportNoteSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, STAFF } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { NotesService } from './notes.service.js';

const tags = ['contact center'];

/** Private notes of a support conversation: staff read and write them; customers get 403. */
export async function notesRoutes(app: FastifyInstance, notes: NotesService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/support/:conversationId/notes',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: "A support conversation's private notes and AI summaries, oldest first (staff only)",
        security,
        params: HandoffParamsSchema,
        response: { 200: SupportNoteListSchema, ...denied, 404: ProblemSchema },
      },
    },
    async (req) => ({ items: await notes.list(actorOf(req), req.params.conversationId) }),
  );
  r.post(
    '/api/v1/support/:conversationId/notes',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Add a private note for colleagues (never shown to the customer)',
        security,
        params: HandoffParamsSchema,
        body: CreateSupportNoteSchema,
        response: { 201: SupportNoteSchema, 400: ProblemSchema, ...denied, 404: ProblemSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await notes.add(actorOf(req), req.params.conversationId, req.body)),
  );
}
