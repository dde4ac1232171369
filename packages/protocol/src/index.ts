/**
 * The Switchboard contract, shared by the server, the SDK and the web app.
 * Every REST body, socket payload and event is defined here once.
 */
export * from './agent-tool-routes.js';
export * from './api-routes.js';
export * from './approvals-routes.js';
export * from './assistant-routes.js';
export * from './auth.js';
export * from './auth-routes.js';
export * from './canned-responses.js';
export * from './common.js';
export * from './contact-center.js';
export * from './conversations.js';
export * from './copilot.js';
export * from './dashboard.js';
export * from './dashboard-routes.js';
export * from './errors.js';
export * from './files.js';
export * from './files-routes.js';
export * from './health.js';
export * from './knowledge-routes.js';
export * from './labels.js';
export * from './messages.js';
export * from './messenger-events.js';
export * from './messenger-routes.js';
export * from './notifications.js';
export * from './notifications-routes.js';
export * from './orgs.js';
export * from './orgs-routes.js';
export * from './presence.js';
export * from './presence-routes.js';
export * from './routes.js';
export * from './search.js';
export * from './socket-events.js';
export * from './support-hours.js';
export * from './support-inbox.js';
export * from './support-notes.js';
export * from './support-routes.js';
export * from './sync.js';
export * from './tasks.js';
export * from './tasks-routes.js';
export * from './telemetry.js';
export * from './users.js';
export * from './users-routes.js';
