// Compile the server (and the protocol package it imports as TypeScript) into one ES module,
// dist/cli.js, so `npm start` runs JavaScript instead of transpiling ~300 files at every start
// (docs/decisions/0005-compiled-server-bundle.md). npm packages stay external: they load from
// node_modules as usual (native ones such as better-sqlite3 and sharp cannot be bundled anyway).
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
  logLevel: 'warning',
  // Bundled code that calls require() (CommonJS inside ESM) needs one.
  banner: {
    js: "import { createRequire as __sbCreateRequire } from 'node:module'; const require = __sbCreateRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'external-npm-packages',
      setup(b) {
        // Every bare import but our own workspace packages (which export TypeScript sources) stays external.
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@switchboard/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
