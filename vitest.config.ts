import { defineConfig } from 'vitest/config';

const E2E = 'packages/web/e2e/**/*.test.ts';
const CLUSTER = 'packages/server/src/cluster/**/*.test.ts';

export default defineConfig({
  test: {
    // Each file gets its own process: servers on port 0, their own SQLite file or PostgreSQL schema.
    pool: 'forks',
    // Two files at a time (Vitest's default is cores − 1, one on this 2-core machine): most files wait on
    // timers, sockets and child processes rather than the CPU. Files share nothing: port 0, a schema or
    // SQLite file each, random Redis prefixes, and the Redis-outage test stops a redis-server of its own.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
    // Three groups, one after the other (`sequence.groupOrder`): the browser tests and the multi-process
    // cluster tests each load both cores on their own, and a Chromium page waiting on a machine busy with two
    // Node servers and 20 clients is how end-to-end tests flaked in CI. Within a group, two files at a time.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit+integration',
          include: ['packages/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: [CLUSTER],
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'e2e', include: [E2E], sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'cluster', include: [CLUSTER], sequence: { groupOrder: 2 } } },
    ],
  },
});
