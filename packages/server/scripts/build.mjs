// Compile the server (and the protocol package it imports as TypeScript) into one ES module,
// dist/cli.js, so `npm start` runs JavaScript instead of transpiling ~300 files at every start
// (docs/decisions/0005-compiled-server-bundle.md). Most npm packages are bundled too: resolving and
// compiling their ~1,000 files one by one took a quarter of the start. The ones in `keep` stay external and
// load from node_modules: native code, packages that read their own files at run time, and what only the
// cluster or AI modes load.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Chunks of an earlier build would pile up (their names carry a hash of their content).
fs.rmSync(path.join(root, 'dist/chunks'), { recursive: true, force: true });

await build({
  entryPoints: [path.join(root, 'src/cli.ts')],
  outdir: path.join(root, 'dist'),
  // What the code imports with `await import()` (BullMQ's queue, the S3 store, the PostgreSQL driver…) goes to
  // dist/chunks/ and loads when first used: an embedded start does not load cluster-only packages.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  // Bundled code that calls require() (CommonJS inside ESM) needs one.
  banner: {
    js: "import { createRequire as __sbCreateRequire } from 'node:module'; const require = __sbCreateRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'external-npm-packages',
      setup(b) {
        const keep = new Set([
          // Native code.
          'better-sqlite3',
          'sharp',
          '@node-rs/argon2',
          'bufferutil',
          'utf-8-validate',
          'pg-native',
          // Packages that read their own files at run time (Lua scripts, worker threads, static assets,
          // their package.json) or that another external package must share one copy of.
          'bullmq',
          'pino',
          'pino-pretty',
          'thread-stream',
          '@fastify/static',
          '@fastify/swagger',
          '@fastify/swagger-ui',
          'socket.io',
          'socket.io-adapter',
          '@socket.io/redis-streams-adapter',
          'engine.io',
          'ws',
          // Loaded on demand by cluster or AI modes only (dist/chunks would hold them otherwise), and tools.
          '@aws-sdk',
          '@smithy',
          'pg',
          'ioredis',
          'ai',
          '@ai-sdk',
          '@opentelemetry',
          'esbuild',
          'tsx',
        ]);
        // A bare import stays external when its package (`ws`, `@fastify/static`) or its scope (`@aws-sdk`) is
        // kept; the rest, our workspace packages and Node's built-ins included, resolve as esbuild does.
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          const [first = '', second] = args.path.split('/');
          const name = first.startsWith('@') ? `${first}/${second}` : first;
          return keep.has(name) || keep.has(first) ? { path: args.path, external: true } : undefined;
        });
      },
    },
  ],
});
