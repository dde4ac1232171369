import {
  ProblemSchema,
  SupportContactSchema,
  SupportHoursSchema,
  SupportSettingsSchema,
  UpdateSupportContactSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ADMINS, actorOf } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { ModuleContext } from '../../server-module.js';

/** Business hours and the pre-chat form: admins edit them, every session (the widget's too) reads the public part. */
export async function supportHoursRoutes(app: FastifyInstance, { services }: ModuleContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = services.supportHours;

  r.get(
    '/api/v1/support/hours',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['support', 'widget'],
        summary: 'Open now? Next opening, away message and pre-chat questions (no staff data)',
        security,
        response: { 200: SupportHoursSchema, ...denied },
      },
    },
    async (req) => svc.hours(actorOf(req)),
  );

  r.get(
    '/api/v1/support/hours/settings',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['support'],
        summary: 'Business hours, away message and pre-chat form',
        security,
        response: { 200: SupportSettingsSchema, ...denied },
      },
    },
    async (req) => svc.settings(actorOf(req)),
  );

  r.put(
    '/api/v1/support/hours/settings',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['support'],
        summary: 'Change business hours, away message and pre-chat form',
        security,
        body: SupportSettingsSchema,
        response: { 200: SupportSettingsSchema, 400: ProblemSchema, ...denied },
      },
    },
    async (req) => svc.update(actorOf(req), req.body),
  );

  r.put(
    '/api/v1/support/contact',
    {
      config: { access: ['customer'] },
      schema: {
        tags: ['support', 'widget'],
        summary: 'The name and/or email a widget customer gives',
        security,
        body: UpdateSupportContactSchema,
        response: { 200: SupportContactSchema, 400: ProblemSchema, ...denied },
      },
    },
    async (req) => svc.setContact(actorOf(req), req.body),
  );
}
