import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { until } from '../test/waits.js';

/**
 * Real processes for the cluster tests: Switchboard nodes (`switchboard start`), a private redis-server,
 * a fresh PostgreSQL database and a TCP load balancer in front of the nodes. Read here and only here:
 * `DATABASE_URL` and `REDIS_URL` (tests are not the product; config.ts stays the product's only reader).
 */
export const DATABASE_URL = process.env.DATABASE_URL;
export const REDIS_URL = process.env.REDIS_URL;
export const clusterSkipReason =
  DATABASE_URL && REDIS_URL
    ? undefined
    : 'cluster tests need DATABASE_URL (PostgreSQL) and REDIS_URL (Redis); both unset or one missing: skipped';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/switchboard.js');

export { sleep, until } from '../test/waits.js';

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** A fresh PostgreSQL database on the server of `DATABASE_URL`, dropped by `drop()`. */
export async function createDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sb_cluster_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A redis-server of the test's own on a free port, without persistence: a restart loses every key. */
export class RedisServer {
  private proc?: ChildProcess;
  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const r = new RedisServer(await freePort());
    await r.resume();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await until(`redis-server on ${this.port}`, () => canConnect(this.port), 10_000);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface NodeEnv {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  jwtSecret: string;
  extra?: Record<string, string>;
}

/** One `switchboard start` process. */
export class SwitchboardNode {
  private proc?: ChildProcess;
  private readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-node-'));
  readonly log: string[] = [];

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: NodeEnv,
  ) {}

  static async start(name: string, env: NodeEnv): Promise<SwitchboardNode> {
    const n = new SwitchboardNode(name, await freePort(), env);
    await n.launch();
    return n;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(this.port),
      DATA_DIR: this.dataDir,
      DATABASE_URL: this.env.databaseUrl,
      REDIS_URL: this.env.redisUrl,
      REDIS_KEY_PREFIX: this.env.redisKeyPrefix,
      JWT_SECRET: this.env.jwtSecret,
      DEMO_SEED: 'false',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      SOCKET_EVENTS_PER_SECOND: '0',
      ...this.env.extra,
    };
    const proc = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    const keep = (chunk: Buffer) => {
      this.log.push(chunk.toString());
      if (this.log.length > 200) this.log.shift();
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    await until(
      `node ${this.name} to be ready`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`node ${this.name} exited: ${this.log.join('')}`);
        try {
          return (await fetch(`${this.url}/readyz`)).status === 200;
        } catch {
          return false;
        }
      },
      90_000,
      200,
    );
  }

  /** `/readyz` as JSON, whatever its status. */
  async readiness(): Promise<{ status: string; checks: Record<string, { ok: boolean; detail?: string }> }> {
    return (await fetch(`${this.url}/readyz`)).json() as never;
  }

  /** Socket.IO connections open on this node (its `socketio_connections` gauge; /metrics serves loopback). */
  async sockets(): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('socketio_connections '));
    return Number(line?.split(' ')[1] ?? 0);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill(signal);
    return exited;
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * A TCP load balancer like nginx's stream/http proxy with round-robin and `proxy_next_upstream error`:
 * each new connection goes to the next node; a node that refuses is skipped. No stickiness.
 */
export class Balancer {
  private readonly server: net.Server;
  private readonly open = new Set<net.Socket>();
  private next = 0;
  port = 0;

  constructor(private readonly ports: number[]) {
    this.server = net.createServer((client) => this.route(client, 0));
  }

  static async start(ports: number[]): Promise<Balancer> {
    const b = new Balancer(ports);
    await new Promise<void>((r) => b.server.listen(0, '127.0.0.1', r));
    b.port = (b.server.address() as net.AddressInfo).port;
    return b;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private route(client: net.Socket, tried: number): void {
    if (tried >= this.ports.length) {
      client.destroy();
      return;
    }
    client.pause();
    const port = this.ports[this.next++ % this.ports.length] as number;
    const upstream = net.connect(port, '127.0.0.1');
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      this.open.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      client.resume();
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.open.delete(client);
      this.open.delete(upstream);
    };
    upstream.on('error', () => (connected ? end() : this.route(client, tried + 1)));
    upstream.on('close', () => connected && end());
    client.on('error', end);
    client.on('close', () => connected && end());
  }

  async close(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}
