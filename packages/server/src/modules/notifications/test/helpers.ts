import { randomUUID } from 'node:crypto';
import type { Message, Tokens, User } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Platform } from '../../../platform/platform.js';
import { bearer, insertTestUser, sessionFor } from '../../../test/auth.js';
import { waitFor } from '../../../test/waits.js';
import { notificationsRepo } from '../notifications.repo.js';

export { waitFor } from '../../../test/waits.js';

export interface Person {
  user: User;
  tokens: Tokens;
  auth: { authorization: string };
}

/** A new active user of `orgId` named `name` (email `<slug>@notify.test`) with a session. */
export async function person(platform: Platform, orgId: string, name: string): Promise<Person> {
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 6)}`;
  const user = await insertTestUser(platform, {
    orgId,
    email: `${slug}@notify.test`,
    displayName: name,
    role: 'agent',
    passwordHash: null,
  });
  const tokens = await sessionFor(platform, user);
  return { user, tokens, auth: bearer(tokens.accessToken) };
}

/** New tokens for `who` (after the test clock moved past the access-token and session lifetimes). */
export async function renew(platform: Platform, ...people: Person[]): Promise<void> {
  for (const who of people) {
    who.tokens = await sessionFor(platform, who.user);
    who.auth = bearer(who.tokens.accessToken);
  }
}

/** `app.inject` that expects `status` and returns the JSON body. */
export async function call<T = unknown>(
  app: FastifyInstance,
  who: Person,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  status = 200,
): Promise<T> {
  const res = await app.inject({
    method,
    url,
    headers: who.auth,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  return (res.body ? res.json() : undefined) as T;
}

export async function group(app: FastifyInstance, owner: Person, name: string, members: Person[]): Promise<string> {
  const body = await call<{ conversation: { id: string } }>(
    app,
    owner,
    'POST',
    '/api/v1/conversations',
    { kind: 'group', name, memberIds: members.map((m) => m.user.id) },
    201,
  );
  return body.conversation.id;
}

export async function direct(app: FastifyInstance, a: Person, b: Person): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: a.auth,
    payload: { kind: 'direct', userId: b.user.id },
  });
  return (res.json() as { conversation: { id: string } }).conversation.id;
}

export async function send(app: FastifyInstance, from: Person, conversationId: string, text: string): Promise<Message> {
  const body = await call<{ message: Message }>(
    app,
    from,
    'POST',
    `/api/v1/conversations/${conversationId}/messages`,
    { clientMsgId: randomUUID(), text },
    201,
  );
  return body.message;
}

/** Wait until the push decision of every recipient of `messageId` is recorded; returns userId → reason. */
export async function pushOutcomes(
  platform: Platform,
  messageId: string,
  recipients: readonly Person[],
): Promise<Record<string, string>> {
  const repo = notificationsRepo(platform.database.db);
  return waitFor(async () => {
    const out: Record<string, string> = {};
    for (const r of recipients) {
      const row = await repo.delivery(`push:${messageId}:${r.user.id}`);
      if (!row) return undefined;
      out[r.user.displayName] = row.status === 'skipped' ? (row.reason ?? 'skipped') : row.status;
    }
    return out;
  });
}
