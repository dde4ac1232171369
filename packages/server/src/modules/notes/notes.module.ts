import type { ServerModule } from '../../server-module.js';
import { notesRoutes } from './notes.http.js';

/** Private notes in support conversations (issue 20); the service is built in services.ts. */
export const notesModule: ServerModule = {
  name: 'notes',
  http: (app, { services }) => notesRoutes(app, services.notes),
};
