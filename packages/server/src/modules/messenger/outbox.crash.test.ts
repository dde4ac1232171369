import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type runCli as RunCli, runCli, tmpDir } from '../../test/cli-process.js';
import { waitFor } from '../../test/waits.js';

const running: ReturnType<typeof RunCli>[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

/**
 * The after-commit work of a message survives a crash (issue 21): the server is killed (SIGKILL, from a
 * test-only fault point) right after a customer's message commits and before any follow-up work ran; after
 * the restart the AI's draft for it exists exactly once.
 */
describe('after-commit work across a crash', () => {
  it('a customer message committed just before a kill -9 still gets its AI draft, once', {
    timeout: 120_000,
  }, async () => {
    const base = { DATA_DIR: tmpDir('switchboard-outbox-'), DEMO_SEED: 'false', JWT_SECRET: 'j'.repeat(48) };
    const quiet = { ...base, LOG_LEVEL: 'silent' };
    expect(await runCli(['org', 'create', '--slug', 'acme', '--name', 'Acme'], quiet).exited).toBe(0);
    const admin = [
      'user',
      'create',
      '--org',
      'acme',
      '--email',
      'boss@acme.test',
      '--password',
      'a long admin passphrase',
    ];
    expect(await runCli([...admin, '--role', 'admin'], quiet).exited).toBe(0);

    const start = async (env: Record<string, string>) => {
      const p = runCli(['start'], { ...base, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
      running.push(p);
      const url = await waitFor(() => /Server listening at (http:\/\/[\d.:]+)/.exec(p.out())?.[1], {
        what: 'the server to listen',
        timeoutMs: 60_000,
        stepMs: 50,
      });
      return { p, url };
    };
    const json = async (url: string, init: RequestInit & { token?: string; body?: string } = {}) => {
      const res = await fetch(url, {
        ...init,
        headers: {
          'content-type': 'application/json',
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
      });
      return (await res.json()) as Record<string, unknown>;
    };

    // 1. A server that dies right after the next message commits.
    const first = await start({ FAULT_POINTS: 'after-message-commit' });
    const login = await json(`${first.url}/api/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ email: 'boss@acme.test', password: 'a long admin passphrase' }),
    });
    const widget = await json(`${first.url}/api/v1/orgs/current/widget`, { token: login.accessToken as string });
    const visitor = await json(`${first.url}/api/v1/widget/session`, {
      method: 'POST',
      body: JSON.stringify({ widgetKey: widget.widgetKey }),
    });
    const token = visitor.accessToken as string;
    const created = await json(`${first.url}/api/v1/conversations`, {
      method: 'POST',
      token,
      body: JSON.stringify({ kind: 'support' }),
    });
    const conversationId = (created.conversation as { id: string }).id;
    const send = fetch(`${first.url}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientMsgId: randomUUID(), text: 'Where can I download my invoices?' }),
    }).catch((err: Error) => err);
    await first.p.exited;
    expect(first.p.child.signalCode).toBe('SIGKILL');
    expect(await send).toBeInstanceOf(Error); // killed before it could answer

    const db = () => new Database(path.join(base.DATA_DIR, 'switchboard.db'), { readonly: true });
    const count = (sql: string, ...params: unknown[]) => {
      const d = db();
      try {
        return (d.prepare(sql).get(...params) as { n: number }).n;
      } finally {
        d.close();
      }
    };
    // The message is committed, its follow-up work recorded, and nothing of that work done.
    expect(count('select count(*) as n from messages where conversation_id = ?', conversationId)).toBe(1);
    expect(count('select count(*) as n from message_outbox where conversation_id = ?', conversationId)).toBe(1);
    expect(count("select count(*) as n from jobs where type = 'assistant.draft'")).toBe(0);

    // 2. Restarted: the drain redoes the work — the draft task exists once and the outbox is empty.
    const second = await start({});
    await waitFor(
      () => count('select count(*) as n from message_outbox where conversation_id = ?', conversationId) === 0,
      { what: 'the outbox to drain', timeoutMs: 30_000, stepMs: 200 },
    );
    await waitFor(
      () =>
        count("select count(*) as n from ai_outcomes where conversation_id = ? and kind = 'queued'", conversationId) >
        0,
      {
        what: 'the draft to be queued for approval',
        timeoutMs: 30_000,
        stepMs: 200,
      },
    );
    second.p.child.kill('SIGTERM');
    expect(await second.p.exited).toBe(0);
    expect(count("select count(*) as n from jobs where type = 'assistant.draft'")).toBe(1);
    expect(count('select count(*) as n from approvals where conversation_id = ?', conversationId)).toBe(1);
  });
});
