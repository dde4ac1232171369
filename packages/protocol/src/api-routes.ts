import { agentToolRouteDefs } from './agent-tool-routes.js';
import { approvalsRouteDefs } from './approvals-routes.js';
import { assistantRouteDefs } from './assistant-routes.js';
import { authRouteDefs } from './auth-routes.js';
import { dashboardRouteDefs } from './dashboard-routes.js';
import { filesRouteDefs } from './files-routes.js';
import { knowledgeRouteDefs } from './knowledge-routes.js';
import { messengerRouteDefs } from './messenger-routes.js';
import { notificationsRouteDefs } from './notifications-routes.js';
import { orgsRouteDefs } from './orgs-routes.js';
import { presenceRouteDefs } from './presence-routes.js';
import { supportRouteDefs } from './support-routes.js';
import { tasksRouteDefs } from './tasks-routes.js';
import { usersRouteDefs } from './users-routes.js';

/** The route table of each domain, by domain. */
export const routeTables = {
  agentTools: agentToolRouteDefs,
  support: supportRouteDefs,
  assistant: assistantRouteDefs,
  approvals: approvalsRouteDefs,
  knowledge: knowledgeRouteDefs,
  dashboard: dashboardRouteDefs,
  messenger: messengerRouteDefs,
  presence: presenceRouteDefs,
  tasks: tasksRouteDefs,
  notifications: notificationsRouteDefs,
  files: filesRouteDefs,
  auth: authRouteDefs,
  users: usersRouteDefs,
  orgs: orgsRouteDefs,
} as const;

/**
 * Every REST route of the API defined with `defineRoute`, by name: the domain tables together (a name is
 * unique across them; `define-route.test.ts` checks it). The server registers each with `registerRoute`, the
 * SDK calls each with `callRoute`, and the route tests walk this one object.
 */
export const apiRouteDefs = {
  ...agentToolRouteDefs,
  ...supportRouteDefs,
  ...assistantRouteDefs,
  ...approvalsRouteDefs,
  ...knowledgeRouteDefs,
  ...dashboardRouteDefs,
  ...messengerRouteDefs,
  ...presenceRouteDefs,
  ...tasksRouteDefs,
  ...notificationsRouteDefs,
  ...filesRouteDefs,
  ...authRouteDefs,
  ...usersRouteDefs,
  ...orgsRouteDefs,
} as const;
