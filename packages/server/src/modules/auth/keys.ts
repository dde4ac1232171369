import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';

const cache = new Map<string, Uint8Array>();

/**
 * The HS256 key for access tokens: `JWT_SECRET`, or in embedded mode a random key generated on first start
 * and kept in `DATA_DIR/jwt-secret` (mode 0600) so sessions survive a restart. (Cluster mode requires
 * `JWT_SECRET`; config.ts refuses to boot without it.)
 */
export function jwtKey(config: Config): Uint8Array {
  if (config.jwtSecret) return new TextEncoder().encode(config.jwtSecret);
  const file = path.join(config.dataDir, 'jwt-secret');
  const cached = cache.get(file);
  if (cached) return cached;
  fs.mkdirSync(config.dataDir, { recursive: true });
  let secret: string;
  try {
    // `wx` fails when the file exists, so two processes starting together agree on the first one written.
    secret = randomBytes(48).toString('base64url');
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    secret = fs.readFileSync(file, 'utf8').trim();
    if (secret.length < 32) throw new Error(`${file} holds a key shorter than 32 characters; delete it to regenerate`);
  }
  const key = new TextEncoder().encode(secret);
  cache.set(file, key);
  return key;
}
