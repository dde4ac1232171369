// Record every garbage collection pause of the Switchboard server while a scenario drives it:
//
//   BENCH_SERVER_NODE_ARGS="--import $PWD/bench/src/gc-pauses.mjs" npm run bench -w @switchboard/bench -- …
//
// Every 5 s and at exit the server writes /tmp/gc-pauses-<pid>.txt: per kind (minor = scavenge, major =
// mark-compact, incremental, weak callbacks) the count, total and longest pause, then every pause of 10 ms
// or more with the seconds since the process started. A pause holds the event loop: compare the long ones
// with the latency tail of the same run. Plain JavaScript, preloaded into the server like sql-timings.mjs.
import fs from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { GC_KINDS } from './gc-kinds.mjs';

const byKind = new Map();
const long = [];

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[entry.detail?.kind] ?? `kind ${entry.detail?.kind}`;
    const k = byKind.get(kind) ?? { count: 0, ms: 0, max: 0 };
    k.count++;
    k.ms += entry.duration;
    k.max = Math.max(k.max, entry.duration);
    byKind.set(kind, k);
    if (entry.duration >= 10)
      long.push(
        `${(entry.startTime / 1000).toFixed(1).padStart(8)} s  ${entry.duration.toFixed(1).padStart(7)} ms  ${kind}`,
      );
  }
}).observe({ entryTypes: ['gc'] });

function write() {
  const kinds = [...byKind].map(
    ([kind, k]) =>
      `${kind.padEnd(15)} ${String(k.count).padStart(7)}×  ${k.ms.toFixed(0).padStart(7)} ms  max ${k.max.toFixed(1).padStart(6)} ms`,
  );
  fs.writeFileSync(
    `/tmp/gc-pauses-${process.pid}.txt`,
    `${kinds.join('\n')}\n\npauses of 10 ms or more:\n${long.join('\n')}\n`,
  );
}
process.on('exit', write);
setInterval(write, 5000).unref();
