import { supportRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { ModuleContext } from '../../server-module.js';

/** Business hours and the pre-chat form: admins edit them, every session (the widget's too) reads the public part. */
export async function supportHoursRoutes(app: FastifyInstance, { services }: ModuleContext) {
  const svc = services.supportHours;
  registerRoute(app, routes.hours, ({ actor }) => svc.hours(actor));
  registerRoute(app, routes.hoursSettings, ({ actor }) => svc.settings(actor));
  registerRoute(app, routes.updateHoursSettings, ({ actor, body }) => svc.update(actor, body));
  registerRoute(app, routes.setContact, ({ actor, body }) => svc.setContact(actor, body));
}
