import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url);
const read = (file: string) => JSON.parse(fs.readFileSync(new URL(file, ROOT), 'utf8'));

type Version = [number, number, number];
const parse = (v: string): (number | undefined)[] =>
  v
    .replace(/^v/, '')
    .split('.')
    .map((p) => (p === 'x' || p === '*' || p === '' ? undefined : Number(p)));
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const floor = (p: (number | undefined)[]): Version => [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];

/** One comparator (`>=20.19`, `^20.9.0`, `20.x`, `18`, `*`) against a version; throws on forms it cannot read. */
function comparator(c: string, v: Version): boolean {
  const m = /^(>=|<=|>|<|=|\^|~)?\s*(\*|[0-9x.]+)$/.exec(c);
  if (!m) throw new Error(`unreadable engines comparator ${JSON.stringify(c)}`);
  const op = m[1] ?? '';
  if (m[2] === '*') return true;
  const p = parse(m[2] as string);
  const lo = floor(p);
  const d = cmp(v, lo);
  if (op === '>=') return d >= 0;
  if (op === '>') return d > 0;
  if (op === '<') return d < 0;
  if (op === '<=') return d <= 0;
  if (op === '^') return d >= 0 && (lo[0] > 0 ? v[0] === lo[0] : v[0] === 0 && v[1] === lo[1]);
  if (op === '~') return d >= 0 && v[0] === lo[0] && (p[1] === undefined || v[1] === lo[1]);
  // `18`, `20.x`, `=20.19.0`: every part given must match.
  return p.every((n, i) => n === undefined || n === v[i]);
}

/** Whether `range` (npm's engines syntax: `||` of space-separated comparators) admits `version`. */
export function satisfies(version: string, range: string): boolean {
  const v = floor(parse(version));
  return range.split('||').some((alt) =>
    alt
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .every((c) => comparator(c, v)),
  );
}

describe('Node version', () => {
  it('reads engines ranges as npm does', () => {
    expect(satisfies('20.19.0', '>=20.19')).toBe(true);
    expect(satisfies('20.19.0', '>=22')).toBe(false);
    expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.19.0', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('20.19.0', '^16 || ^18')).toBe(false);
    expect(satisfies('20.19.0', '>= 10.x')).toBe(true);
    expect(satisfies('20.19.0', '>=6 <7 || >=8')).toBe(true);
  });

  it("every installed package supports the documented minimum (package.json engines, README's Node)", () => {
    const engines = read('package.json').engines.node as string;
    const min = /^>=\s*(\d+\.\d+(\.\d+)?)$/.exec(engines)?.[1];
    expect(min, `engines.node ${engines} is not a plain minimum`).toBeDefined();
    expect(fs.readFileSync(new URL('README.md', ROOT), 'utf8')).toContain(`Node.js ${min}+`);
    const lock = read('package-lock.json') as { packages: Record<string, { engines?: { node?: string } }> };
    const refused = Object.entries(lock.packages)
      .filter(([, p]) => typeof p.engines?.node === 'string' && !satisfies(min as string, p.engines.node))
      .map(([name, p]) => `${name} (${p.engines?.node})`);
    expect(refused).toEqual([]);
  });
});
