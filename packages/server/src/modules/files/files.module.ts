import type { FileMeta } from '@switchboard/protocol';
import type { ServerModule } from '../../modules.js';
import { messengerFor } from '../messenger/messenger.module.js';
import { filesRoutes } from './files.http.js';
import { filesService } from './files.service.js';
import { filesTasks } from './files.tasks.js';

/** Attachments (issue 13): uploads, scan and thumbnail tasks, downloads. Registered after the messenger. */
export const filesModule: ServerModule = {
  name: 'files',
  async http(app, { platform, io }) {
    const messenger = messengerFor(io);
    if (!messenger) throw new Error('the files module needs the messenger module registered before it');
    const notify = (meta: FileMeta) => io.to(`user:${meta.uploaderId}`).emit('file.updated', meta);
    const files = filesService(platform, { messenger, notify });
    filesTasks(platform, { notify }, app.log).register();
    messenger.useAttachments(files.hooks);
    await filesRoutes(app, files, platform.config.files.maxBytes);
  },
};
