import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMPOSE = path.join(ROOT, 'docker-compose.yml');
const NGINX = path.join(ROOT, 'deploy/nginx.compose.conf');
const ENV = { JWT_SECRET: 'compose-test-secret-0123456789abcdef', POSTGRES_PASSWORD: 'compose-test' };

const works = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/** A Compose client that can render a file without an engine: the plugin (`docker compose`) or v1. */
function composeClient(): string[] | undefined {
  if (works('docker', ['compose', 'version'])) return ['docker', 'compose'];
  if (works('docker-compose', ['version'])) return ['docker-compose'];
  return undefined;
}

function nginxBinary(): string | undefined {
  return ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((p) => fs.existsSync(p));
}

describe('deployment files (docker-compose.yml, deploy/nginx.compose.conf)', () => {
  const compose = fs.readFileSync(COMPOSE, 'utf8');
  const nginx = fs.readFileSync(NGINX, 'utf8');

  it('run two nodes on one PostgreSQL, one Redis, one secret and one shared data volume, behind nginx', () => {
    expect(compose).toMatch(/^ {2}node1: \*node$/m);
    expect(compose).toMatch(/^ {2}node2: \*node$/m);
    for (const service of ['postgres', 'redis', 'nginx']) expect(compose).toMatch(new RegExp(`^ {2}${service}:$`, 'm'));
    for (const v of [
      'DATABASE_URL: postgres://',
      'REDIS_URL: redis://redis:',
      'JWT_SECRET: ${JWT_SECRET:?',
      'data:/data',
    ]) {
      expect(compose).toContain(v);
    }
    for (const node of ['node1', 'node2']) expect(nginx.match(new RegExp(`server ${node}:3000`, 'g'))).toHaveLength(2);
    // WebSocket upgrade, idle sockets kept, polling sessions sticky.
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    expect(nginx).toMatch(/proxy_read_timeout 75s/);
    expect(nginx).toMatch(/upstream switchboard_socketio \{\s+ip_hash;/);
  });

  it('is a valid Compose file (`docker compose config -q`; skipped without a Compose client)', (ctx) => {
    const client = composeClient();
    if (!client) {
      console.warn('deploy.test: no Compose client (docker compose plugin or docker-compose): not rendered');
      ctx.skip();
      return;
    }
    const [cmd, ...pre] = client as [string, ...string[]];
    const run = (env: Record<string, string>) =>
      spawnSync(cmd, [...pre, '-f', COMPOSE, 'config', '-q'], {
        cwd: os.tmpdir(), // no stray .env of a developer's checkout
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
      });
    const ok = run(ENV);
    expect(ok.status, ok.stderr).toBe(0);
    const services = execFileSync(cmd, [...pre, '-f', COMPOSE, 'config', '--services'], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', ...ENV },
      encoding: 'utf8',
    });
    expect(services.split('\n').filter(Boolean).sort()).toEqual(['nginx', 'node1', 'node2', 'postgres', 'redis']);
    // Without the shared secret the file refuses to render rather than start nodes that cannot agree.
    const refused = run({ POSTGRES_PASSWORD: 'x' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/JWT_SECRET/);
  });

  it('passes `nginx -t` (Debian nginx; skipped when absent)', (ctx) => {
    const bin = nginxBinary();
    if (!bin) {
      console.warn('deploy.test: nginx not installed (apt-get install nginx): nginx -t not run');
      ctx.skip();
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-t-'));
    try {
      // The Compose service names resolve only inside the Compose network; everything else is checked as is.
      fs.writeFileSync(path.join(dir, 'site.conf'), nginx.replaceAll(/\bnode[12]:3000/g, '127.0.0.1:3000'));
      fs.writeFileSync(
        path.join(dir, 'nginx.conf'),
        `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  include ${dir}/site.conf;\n}\n`,
      );
      const res = spawnSync(bin, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
      expect(res.status, res.stderr).toBe(0);
      expect(res.stderr).toMatch(/syntax is ok/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
