import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `switchboard` command as installed (the compiled bundle when fresh, else the sources). */
export const BIN = fileURLToPath(new URL('../../bin/switchboard.js', import.meta.url));

export function tmpDir(prefix = 'switchboard-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The CLI as an operator runs it: a real process, a clean environment plus `env`.
 *
 * @example
 * ```ts
 * const p = runCli(['start'], { DATA_DIR: tmpDir(), PORT: '0' });
 * ```
 */
export function runCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}
