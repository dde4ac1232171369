import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { SeedOutput, SeedSpec } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
const SWITCHBOARD_BIN = path.join(ROOT, 'packages/server/bin/switchboard.js');
const BASELINE = path.join(here, 'baseline-server.ts');
const SEED = path.join(here, 'seed.ts');

/** Where the server runs and where the generator runs: different cores when there are two and taskset. */
export const pinning = (() => {
  let taskset = false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    taskset = os.cpus().length >= 2;
  } catch {
    taskset = false;
  }
  return taskset
    ? { taskset: true, server: 'core 0 (taskset -c 0)', generator: 'core 1 (taskset -cp 1)' }
    : { taskset: false, server: 'unpinned', generator: 'unpinned' };
})();

/** Pin this (generator) process to core 1; the servers get core 0. */
export function pinGenerator(): void {
  if (pinning.taskset) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  kind: 'switchboard' | 'baseline';
  storage: 'sqlite' | 'postgres' | 'none';
  url: string;
  pid: number;
  /** Loopback /metrics with `nodejs_eventloop_lag_p99_seconds`. */
  metricsUrl: string;
  seed: SeedOutput | undefined;
  stop(): Promise<void>;
}

/**
 * Both servers run with the young-generation size Switchboard's own command line sets (bin/switchboard.js,
 * deploy/): the product as it is started, against a relay tuned the same way.
 */
const NODE_FLAGS = ['--max-semi-space-size=64'];

function launch(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const [cmd, ...rest] = pinning.taskset
    ? ['taskset', '-c', '0', process.execPath, ...NODE_FLAGS, ...args]
    : [process.execPath, ...NODE_FLAGS, ...args];
  return spawn(cmd as string, rest, { env, stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT });
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr().slice(-2000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready within ${timeoutMs} ms: ${stderr().slice(-2000)}`);
}

function stopper(child: ChildProcess, cleanup: () => Promise<void>): () => Promise<void> {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await cleanup();
  };
}

/**
 * PostgreSQL for persisted-send on PostgreSQL: `BENCH_DATABASE_URL`, else `DATABASE_URL`, else the local
 * default. An empty variable counts as unset (`DATABASE_URL= npm run bench` must not pass "" to pg).
 */
export function postgresAdminUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.BENCH_DATABASE_URL || env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Start `switchboard start` as its own process on a fresh DATA_DIR (and, for PostgreSQL, a fresh database
 * that is dropped afterwards), after running the setup step for `spec` against the same storage.
 */
export async function startSwitchboard(opts: {
  storage: 'sqlite' | 'postgres';
  spec: SeedSpec;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const url = `http://127.0.0.1:${port}`;
  let dropDb = async () => {};
  let databaseUrl: string | undefined;
  if (opts.storage === 'postgres') {
    const admin = postgresAdminUrl();
    const name = `sb_bench_${randomBytes(5).toString('hex')}`;
    await withPg(admin, (c) => c.query(`create database ${name}`));
    const u = new URL(admin);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = () => withPg(admin, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {});
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ACCESS_TOKEN_TTL_SECONDS: '900',
    // Per-request info lines would be a large part of the CPU under load; production runs usually keep them.
    LOG_LEVEL: 'warn',
    LOG_PRETTY: 'false',
    DEMO_SEED: 'false',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...opts.env,
  };
  const cleanup = async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await dropDb();
  };
  let seed: SeedOutput;
  try {
    seed = await runSeed(opts.spec, env, dataDir);
  } catch (err) {
    await cleanup();
    throw err;
  }
  // Profiling the server under load: BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = launch([...nodeArgs, SWITCHBOARD_BIN, 'start'], env);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-20_000);
  });
  try {
    await waitReady(`${url}/healthz`, child, () => err);
  } catch (e) {
    await stopper(child, cleanup)();
    throw e;
  }
  return {
    kind: 'switchboard',
    storage: opts.storage,
    url,
    pid: child.pid as number,
    metricsUrl: `${url}/metrics`,
    seed,
    stop: stopper(child, cleanup),
  };
}

async function runSeed(spec: SeedSpec, env: NodeJS.ProcessEnv, dir: string): Promise<SeedOutput> {
  const specFile = path.join(dir, 'bench-spec.json');
  const outFile = path.join(dir, 'bench-seed.json');
  fs.writeFileSync(specFile, JSON.stringify(spec));
  const child = spawn(process.execPath, ['--import', 'tsx', SEED, specFile, outFile], {
    env,
    stdio: ['ignore', 'inherit', 'pipe'],
    cwd: ROOT,
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-5000);
  });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`setup step failed (${code}): ${err}`);
  return JSON.parse(fs.readFileSync(outFile, 'utf8')) as SeedOutput;
}

/** The bare Socket.IO relay (no auth, no storage) on the same core the server gets. */
export async function startBaseline(): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = launch(['--import', 'tsx', BASELINE, String(port)], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-20_000);
  });
  try {
    await waitReady(`${url}/healthz`, child, () => err);
  } catch (e) {
    await stopper(child, async () => {})();
    throw e;
  }
  return {
    kind: 'baseline',
    storage: 'none',
    url,
    pid: child.pid as number,
    metricsUrl: `${url}/metrics`,
    seed: undefined,
    stop: stopper(child, async () => {}),
  };
}
