import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aiAnswer } from './scenarios/ai-answer.js';
import type { Ctx, Scenario } from './scenarios/common.js';
import { idle, reconnectStorm } from './scenarios/connections.js';
import { chatMix, fanout, persistedSend } from './scenarios/messaging.js';
import { presence } from './scenarios/presence.js';
import { tasks } from './scenarios/tasks.js';
import { pinning, ROOT } from './servers.js';
import type { Report, ScenarioResult } from './types.js';

export const scenarios: readonly Scenario[] = [
  chatMix,
  fanout,
  persistedSend,
  reconnectStorm,
  tasks,
  presence,
  idle,
  aiAnswer,
];

export interface HarnessOptions {
  quick: boolean;
  only?: string[];
  durationScale?: number;
  /** Scale knobs, `<scenario>.<name>` → value (from `--set`). */
  knobs?: Record<string, string>;
  log?: (line: string) => void;
  notes?: string[];
}

/**
 * The code under test: each scenario starts the server from the working tree, which other people may be
 * editing, so the report names the commit and how many files differed from it at the start.
 */
function gitState(): { commit: string; uncommittedFiles: number } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });
    return {
      commit: git('rev-parse', 'HEAD').trim(),
      uncommittedFiles: git('status', '--porcelain').split('\n').filter(Boolean).length,
    };
  } catch {
    return { commit: 'unknown', uncommittedFiles: -1 };
  }
}

/** Run the chosen scenarios one after another (each against fresh server processes) into one report. */
export async function runBench(opts: HarnessOptions): Promise<Report> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const chosen = opts.only?.length ? scenarios.filter((s) => opts.only?.includes(s.name)) : scenarios;
  const unknown = (opts.only ?? []).filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length)
    throw new Error(`unknown scenario(s): ${unknown.join(', ')} (known: ${scenarios.map((s) => s.name).join(', ')})`);
  const knobs = opts.knobs ?? {};
  const used = new Set<string>();
  const ctxFor = (scenario: string): Ctx => {
    const raw = (name: string) => {
      const key = `${scenario}.${name}`;
      used.add(key);
      return knobs[key];
    };
    const number = (key: string, v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--set ${key}: ${JSON.stringify(v)} is not a positive number`);
      return n;
    };
    return {
      quick: opts.quick,
      durationScale: opts.durationScale ?? 1,
      log,
      knob: (name, def) => {
        const v = raw(name);
        return v === undefined ? def : number(`${scenario}.${name}`, v);
      },
      knobList: (name, def) => {
        const v = raw(name);
        return v === undefined ? def : v.split('/').map((x) => number(`${scenario}.${name}`, x));
      },
    };
  };
  const startedAt = new Date().toISOString();
  const git = gitState();
  const loadAvgAtStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
  const results: ScenarioResult[] = [];
  for (const s of chosen) {
    log(`▶ ${s.name}: ${s.description}`);
    const t0 = performance.now();
    try {
      results.push({ name: s.name, description: s.description, ...(await s.run(ctxFor(s.name))) });
    } catch (err) {
      log(`  ✗ ${s.name} failed: ${(err as Error).stack ?? err}`);
      results.push({
        name: s.name,
        description: s.description,
        params: {},
        runs: [],
        ratios: {},
        targets: [],
        error: String(err),
      });
    }
    log(`  (${((performance.now() - t0) / 1000).toFixed(0)} s, load average ${os.loadavg()[0]?.toFixed(2)})`);
  }
  const unused = Object.keys(knobs).filter((k) => !used.has(k));
  if (unused.length) log(`warning: --set ${unused.join(', ')} matched no knob of the scenarios that ran`);
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: opts.quick ? 'quick' : 'full',
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      loadAvgAtStart,
    },
    pinning: { server: pinning.server, generator: pinning.generator },
    git,
    notes: [
      "Latencies in ms from the scheduled send time (open loop); deliveries counted at every receiver, including the sender's own echo (Socket.IO rooms include the sender).",
      'Server CPU in % of one core (100 = one full core). runQueueWaitPercent: time the process was runnable but waiting for a CPU (other load on its core). The generator shares the machine: see generator.',
      ...(opts.notes ?? []),
    ],
    scenarios: results,
  };
}

export function writeReport(report: Report, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const num = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v));

/** The short stdout table: one line per run, then ratios and targets. */
export function table(report: Report): string {
  const head = [
    'scenario',
    'target',
    'run',
    'sends/s',
    'deliv/s',
    'p50',
    'p95',
    'p99',
    'max',
    'lost',
    'dup',
    'cpu%',
    'wait%',
    'rssMiB',
  ];
  const widths = [16, 20, 44, 9, 9, 8, 8, 8, 8, 6, 5, 6, 6, 7];
  const lines = [head.map((h, i) => pad(h, widths[i] as number)).join(' ')];
  for (const s of report.scenarios) {
    if (s.error) lines.push(`${pad(s.name, 16)} ERROR ${s.error.slice(0, 120)}`);
    for (const r of s.runs) {
      const l = r.deliveryLatency ?? r.ackLatency;
      const row = [
        s.name,
        `${r.target}/${r.storage}`,
        r.label.slice(0, 44),
        num(r.sendsPerS),
        num(r.deliveriesPerS),
        num(l?.p50),
        num(l?.p95),
        num(l?.p99),
        num(l?.max),
        num(r.deliveries.lost),
        num(r.deliveries.duplicated),
        num(r.server.cpuPercent),
        num(r.server.runQueueWaitPercent),
        num(r.server.rssMaxMiB),
      ];
      lines.push(row.map((c, i) => pad(c, widths[i] as number)).join(' '));
    }
    const ratios = Object.entries(s.ratios).map(([k, v]) => `${k}=${num(v)}`);
    if (ratios.length) lines.push(`${pad('', 16)} ratio to baseline: ${ratios.join(', ')}`);
    for (const t of s.targets) {
      const mark = t.met === null ? '·' : t.met ? '✓' : '✗';
      lines.push(`${pad('', 16)} ${mark} ${t.name}: ${t.measured} (target ${t.target})`);
    }
  }
  lines.push(
    'latency (ms): delivery from scheduled send (tasks: submit→running push; presence: heartbeat ack); cpu%/wait%: server CPU used / waited for a CPU, % of one core',
  );
  return lines.join('\n');
}
