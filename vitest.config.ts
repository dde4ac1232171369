import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'bench/**/*.test.ts', 'packages/web/e2e/**/*.test.ts'],
    // Each file gets its own process: servers on port 0, their own SQLite file or PostgreSQL schema.
    pool: 'forks',
    // Two files at a time (Vitest's default is cores − 1, one on this 2-core machine): most files wait on
    // timers, sockets and child processes rather than the CPU. Files share nothing: port 0, a schema or
    // SQLite file each, random Redis prefixes, and the Redis-outage test stops a redis-server of its own.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
