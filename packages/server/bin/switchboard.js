#!/usr/bin/env node
// The server runs its TypeScript sources through tsx's loader: no build step between `npm install` and
// `npm start` (see docs/decisions/0001-run-typescript-with-tsx.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
