import { agentToolRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { NotesService } from './notes.service.js';

/** Private notes of a support conversation: staff read and write them; customers get 403. */
export async function notesRoutes(app: FastifyInstance, notes: NotesService) {
  registerRoute(app, routes.listNotes, async ({ actor, params }) => ({
    items: await notes.list(actor, params.conversationId),
  }));
  registerRoute(app, routes.addNote, ({ actor, params, body }) => notes.add(actor, params.conversationId, body));
}
