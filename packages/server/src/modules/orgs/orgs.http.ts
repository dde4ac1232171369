import { OrgSchema, UpdateOrgSchema, WidgetSettingsSchema } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ADMINS, actorOf } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { ModuleContext } from '../../server-module.js';
import { orgsService } from './orgs.service.js';

/** The caller's own org; no route names an org by id, so none can reach another. */
export async function orgsRoutes(app: FastifyInstance, { platform }: ModuleContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const orgs = orgsService(platform);

  r.get(
    '/api/v1/orgs/current',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['orgs'], summary: 'My org', security, response: { 200: OrgSchema, ...denied } },
    },
    async (req) => orgs.current(actorOf(req)),
  );

  r.patch(
    '/api/v1/orgs/current',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['orgs'],
        summary: 'Rename my org',
        security,
        body: UpdateOrgSchema,
        response: { 200: OrgSchema, ...denied },
      },
    },
    async (req) => orgs.updateCurrent(actorOf(req), req.body),
  );

  r.get(
    '/api/v1/orgs/current/widget',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['orgs', 'widget'],
        summary: "The chat widget's public key and the identity-verification secret",
        security,
        response: { 200: WidgetSettingsSchema, ...denied },
      },
    },
    async (req) => orgs.widgetSettings(actorOf(req)),
  );

  r.post(
    '/api/v1/orgs/current/widget/rotate-secret',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['orgs', 'widget'],
        summary: 'Replace the identity-verification secret (old signatures stop working)',
        security,
        response: { 200: WidgetSettingsSchema, ...denied },
      },
    },
    async (req) => orgs.rotateWidgetSecret(actorOf(req)),
  );
}
