import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { GeneratorStats, ServerStats } from './types.js';

/** Linux reports process CPU in clock ticks; 100 per second on every mainstream kernel config. */
const TICKS_PER_S = 100;

/** utime + stime of `pid` in seconds, or undefined once the process is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/**
 * Seconds the process's main thread has waited runnable for a CPU (`/proc/<pid>/schedstat`, field 2): on a
 * machine shared with other work this shows how much of a latency was queueing for the CPU.
 */
export function runQueueWaitSeconds(pid: number | 'self'): number | undefined {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return undefined;
  }
}

export function rssMiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function eventLoopP99Ms(metricsUrl: string): Promise<number | undefined> {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) });
    const text = await res.text();
    const m = /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([0-9.eE+-]+)/m.exec(text);
    return m ? Number(m[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Samples a server process once a second (RSS from /proc, event-loop delay from its /metrics, which prom-client
 * resets at every scrape so each sample covers the last second) and measures CPU over a window precisely
 * from /proc at `start()` and `stop()`.
 */
export class ServerSampler {
  private timer: NodeJS.Timeout | undefined;
  private rss: number[] = [];
  private lags: number[] = [];
  private cpu0 = 0;
  private wait0 = 0;
  private t0 = 0;

  constructor(
    private readonly pid: number,
    private readonly metricsUrl: string | undefined,
  ) {}

  start(): void {
    this.rss = [];
    this.lags = [];
    this.cpu0 = cpuSeconds(this.pid) ?? 0;
    this.wait0 = runQueueWaitSeconds(this.pid) ?? 0;
    this.t0 = performance.now();
    // Drop the lag accumulated before the window.
    if (this.metricsUrl) void eventLoopP99Ms(this.metricsUrl);
    let busy = false;
    this.timer = setInterval(() => {
      const r = rssMiB(this.pid);
      if (r !== undefined) this.rss.push(r);
      if (!this.metricsUrl || busy) return;
      busy = true;
      void eventLoopP99Ms(this.metricsUrl)
        .then((lag) => {
          if (lag !== undefined) this.lags.push(lag);
        })
        .finally(() => {
          busy = false;
        });
    }, 1000);
  }

  stop(): ServerStats {
    if (this.timer) clearInterval(this.timer);
    const wallS = (performance.now() - this.t0) / 1000;
    const cpu = (cpuSeconds(this.pid) ?? this.cpu0) - this.cpu0;
    const wait = (runQueueWaitSeconds(this.pid) ?? this.wait0) - this.wait0;
    const end = rssMiB(this.pid) ?? this.rss.at(-1) ?? 0;
    this.rss.push(end);
    return {
      cpuPercent: round(wallS > 0 ? (100 * cpu) / wallS : 0),
      runQueueWaitPercent: round(wallS > 0 ? (100 * wait) / wallS : 0),
      rssMaxMiB: round(Math.max(...this.rss)),
      rssEndMiB: round(end),
      eventLoopP99MaxMs: this.lags.length ? round(Math.max(...this.lags), 2) : null,
      eventLoopP99MeanMs: this.lags.length ? round(this.lags.reduce((a, b) => a + b, 0) / this.lags.length, 2) : null,
      samples: this.rss.length,
    };
  }
}

/** The generator's own CPU, event-loop delay and RSS over a window. */
export class GeneratorSampler {
  private readonly delay = monitorEventLoopDelay({ resolution: 10 });
  private cpu0 = process.cpuUsage();
  private wait0 = 0;
  private t0 = performance.now();
  private rssMax = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.delay.reset();
    this.delay.enable();
    this.cpu0 = process.cpuUsage();
    this.wait0 = runQueueWaitSeconds('self') ?? 0;
    this.t0 = performance.now();
    this.rssMax = process.memoryUsage.rss();
    this.timer = setInterval(() => {
      this.rssMax = Math.max(this.rssMax, process.memoryUsage.rss());
    }, 1000);
  }

  stop(): GeneratorStats {
    if (this.timer) clearInterval(this.timer);
    this.delay.disable();
    const used = process.cpuUsage(this.cpu0);
    const wallS = (performance.now() - this.t0) / 1000;
    return {
      cpuPercent: round(wallS > 0 ? (used.user + used.system) / 1e4 / wallS : 0),
      runQueueWaitPercent: round(
        wallS > 0 ? (100 * ((runQueueWaitSeconds('self') ?? this.wait0) - this.wait0)) / wallS : 0,
      ),
      eventLoopP99Ms: round(this.delay.count ? this.delay.percentile(99) / 1e6 : 0, 2),
      rssMaxMiB: round(Math.max(this.rssMax, process.memoryUsage.rss()) / 2 ** 20),
    };
  }
}
