import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBench, table, writeReport } from './harness.js';
import { postgresAdminUrl } from './servers.js';

// A smoke test of the instrument, not of the server's speed: no timing thresholds.
describe('bench harness (quick mode, fanout)', () => {
  it('runs Switchboard and the baseline, counts deliveries and writes a report', { timeout: 90_000 }, async () => {
    const lines: string[] = [];
    const report = await runBench({ quick: true, only: ['fanout'], durationScale: 0.5, log: (l) => lines.push(l) });
    expect(report.mode).toBe('quick');
    const [fanout] = report.scenarios;
    expect(fanout?.error).toBeUndefined();
    expect(fanout?.runs.map((r) => r.target)).toEqual(['switchboard', 'baseline']);
    for (const r of fanout?.runs ?? []) {
      expect(r.sends.acked).toBeGreaterThan(0);
      expect(r.deliveries.received).toBeGreaterThan(0);
      expect(r.deliveries.received).toBe(r.deliveries.expected);
      expect(r.deliveries.lost).toBe(0);
      expect(r.deliveries.duplicated).toBe(0);
      expect(r.deliveryLatency?.count).toBe(r.deliveries.received);
      expect(r.server.rssMaxMiB).toBeGreaterThan(0);
    }
    expect(Object.keys(fanout?.ratios ?? {})).toEqual(['deliveriesPerS@50']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
    const file = writeReport(report, dir);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).scenarios[0].name).toBe('fanout');
    expect(table(report)).toContain('fanout');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('bench PostgreSQL address', () => {
  it('treats an empty DATABASE_URL or BENCH_DATABASE_URL as unset', () => {
    const local = 'postgres://postgres@127.0.0.1:5432/postgres';
    expect(postgresAdminUrl({ DATABASE_URL: '' })).toBe(local);
    expect(postgresAdminUrl({ BENCH_DATABASE_URL: '', DATABASE_URL: '' })).toBe(local);
    expect(postgresAdminUrl({ BENCH_DATABASE_URL: '', DATABASE_URL: 'postgres://x/y' })).toBe('postgres://x/y');
    expect(postgresAdminUrl({ BENCH_DATABASE_URL: 'postgres://b/c', DATABASE_URL: 'postgres://x/y' })).toBe(
      'postgres://b/c',
    );
  });
});
