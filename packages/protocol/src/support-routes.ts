import { ADMIN_ROLES, STAFF_ROLES } from './common.js';
import { defineRoute } from './routes.js';
import { SearchQuerySchema, SearchResultSchema } from './search.js';
import {
  SupportContactSchema,
  SupportHoursSchema,
  SupportSettingsSchema,
  UpdateSupportContactSchema,
} from './support-hours.js';
import { SupportRoutingSchema } from './support-inbox.js';

/**
 * Business hours and the pre-chat form, routing opt-in, and full-text search: REST routes defined once for
 * the server and the SDK (see `defineRoute`).
 */
export const supportRouteDefs = {
  hours: defineRoute({
    method: 'GET',
    path: '/api/v1/support/hours',
    summary: 'Open now? Next opening, away message and pre-chat questions (no staff data)',
    tags: ['support', 'widget'],
    access: 'authenticated',
    status: 200,
    response: SupportHoursSchema,
  }),
  hoursSettings: defineRoute({
    method: 'GET',
    path: '/api/v1/support/hours/settings',
    summary: 'Business hours, away message and pre-chat form',
    tags: ['support'],
    access: ADMIN_ROLES,
    status: 200,
    response: SupportSettingsSchema,
  }),
  updateHoursSettings: defineRoute({
    method: 'PUT',
    path: '/api/v1/support/hours/settings',
    summary: 'Change business hours, away message and pre-chat form',
    tags: ['support'],
    access: ADMIN_ROLES,
    body: SupportSettingsSchema,
    status: 200,
    response: SupportSettingsSchema,
    errors: [400],
  }),
  setContact: defineRoute({
    method: 'PUT',
    path: '/api/v1/support/contact',
    summary: 'The name and/or email a widget customer gives',
    tags: ['support', 'widget'],
    access: ['customer'],
    body: UpdateSupportContactSchema,
    status: 200,
    response: SupportContactSchema,
    errors: [400],
  }),
  routing: defineRoute({
    method: 'GET',
    path: '/api/v1/support-routing',
    summary: 'Whether I take chats from the human queue',
    tags: ['contact center'],
    access: STAFF_ROLES,
    status: 200,
    response: SupportRoutingSchema,
  }),
  setRouting: defineRoute({
    method: 'PUT',
    path: '/api/v1/support-routing',
    summary: 'Opt in or out of chats from the human queue (supervisors and admins; agents always take them)',
    tags: ['contact center'],
    access: STAFF_ROLES,
    body: SupportRoutingSchema,
    status: 200,
    response: SupportRoutingSchema,
    errors: [400],
  }),
  search: defineRoute({
    method: 'GET',
    path: '/api/v1/search',
    summary: 'Full-text search over messages: my conversations, or (staff) the support conversations',
    tags: ['messages'],
    access: 'authenticated',
    query: SearchQuerySchema,
    status: 200,
    response: SearchResultSchema,
    errors: [400],
  }),
};
