import type { Server as SocketServer } from 'socket.io';
import type { ServerModule } from '../../modules.js';
import { onContactCenterChange } from '../assistant/contact-center.js';
import { messengerFor } from '../messenger/messenger.module.js';
import { dashboardRoutes } from './dashboard.http.js';
import { dashboardLive } from './dashboard.live.js';
import { type DashboardRecorder, dashboardRecorder } from './dashboard.recorder.js';
import { dashboardService } from './dashboard.service.js';

const recorders = new WeakMap<SocketServer, DashboardRecorder>();
/** The recorder of an app, to wait until what it heard is recorded (`await dashboardRecorderFor(io)?.idle()`). */
export const dashboardRecorderFor = (io: SocketServer) => recorders.get(io);

/**
 * The supervisor dashboard (issue 11): records KPI facts from messages and contact-center outcomes into its
 * rollup, serves summaries and time series, and pushes `dashboard.updated` to supervisors and admins.
 * Registered after the messenger and the assistant, whose events it hears.
 */
export const dashboardModule: ServerModule = {
  name: 'dashboard',
  async http(app, { platform, io }) {
    const messenger = messengerFor(io);
    if (!messenger) throw new Error('the dashboard needs the messenger module registered before it');
    const live = dashboardLive(io);
    const recorder = dashboardRecorder(platform, messenger, live.changed, app.log);
    const stopMessages = messenger.onMessageStored((actor, message) => recorder.message(actor, message));
    const stopChanges = onContactCenterChange(io, (change) => recorder.change(change));
    recorders.set(io, recorder);
    app.addHook('onClose', async () => {
      stopMessages();
      stopChanges();
      await recorder.idle();
      live.close();
    });
    await dashboardRoutes(app, dashboardService(platform));
  },
};
