import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults for a laptop: port 3000, ./data, SQLite, demo seed on', () => {
    const c = loadConfig({}, { isTTY: false });
    expect(c.port).toBe(3000);
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.demoSeed).toBe(true);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.corsOrigins).toEqual(['http://localhost:3000']);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names the variable and the value when one is bad', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/^PORT: .*\(got "abc"\)$/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/^PORT: must be between 0 and 65535/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /^DATABASE_URL: must be a URL starting with postgres:/,
    );
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^LOG_LEVEL: /);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://ok.example, not an origin' })).toThrow(/^CORS_ORIGINS: /);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it('turns the demo seed off by default in cluster mode and derives origins from PUBLIC_URL', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://localhost/x',
      PUBLIC_URL: 'https://chat.example.com/',
      JWT_SECRET: 'x'.repeat(32),
    });
    expect(c.demoSeed).toBe(false);
    expect(c.publicUrl).toBe('https://chat.example.com');
    expect(c.corsOrigins).toEqual(['https://chat.example.com']);
  });

  it('requires a shared JWT_SECRET in cluster mode and bounds the session settings', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(/^JWT_SECRET: required/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/^JWT_SECRET: must be at least 32/);
    expect(() => loadConfig({ ACCESS_TOKEN_TTL_SECONDS: '3600' })).toThrow(/^ACCESS_TOKEN_TTL_SECONDS: /);
    const c = loadConfig({});
    expect(c.jwtSecret).toBeUndefined();
    expect(c.accessTokenTtlMs).toBe(15 * 60_000);
    expect(c.sessionIdleMs).toBe(60 * 60_000);
    expect(c.sessionLifetimeMs).toBe(7 * 24 * 3_600_000);
  });
});

/** The environment variables config.ts reads: the keys of its EnvSchema. */
async function configVars(): Promise<string[]> {
  const fs = await import('node:fs');
  const source = fs.readFileSync(new URL('./config.ts', import.meta.url), 'utf8');
  const schema = source.slice(
    source.indexOf('const EnvSchema'),
    source.indexOf('});', source.indexOf('const EnvSchema')),
  );
  return [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] as string);
}

describe('README configuration table', () => {
  it('documents every environment variable config.ts reads', async () => {
    const fs = await import('node:fs');
    const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const vars = await configVars();
    expect(vars.length).toBeGreaterThan(20);
    for (const v of vars) expect(readme, `README lacks ${v}`).toContain(`| \`${v}\``);
  });
});

describe('.env.example', () => {
  it('lists every variable config.ts reads, and nothing else but the Compose-only password', async () => {
    const fs = await import('node:fs');
    const example = fs.readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] as string);
    const vars = await configVars();
    for (const v of vars) expect(listed, `.env.example lacks ${v}`).toContain(v);
    expect(listed.filter((v) => !vars.includes(v))).toEqual(['POSTGRES_PASSWORD']);
    expect(new Set(listed).size).toBe(listed.length);
  });
});
