import { ADMIN_ROLES } from './common.js';
import { OrgSchema } from './orgs.js';
import { defineRoute } from './routes.js';
import { UpdateOrgSchema, WidgetSettingsSchema } from './users.js';

/**
 * The caller's own org (no route names an org by id, so none can reach another): REST routes defined once
 * for the server and the SDK (see `defineRoute`).
 */
export const orgsRouteDefs = {
  currentOrg: defineRoute({
    method: 'GET',
    path: '/api/v1/orgs/current',
    summary: 'My org',
    tags: ['orgs'],
    access: 'authenticated',
    status: 200,
    response: OrgSchema,
  }),
  updateOrg: defineRoute({
    method: 'PATCH',
    path: '/api/v1/orgs/current',
    summary: 'Rename my org',
    tags: ['orgs'],
    access: ADMIN_ROLES,
    body: UpdateOrgSchema,
    status: 200,
    response: OrgSchema,
  }),
  widgetSettings: defineRoute({
    method: 'GET',
    path: '/api/v1/orgs/current/widget',
    summary: "The chat widget's public key and the identity-verification secret",
    tags: ['orgs', 'widget'],
    access: ADMIN_ROLES,
    status: 200,
    response: WidgetSettingsSchema,
  }),
  rotateWidgetSecret: defineRoute({
    method: 'POST',
    path: '/api/v1/orgs/current/widget/rotate-secret',
    summary: 'Replace the identity-verification secret (old signatures stop working)',
    tags: ['orgs', 'widget'],
    access: ADMIN_ROLES,
    status: 200,
    response: WidgetSettingsSchema,
  }),
};
