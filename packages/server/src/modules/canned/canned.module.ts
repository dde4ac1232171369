import type { ServerModule } from '../../server-module.js';
import { cannedRoutes } from './canned.http.js';
import { cannedService } from './canned.service.js';

/** Canned responses for the console's composer (issue 20). */
export const cannedModule: ServerModule = {
  name: 'canned',
  http: (app, { platform }) => cannedRoutes(app, cannedService(platform)),
};
