import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_ARTICLES } from './demo-kb.js';

const WEB = fileURLToPath(new URL('../../../web/src', import.meta.url));
const CLI = fs.readFileSync(new URL('../cli.ts', import.meta.url), 'utf8');

function webSources(dir: string): string {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((e) =>
      e.isDirectory() ? webSources(path.join(dir, e.name)) : fs.readFileSync(path.join(dir, e.name), 'utf8'),
    )
    .join('\n');
}

const COMING = new Set<string>();

describe('demo help articles', () => {
  const web = webSources(WEB);
  const bodies = DEMO_ARTICLES.map((a) => a.body).join('\n');

  it('name only screens, buttons and labels the web app has', () => {
    const labels = [...bodies.matchAll(/\*\*([^*]+)\*\*/g)].flatMap((m) => (m[1] as string).split(' → '));
    expect(labels.length).toBeGreaterThan(3);
    for (const label of labels) if (!COMING.has(label)) expect(web, `no "${label}" in the web app`).toContain(label);
  });

  it('name only CLI commands that exist', () => {
    for (const [, cmd, sub] of bodies.matchAll(/`switchboard (\w+)(?: (\w+))?/g)) {
      expect(CLI).toContain(`command('${cmd}')`);
      if (sub && /^[a-z]+$/.test(sub)) expect(CLI).toContain(`command('${sub}')`);
    }
  });
});
