import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../config.js';

/** A config for tests: a fresh DATA_DIR, port 0, quiet logs; `env` overrides any variable. */
export function testConfig(env: Record<string, string> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-'));
  return loadConfig(
    { NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', LOG_PRETTY: 'false', ...env },
    { isTTY: false },
  );
}
