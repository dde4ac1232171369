import { randomBytes, randomUUID } from 'node:crypto';
import type { MatrixContext, RouteCase } from '../../test/matrix.js';
import { jwtKey } from '../auth/keys.js';
import { unsubscribeTokens } from './unsubscribe.js';

/** A syntactically valid subscription with a fresh endpoint (nothing is sent to it). */
const subscription = () => ({
  endpoint: `https://push.example.test/${randomUUID()}`,
  keys: {
    p256dh: `B${randomBytes(64).toString('base64url')}`.slice(0, 87),
    auth: randomBytes(16).toString('base64url'),
  },
});

const groups = new WeakMap<MatrixContext, Promise<string>>();
/** An org-A group of the admin, the supervisor and the agent: customers and visitors are not members. */
function staffGroup(ctx: MatrixContext): Promise<string> {
  let id = groups.get(ctx);
  if (!id) {
    id = ctx.app
      .inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: { authorization: `Bearer ${ctx.tokens.admin}` },
        payload: { kind: 'group', name: 'Matrix', memberIds: [ctx.a.users.agent.id, ctx.a.users.supervisor.id] },
      })
      .then((res) => (res.json() as { conversation: { id: string } }).conversation.id);
    groups.set(ctx, id);
  }
  return id;
}

/**
 * Everything is the caller's own (settings, subscriptions, records): any signed-in caller, org B's admin
 * included, gets 200 without org A's ids. A conversation's mute is for its members only (404 otherwise).
 */
export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/me/notification-settings' },
  { route: 'PATCH /api/v1/me/notification-settings', request: () => ({ payload: { keywords: ['urgent'] } }) },
  { route: 'GET /api/v1/me/notification-settings/conversations' },
  {
    route: 'PATCH /api/v1/me/notification-settings/conversations/:conversationId',
    request: async (ctx) => ({
      url: `/api/v1/me/notification-settings/conversations/${await staffGroup(ctx)}`,
      payload: { mutedUntil: 'forever' },
    }),
    otherOrg: 404,
    expect: { customer: 404, visitor: 404 },
  },
  { route: 'GET /api/v1/notifications/vapid-public-key' },
  { route: 'POST /api/v1/me/push-subscriptions', request: () => ({ payload: subscription() }), ok: 201 },
  {
    route: 'DELETE /api/v1/me/push-subscriptions',
    request: async (ctx, caller) => {
      const sub = subscription();
      if (caller !== 'anonymous') {
        await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/me/push-subscriptions',
          headers: { authorization: `Bearer ${ctx.tokens[caller]}` },
          payload: sub,
        });
      }
      return { payload: { endpoint: sub.endpoint } };
    },
    ok: 204,
  },
  { route: 'GET /api/v1/me/notification-deliveries' },
  {
    route: 'GET /api/v1/notifications/unsubscribe',
    request: (ctx) => ({
      url: `/api/v1/notifications/unsubscribe?token=${unsubscribeTokens(jwtKey(ctx.platform.config)).create(ctx.a.org.id, ctx.a.users.agent.id)}`,
    }),
  },
];
