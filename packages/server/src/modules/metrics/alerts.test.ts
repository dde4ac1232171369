import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { testConfig } from '../../test/config.js';

const RULES = fileURLToPath(new URL('../../../../../docs/ops/alerts.yml', import.meta.url));

/** The PromQL expressions of the rules file (single-line and `|` blocks). */
export function expressions(yaml: string): string[] {
  const lines = yaml.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    const m = /^(\s*)expr:\s*(.*)$/.exec(line);
    if (!m) return;
    if (m[2] !== '|') {
      out.push(m[2] as string);
      return;
    }
    const indent = (m[1] as string).length;
    const block: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j] as string;
      if (l.trim() && l.length - l.trimStart().length <= indent) break;
      block.push(l.trim());
    }
    out.push(block.join(' '));
  });
  return out;
}

const PROMQL_WORDS = new Set(['sum', 'max', 'min', 'rate', 'increase', 'by', 'offset', 'without', 'and', 'or']);

/** Metric names an expression reads: identifiers outside label matchers, strings and PromQL words. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/by \([^)]*\)/g, ' ')
    .replace(/offset \w+/g, ' ');
  return [...new Set(bare.match(/[a-z_][a-z0-9_:]*/g) ?? [])].filter((w) => !PROMQL_WORDS.has(w));
}

function hasPromtool(): boolean {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('alert rules (docs/ops/alerts.yml)', () => {
  let app: FastifyInstance;
  const yaml = fs.readFileSync(RULES, 'utf8');
  beforeAll(async () => {
    app = await buildApp(testConfig());
  });
  afterAll(async () => app.close());

  it('cover the monitoring thresholds and the server-side alerts', () => {
    for (const name of [
      'SwitchboardFallbackPollingFrequent',
      'SwitchboardReconnectStorm',
      'SwitchboardSendTimeoutRate',
      'SwitchboardEventLoopLag',
      'SwitchboardHttp5xxRate',
      'SwitchboardTaskDeadLetterGrowth',
    ]) {
      expect(yaml).toContain(`alert: ${name}\n`);
    }
    expect(expressions(yaml).join('\n')).toMatch(/\* 60 >= 3/);
    expect(expressions(yaml).join('\n')).toMatch(/>= 0\.05/);
  });

  it('read only series the server exports', async () => {
    // One request first, so the HTTP histogram has samples to show.
    await app.inject('/healthz');
    const scraped = (await app.inject('/metrics')).body;
    const exported = new Set(
      scraped
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(/[{ ]/)[0]),
    );
    const exprs = expressions(yaml);
    expect(exprs).toHaveLength(6);
    for (const expr of exprs) {
      const names = metricNames(expr);
      expect(names.length, expr).toBeGreaterThan(0);
      for (const name of names) expect(exported, `${name} (in ${expr})`).toContain(name);
    }
  });

  it('pass `promtool check rules` (Debian package prometheus; skipped when promtool is absent)', (ctx) => {
    if (!hasPromtool()) {
      console.warn('alerts.test: promtool not installed (apt-get install prometheus): rules syntax not checked');
      ctx.skip();
      return;
    }
    const out = execFileSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: 6 rules found/);
  });
});
