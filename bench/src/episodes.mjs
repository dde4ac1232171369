// Line up the generator's ack latencies with what the server's event loop went through:
//
//   BENCH_TIMELINE=/tmp/tl BENCH_SERVER_NODE_ARGS="--import $PWD/bench/src/stalls.mjs" \
//     npm run bench -w @switchboard/bench -- --scenario chat-mix --duration-scale 0.5
//   node bench/src/episodes.mjs /tmp/tl-<pid>.txt /tmp/stalls-<pid>.txt [threshold ms, default 100]
//
// Prints, for every 100 ms of scheduled send time (from the first ack of the file's first run) in which the
// slowest ack took longer than the threshold, or the server logged a full collection: the slowest ack, how
// many acks took longer than the threshold, and the server's events of those 100 ms (long turns, GC pauses).
// Then the share of acks over the threshold. Plain JavaScript.
import fs from 'node:fs';

const [timelineFile, stallsFile, thresholdArg] = process.argv.slice(2);
if (!timelineFile || !stallsFile) {
  process.stderr.write('usage: node bench/src/episodes.mjs TIMELINE STALLS [THRESHOLD_MS]\n');
  process.exit(2);
}
const threshold = Number(thresholdArg ?? 100);
const acks = fs
  .readFileSync(timelineFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => l.split(' ').map(Number));
// The file holds every run of the scenario (Switchboard's, then the relay's): keep the first, up to the first
// second without an ack.
const first = [];
for (const a of acks) {
  if (first.length && a[0] - (first.at(-1)?.[0] ?? 0) > 1000) break;
  first.push(a);
}
const t0 = first[0]?.[0] ?? 0;
const slots = new Map();
const slot = (t) => Math.floor((t - t0) / 100);
for (const [t, ms] of first) {
  const s = slots.get(slot(t)) ?? { max: 0, over: 0, events: [] };
  s.max = Math.max(s.max, ms);
  if (ms > threshold) s.over++;
  slots.set(slot(t), s);
}
for (const line of fs.readFileSync(stallsFile, 'utf8').split('\n')) {
  const [t, what, ...rest] = line.split(' ');
  if (!t || what === 'old') continue;
  const s = slots.get(slot(Number(t)));
  if (s) s.events.push(`${what} ${rest.join(' ')}`);
}
let over = 0;
for (const [k, s] of [...slots].sort((a, b) => a[0] - b[0])) {
  over += s.over;
  if (s.max > threshold || s.events.some((e) => e.startsWith('gc major')))
    console.log(
      `${(k / 10).toFixed(1).padStart(6)} s  max ${s.max.toFixed(0).padStart(5)} ms  ${String(s.over).padStart(4)} over  ${s.events.join(', ')}`,
    );
}
console.log(
  `${over} of ${first.length} acks over ${threshold} ms (${((100 * over) / Math.max(1, first.length)).toFixed(2)}%)`,
);
