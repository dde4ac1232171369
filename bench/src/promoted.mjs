// Sum a server's --trace-gc-nvp lines (gc-trace.mjs) over a window: per kind of collection (s = scavenge,
// mc = mark-compact) the count, pauses, and MB/s promoted to the old generation and allocated.
//
//   node bench/src/promoted.mjs /tmp/gc-trace-<pid>.txt [fromS toS]
//
// The window is in seconds since the server started; by default 45%–90% of its life, which for a chat-mix run
// is inside the measured window (connections and warm-up come first, the baseline runs after). What a
// scavenge promotes is what an eventual full collection must clean up: the rate per second at a fixed offered
// load does not depend on how fast the machine is that hour, unlike the latency tail.
import fs from 'node:fs';

const [file, fromArg, toArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/src/promoted.mjs /tmp/gc-trace-<pid>.txt [fromS toS]');
  process.exit(2);
}
const rows = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.includes(' ms: pause='))
  .map((line) => ({
    s: Number(line.match(/\s(\d+) ms: /)?.[1] ?? 0) / 1000,
    ...Object.fromEntries([...line.matchAll(/(\S+)=(\S+)/g)].map((m) => [m[1], m[2]])),
  }));
if (rows.length === 0) {
  console.error(`${file}: no --trace-gc-nvp lines`);
  process.exit(1);
}
const end = rows.at(-1).s;
const from = fromArg === undefined ? end * 0.45 : Number(fromArg);
const to = toArg === undefined ? end * 0.9 : Number(toArg);
const seconds = to - from;
const byKind = new Map();
for (const r of rows) {
  if (r.s < from || r.s > to) continue;
  const k = byKind.get(r.gc) ?? { n: 0, pause: 0, max: 0, promoted: 0, allocated: 0 };
  k.n++;
  k.pause += Number(r.pause);
  k.max = Math.max(k.max, Number(r.pause));
  k.promoted += Number(r.promoted ?? 0);
  k.allocated += Number(r.allocated ?? 0);
  byKind.set(r.gc, k);
}
const mbps = (bytes) => (bytes / 1048576 / seconds).toFixed(2);
console.log(`window ${from.toFixed(0)}–${to.toFixed(0)} s of the server's ${end.toFixed(0)} s`);
for (const [kind, k] of byKind)
  console.log(
    `${kind.padEnd(3)} ${String(k.n).padStart(4)} collections, pauses ${k.pause.toFixed(0)} ms (longest ${k.max.toFixed(1)}), promoted ${mbps(k.promoted)} MB/s, allocated ${mbps(k.allocated)} MB/s`,
  );
