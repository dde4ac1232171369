import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../config.js';

/** A config for tests: a fresh DATA_DIR, port 0, quiet logs; `env` overrides any variable. */
export function testConfig(env: Record<string, string> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-'));
  return loadConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      LOG_PRETTY: 'false',
      // Request and event budgets are tested on their own (http/rate-limit.test.ts, socket/flood.test.ts);
      // elsewhere they would only make load-shaped tests depend on timing.
      RATE_LIMIT_PER_MINUTE: '0',
      SOCKET_EVENTS_PER_SECOND: '0',
      ...env,
    },
    { isTTY: false },
  );
}
