// Record what holds the Switchboard server's event loop, with wall-clock times, while a scenario drives it:
//
//   BENCH_SERVER_NODE_ARGS="--import $PWD/bench/src/stalls.mjs" npm run bench -w @switchboard/bench -- …
//
// Every second the server appends to /tmp/stalls-<pid>.txt, one line per event, each starting with the epoch
// milliseconds it happened at: `loop <ms>` for a turn of the event loop longer than 25 ms (a 5 ms timer that
// fired that late), `gc <kind> <ms>` for a garbage collection pause of 4 ms or more (kind: minor, major,
// incremental, weak callbacks), `old <MiB>` for the old generation's size (once a second). Line them up with the
// generator's ack timeline (BENCH_TIMELINE) with bench/src/episodes.mjs. Plain JavaScript, preloaded into the
// server like sql-timings.mjs.
import fs from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { GC_KINDS } from './gc-kinds.mjs';

const lines = [];
const file = `/tmp/stalls-${process.pid}.txt`;

new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    if (e.duration >= 4)
      lines.push(
        `${Math.round(performance.timeOrigin + e.startTime)} gc ${GC_KINDS[e.detail?.kind] ?? e.detail?.kind} ${e.duration.toFixed(1)}`,
      );
}).observe({ entryTypes: ['gc'] });

let last = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - last > 30) lines.push(`${Date.now()} loop ${(now - last - 5).toFixed(1)}`);
  last = now;
}, 5).unref();

setInterval(() => {
  const old = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
  lines.push(`${Date.now()} old ${Math.round((old?.space_used_size ?? 0) / 1048576)}`);
  fs.appendFileSync(file, `${lines.splice(0).join('\n')}\n`);
}, 1000).unref();
