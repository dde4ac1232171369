import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));
const README = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The command names a `--help` screen lists (without `help`). */
async function commands(args: string[]): Promise<string[]> {
  const { stdout: help } = await promisify(execFile)(process.execPath, [BIN, ...args, '--help'], { encoding: 'utf8' });
  const section = help.slice(help.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1] as string).filter((c) => c !== 'help');
}

describe('README command-line table', () => {
  // Each help screen is a process start (tsx compiles the CLI), so they run side by side.
  it('lists every command and subcommand the CLI has', { timeout: 120_000 }, async () => {
    const all: string[] = [];
    const tops = await commands([]);
    const subsOf = await Promise.all(tops.map((top) => commands([top])));
    for (const [i, top] of tops.entries()) {
      const subs = subsOf[i] ?? [];
      // A command without subcommands prints no Commands: section (its own help starts with Usage).
      if (subs.length === 0) all.push(top);
      else for (const sub of subs) all.push(`${top} ${sub}`);
    }
    expect(all).toEqual(expect.arrayContaining(['start', 'kb import', 'ai eval', 'backup', 'restore']));
    for (const c of all) expect(README, `README lacks \`switchboard ${c}\``).toContain(`| \`switchboard ${c}`);
  });
});
