#!/usr/bin/env -S node --max-semi-space-size=64
// --max-semi-space-size=64: a young generation of up to 64 MiB per semi-space, so the short-lived objects of a
// busy server (messages, socket frames, query rows) die there instead of being copied again and again: +12%
// deliveries/s in the chat-mix benchmark (docs/performance.md). The flag only works on the command line,
// so deploy/Dockerfile and deploy/switchboard.service pass it too.
// Runs the compiled bundle (dist/cli.js, built by `npm install`'s prepare step) when it is at least as new
// as every source file it was built from; otherwise — a checkout being edited, or no build yet — the
// TypeScript sources through tsx's loader. See docs/decisions/0005-compiled-server-bundle.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist/cli.js');

/** The newest modification time under `dir` (TypeScript and JSON sources only). */
function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(p));
    else if (/\.(ts|json)$/.test(entry.name)) latest = Math.max(latest, fs.statSync(p).mtimeMs);
  }
  return latest;
}

function bundleIsFresh() {
  try {
    const built = fs.statSync(bundle).mtimeMs;
    return built >= newest(path.join(root, 'src')) && built >= newest(path.join(root, '../protocol/src'));
  } catch {
    return false;
  }
}

if (bundleIsFresh()) {
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
