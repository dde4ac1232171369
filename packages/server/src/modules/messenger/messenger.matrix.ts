import { randomUUID } from 'node:crypto';
import type { Actor } from '../../actor.js';
import type { Caller, EventCase, MatrixContext, RouteCase } from '../../test/matrix.js';
import { messengerService } from './messenger.service.js';
import { recordingNotifier } from './notifier.js';

/**
 * Every messenger route and event is open to any signed-in caller, but only about conversations the caller
 * belongs to: each case builds a conversation the caller is a member (group admin) of. Org B's admin is
 * pointed at an org-A conversation it is not in and gets 404 / `not_found`. Customers and visitors may open
 * support conversations only.
 */
type Who = Exclude<Caller, 'anonymous'>;

const svc = (ctx: MatrixContext) => messengerService(ctx.platform, recordingNotifier().notifier);

function actorOf(ctx: MatrixContext, caller: Who): Actor {
  const user = caller === 'visitor' ? ctx.visitor : caller === 'otherOrg' ? ctx.b.users.admin : ctx.a.users[caller];
  return { userId: user.id, orgId: user.orgId, role: user.role, sessionId: randomUUID(), kind: user.kind };
}

const ownerOf = (ctx: MatrixContext) => actorOf(ctx, 'admin');

/** A group of org A with the caller as an admin (org B's admin: a group it is not in). */
async function groupFor(ctx: MatrixContext, caller: Caller): Promise<string> {
  const m = svc(ctx);
  const owner = ownerOf(ctx);
  const { conversation } = await m.conversations.create(owner, { kind: 'group', name: 'matrix' });
  if (caller !== 'anonymous' && caller !== 'otherOrg' && caller !== 'admin') {
    await m.conversations.addMembers(owner, conversation.id, { userIds: [actorOf(ctx, caller).userId], role: 'admin' });
  }
  return conversation.id;
}

/** A message in the caller's group, sent by the caller itself (org B's admin: by org A's admin). */
async function messageFor(ctx: MatrixContext, caller: Caller): Promise<string> {
  const conversationId = await groupFor(ctx, caller);
  const sender = caller === 'anonymous' || caller === 'otherOrg' ? ownerOf(ctx) : actorOf(ctx, caller);
  const { message } = await svc(ctx).messages.send(sender, conversationId, { clientMsgId: randomUUID(), text: 'hi' });
  return message.id;
}

const conv = (path: string, payload?: (ctx: MatrixContext) => unknown, ok = 200): RouteCase => ({
  route: `${path.split(' ')[0]} /api/v1/conversations/:conversationId${path.split(' ')[1] ?? ''}`,
  request: async (ctx, caller) => ({
    url: `/api/v1/conversations/${await groupFor(ctx, caller)}${path.split(' ')[1] ?? ''}`,
    ...(payload ? { payload: await payload(ctx) } : {}),
  }),
  ok,
  otherOrg: 404,
});

const msg = (path: string, payload?: unknown, ok = 200): RouteCase => ({
  route: `${path.split(' ')[0]} /api/v1/messages/:messageId${path.split(' ')[1] ?? ''}`,
  request: async (ctx, caller) => ({
    url: `/api/v1/messages/${await messageFor(ctx, caller)}${path.split(' ')[1] ?? ''}`,
    ...(payload ? { payload } : {}),
  }),
  ok,
  otherOrg: 404,
});

export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/conversations' },
  {
    route: 'POST /api/v1/conversations',
    request: () => ({ payload: { kind: 'group', name: 'new group' } }),
    ok: 201,
    expect: { customer: 403, visitor: 403 },
  },
  conv('GET'),
  conv('PATCH', () => ({ name: 'renamed' })),
  conv('POST /members', async (ctx) => ({ userIds: [(await ctx.freshUser('agent')).id] })),
  {
    route: 'DELETE /api/v1/conversations/:conversationId/members/:userId',
    request: async (ctx, caller) => {
      const id = await groupFor(ctx, caller);
      const extra = await ctx.freshUser('agent');
      await svc(ctx).conversations.addMembers(ownerOf(ctx), id, { userIds: [extra.id] });
      return { url: `/api/v1/conversations/${id}/members/${extra.id}` };
    },
    ok: 204,
    otherOrg: 404,
  },
  conv('POST /leave', undefined, 204),
  conv('DELETE', undefined, 204),
  conv('GET /messages'),
  conv('POST /messages', () => ({ clientMsgId: randomUUID(), text: 'hello' }), 201),
  conv('POST /read', () => ({ seq: 0 })),
  msg('GET'),
  msg('PATCH', { text: 'edited' }),
  msg('DELETE'),
  msg('GET /edits'),
  msg('POST /reactions', { emoji: '👍' }),
  { route: 'GET /api/v1/sync' },
  // Anyone signed in searches their own conversations; the support scope is staff only.
  { route: 'GET /api/v1/search', request: () => ({ url: '/api/v1/search?q=hello' }) },
];

const inGroup =
  (build: (conversationId: string) => unknown) =>
  async (ctx: MatrixContext, caller: Who): Promise<unknown> =>
    build(await groupFor(ctx, caller));

const onMessage =
  (build: (messageId: string) => unknown) =>
  async (ctx: MatrixContext, caller: Who): Promise<unknown> =>
    build(await messageFor(ctx, caller));

export const matrixEvents: EventCase[] = [
  {
    event: 'message.send',
    access: 'authenticated',
    payload: inGroup((conversationId) => ({ conversationId, clientMsgId: randomUUID(), text: 'hi' })),
    otherOrg: 'not_found',
  },
  {
    event: 'message.edit',
    access: 'authenticated',
    payload: onMessage((messageId) => ({ messageId, text: 'edited' })),
    otherOrg: 'not_found',
  },
  {
    event: 'message.delete',
    access: 'authenticated',
    payload: onMessage((messageId) => ({ messageId })),
    otherOrg: 'not_found',
  },
  {
    event: 'message.react',
    access: 'authenticated',
    payload: onMessage((messageId) => ({ messageId, emoji: '🎉' })),
    otherOrg: 'not_found',
  },
  {
    event: 'message.read',
    access: 'authenticated',
    payload: inGroup((conversationId) => ({ conversationId, seq: 0 })),
    otherOrg: 'not_found',
  },
  {
    event: 'message.typing',
    access: 'authenticated',
    payload: inGroup((conversationId) => ({ conversationId, typing: true })),
    otherOrg: 'not_found',
  },
  { event: 'sync', access: 'authenticated', payload: () => ({}) },
];
