import type { ServerModule } from '../../server-module.js';
import { fileNotifier } from './file-notifier.js';
import { filesRoutes } from './files.http.js';
import { filesTasks } from './files.tasks.js';

/** Attachments (issue 13): uploads, scan and thumbnail tasks, downloads. */
export const filesModule: ServerModule = {
  name: 'files',
  async http(app, { platform, io, services }) {
    filesTasks(platform, { notify: fileNotifier(io) }, app.log).register();
    await filesRoutes(app, services.files, platform.config.files.maxBytes);
  },
};
