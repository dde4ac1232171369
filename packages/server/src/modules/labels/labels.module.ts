import type { ServerModule } from '../../server-module.js';
import { labelsRoutes } from './labels.http.js';

/** Labels on support conversations (issue 20); the service is built in services.ts (the inbox filters by it). */
export const labelsModule: ServerModule = {
  name: 'labels',
  http: (app, { services }) => labelsRoutes(app, services.labels),
};
