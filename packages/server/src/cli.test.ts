import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSocket } from './test/auth.js';
import { waitFor as waitForValue } from './test/waits.js';

const BIN = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));

function tmpDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-cli-'));
}

/** The CLI as an operator runs it: a real process, a clean environment plus `env`. */
function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

const waitFor = <T>(fn: () => T | undefined, timeoutMs: number) =>
  waitForValue(() => fn() ?? undefined, { what: 'the command', timeoutMs, stepMs: 50 });

const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) c.kill('SIGKILL');
});

describe('switchboard CLI', () => {
  it('stops the boot on a bad PORT with one line naming it', async () => {
    const p = run(['start'], { PORT: 'abc', DATA_DIR: tmpDir() });
    expect(await p.exited).toBe(1);
    expect(p.err().trim().split('\n')).toEqual([
      'switchboard: invalid configuration: PORT: must be a number (got "abc")',
    ]);
  });

  it('stops the boot with one line when PostgreSQL is unreachable', async () => {
    const p = run(['start'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      JWT_SECRET: 'x'.repeat(32),
      DATA_DIR: tmpDir(),
    });
    expect(await p.exited).toBe(1);
    const lines = p.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^switchboard: cannot reach PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none: /);
  });

  it('starts, serves health and docs, seeds the demo org, and exits 0 on SIGTERM', async () => {
    const dataDir = tmpDir();
    const p = run(['start'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
    running.push(p.child);
    // How fast it starts is measured by the benchmark, not asserted here.
    const url = await waitFor(() => /Server listening at (http:\/\/[\d.:]+)/.exec(p.out())?.[1], 60_000);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await fetch(`${url}/api/docs/json`)).status).toBe(200);
    expect(p.out()).toContain('Demo org \\"demo\\" created');
    // Something to look at: the staff's two conversations, and the customer's two questions — one answered by
    // the AI at once, one waiting for approval.
    const as = async (who: string) => {
      const res = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${who}@demo.example`, password: 'switchboard-demo' }),
      });
      const { accessToken } = (await res.json()) as { accessToken: string };
      return (path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
    };
    const supervisor = await as('supervisor');
    const mine = (await (await supervisor('/api/v1/conversations')).json()) as { items: { name: string | null }[] };
    expect(mine.items.map((c) => c.name).sort()).toEqual(['Support team', null]);
    type Pending = { items: { question: string }[] };
    const pending = async () => ((await (await supervisor('/api/v1/approvals/pending')).json()) as Pending).items;
    await expect.poll(pending, { timeout: 15_000 }).toHaveLength(1);
    expect((await pending())[0]?.question).toBe('Can several agents approve the same draft?');
    // The example keeps waiting for an agent: its 2-minute escalation was called off by the seed.
    const admin = await as('admin');
    const timeouts = (await (await admin('/api/v1/admin/tasks?type=approval.timeout&state=cancelled')).json()) as {
      items: unknown[];
    };
    expect(timeouts.items).toHaveLength(1);
    const customer = await as('customer');
    type Convs = { items: { id: string }[] };
    const support = ((await (await customer('/api/v1/conversations')).json()) as Convs).items;
    expect(support).toHaveLength(2);
    type Outcomes = { items: { kind: string }[] };
    const outcomes = ((await (await supervisor('/api/v1/ai/outcomes')).json()) as Outcomes).items;
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['auto_sent', 'queued']);
    // Someone online at shutdown: their last-seen time is written before the database closes.
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'agent@demo.example', password: 'switchboard-demo' }),
    });
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { id: string } };
    const socket = await connectSocket(url, accessToken);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    socket.close();
    expect(p.out()).toContain('shutting down');
    expect(`${p.out()}${p.err()}`).not.toMatch(/destroyed|lastSeen flush failed/);
    const db = new Database(path.join(dataDir, 'switchboard.db'), { readonly: true });
    try {
      const row = db.prepare('select last_seen from user_presence where user_id = ?').get(user.id) as
        | { last_seen: number | null }
        | undefined;
      expect(row?.last_seen).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('migrates, creates orgs and users, seeds the demo org idempotently, backs up and restores', async () => {
    const env = { DATA_DIR: tmpDir(), LOG_LEVEL: 'silent' };
    const migrate = run(['migrate'], env);
    expect(await migrate.exited).toBe(0);
    expect(migrate.out()).toMatch(/^applied \d+ migration\(s\): 0001_orgs_create/);
    const again = run(['migrate'], env);
    expect(await again.exited).toBe(0);
    expect(again.out()).toBe('database is up to date\n');

    const org = run(['org', 'create', '--slug', 'acme', '--name', 'Acme Inc'], env);
    expect(await org.exited).toBe(0);
    expect(org.out()).toMatch(/^created org acme \(/);
    const user = run(
      [
        'user',
        'create',
        '--org',
        'acme',
        '--email',
        'Boss@Acme.test',
        '--password',
        'long enough pw',
        '--role',
        'admin',
      ],
      env,
    );
    expect(await user.exited).toBe(0);
    expect(user.out()).toMatch(/^created admin boss@acme\.test in acme/);

    const dup = run(['org', 'create', '--slug', 'acme', '--name', 'Again'], env);
    expect(await dup.exited).toBe(1);
    expect(dup.err()).toBe('switchboard: an org with slug "acme" exists\n');
    const badRole = run(
      ['user', 'create', '--org', 'acme', '--email', 'x@y.z', '--password', 'long enough pw', '--role', 'root'],
      env,
    );
    expect(await badRole.exited).toBe(1);
    expect(badRole.err()).toMatch(/one of customer, agent, supervisor, admin/);

    const seed1 = run(['seed', 'demo'], env);
    expect(await seed1.exited).toBe(0);
    expect(seed1.out()).toMatch(/^created org demo/);
    const seed2 = run(['seed', 'demo'], env);
    expect(await seed2.exited).toBe(0);
    expect(seed2.out()).toMatch(/^already present: org demo/);

    const archive = path.join(env.DATA_DIR, 'backup.tar.gz');
    const backup = run(['backup', archive], env);
    expect(await backup.exited).toBe(0);
    expect(backup.out()).toMatch(/^backed up sqlite: \d+ tables, \d+ rows, 0 files -> /);
    const restoreEnv = { DATA_DIR: tmpDir(), LOG_LEVEL: 'silent' };
    const restore = run(['restore', archive], restoreEnv);
    expect(await restore.exited).toBe(0);
    expect(restore.out()).toMatch(/integrity check passed\n$/);
    const again2 = run(['restore', archive], restoreEnv);
    expect(await again2.exited).toBe(1);
    expect(again2.err()).toBe('switchboard: restore needs an empty database; this one has data\n');
  }, 120_000);
});
