import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'bench/**/*.test.ts', 'packages/web/e2e/**/*.test.ts'],
    // Each file gets its own process: servers on port 0, their own SQLite file or PostgreSQL schema.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
