import type { TaskUpdatedEvent } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { createPlatform } from '../../server/src/platform/platform.js';
import { createOrgWithUsers, listen, type OrgFixture, sessionFor } from '../../server/src/test/auth.js';
import { testConfig } from '../../server/src/test/config.js';
import { waitFor } from '../../server/src/test/waits.js';
import { sessionAuth } from './auth.js';
import { createClient, type SwitchboardClient } from './client.js';

describe('sdk client.tasks against the real server', () => {
  let app: FastifyInstance;
  let url: string;
  let org: OrgFixture;
  const clients: SwitchboardClient[] = [];
  const open = async (role: 'agent' | 'admin') => {
    const tokens = await sessionFor(app.platform, org.users[role]);
    const client = createClient({ url, auth: sessionAuth(tokens), userId: org.users[role].id, warn: () => {} });
    clients.push(client);
    const heard: TaskUpdatedEvent[] = [];
    client.tasks.subscribe((t) => heard.push(t));
    await waitFor(() => client.state === 'websocket');
    return { client, heard };
  };
  const saw = (heard: TaskUpdatedEvent[], id: string, pred: (t: TaskUpdatedEvent) => boolean) =>
    waitFor(() => heard.find((t) => t.id === id && pred(t)), 20_000);

  beforeAll(async () => {
    const config = testConfig();
    const platform = await createPlatform(config, {
      jobs: { pollIntervalMs: 20, backoffBaseMs: 20, stopGraceMs: 100 },
    });
    app = await buildApp(config, { platform });
    app.addHook('onClose', () => platform.close());
    org = await createOrgWithUsers(app.platform);
    url = await listen(app);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app?.close();
  });

  it('submits once per idempotency key, streams progress live, and lists and gets the result', async () => {
    const { client, heard } = await open('agent');
    const body = { type: 'demo.sleep', payload: { seconds: 0.3, steps: 3 } };
    const first = await client.tasks.submit(body, { idempotencyKey: 'sdk-once' });
    const again = await client.tasks.submit(body, { idempotencyKey: 'sdk-once' });
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, task: { id: first.task.id } });
    const progress = await saw(heard, first.task.id, (t) => t.state === 'running' && t.progress.percent > 0);
    expect(progress.progress.message).toMatch(/step \d of 3/);
    await saw(heard, first.task.id, (t) => t.state === 'succeeded');
    expect((await client.tasks.get(first.task.id)).result).toEqual({ sleptMs: 300 });
    expect((await client.tasks.list({ state: 'succeeded' })).items.map((t) => t.id)).toContain(first.task.id);
  });

  it('cancels a running task', async () => {
    const { client, heard } = await open('agent');
    const { task } = await client.tasks.submit({ type: 'demo.sleep', payload: { seconds: 60, steps: 60 } });
    await saw(heard, task.id, (t) => t.state === 'running');
    await client.tasks.cancel(task.id);
    await saw(heard, task.id, (t) => t.state === 'cancelled');
    expect((await client.tasks.get(task.id)).state).toBe('cancelled');
  });

  it('shows admins a failed task in the dead-letter queue, redrives it, and lets its owner retry it', async () => {
    const { client, heard: mine } = await open('agent');
    const { client: admin, heard } = await open('admin');
    const { task } = await client.tasks.submit({
      type: 'demo.sleep',
      payload: { seconds: 5, steps: 1 },
      timeoutMs: 100,
      maxAttempts: 1,
    });
    await saw(heard, task.id, (t) => t.state === 'dead');
    expect((await admin.tasks.deadLetters()).items.map((t) => t.id)).toContain(task.id);
    const count = heard.length;
    expect(await admin.tasks.redrive({ ids: [task.id] })).toEqual({ count: 1 });
    await waitFor(() => heard.slice(count).find((t) => t.id === task.id && t.state !== 'dead'), 20_000);
    await waitFor(() => heard.slice(count).find((t) => t.id === task.id && t.state === 'dead'), 20_000);
    const seen = mine.length;
    expect((await client.tasks.retry(task.id)).state).toBe('queued');
    await waitFor(() => mine.slice(seen).find((t) => t.id === task.id && t.state === 'dead'), 20_000);
  });
});
