// What fills the server's long event-loop turns, from its CPU profile:
//
//   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof --cpu-prof-interval 250" \
//     npm run bench -w @switchboard/bench -- --scenario chat-mix --duration-scale 0.5
//   node bench/src/long-turns.mjs /tmp/prof/<file>.cpuprofile [threshold ms, default 40] [rows, default 25] \
//     [from s] [to s]
//
// from/to (seconds since the profile started) keep only that window, e.g. the scenario's measured part without
// the connections being made. The first lines list, per second, how many long stretches began in it.
//
// A turn here is a stretch of samples in which the server never waited for I/O (no "(idle)" sample): one or
// more event-loop iterations back to back, which is what a client waiting behind them sees. Prints how many
// stretches reached the threshold and how long they were, then the functions that took the most time inside
// them (self time, and inclusive: time with the function anywhere on the stack), each beside its share of all
// busy time, so what long turns hold more of than the rest stands out. Plain JavaScript.
import fs from 'node:fs';
import { frameLabel } from './call-frame.mjs';

const [file, thresholdArg, rowsArg, fromArg, toArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/src/long-turns.mjs PROFILE.cpuprofile [THRESHOLD_MS] [ROWS]\n');
  process.exit(2);
}
const thresholdUs = Number(thresholdArg ?? 40) * 1000;
const rows = Number(rowsArg ?? 25);
const fromUs = Number(fromArg ?? 0) * 1e6;
const toUs = Number(toArg ?? Number.POSITIVE_INFINITY) * 1e6;
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => frameLabel(n.callFrame);
const isIdle = (id) => byId.get(id)?.callFrame.functionName === '(idle)';

/** Labels of a sample's stack, each once, innermost first. */
const stacks = new Map();
const stackOf = (id) => {
  let s = stacks.get(id);
  if (!s) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) seen.add(label(byId.get(at)));
    s = [...seen];
    stacks.set(id, s);
  }
  return s;
};

// Each sample's duration is the delta to the next one.
const { samples, timeDeltas } = profile;
const stretches = [];
let current = null;
let at = 0;
for (let i = 0; i < samples.length - 1; i++) {
  at += timeDeltas[i];
  const us = timeDeltas[i + 1];
  if (at < fromUs || at > toUs) continue;
  if (isIdle(samples[i])) {
    if (current) stretches.push(current);
    current = null;
    continue;
  }
  current ??= { at, us: 0, samples: [] };
  current.us += us;
  current.samples.push([samples[i], us]);
}
if (current) stretches.push(current);

const tally = (list) => {
  const self = new Map();
  const incl = new Map();
  let total = 0;
  for (const s of list)
    for (const [id, us] of s.samples) {
      total += us;
      const st = stackOf(id);
      self.set(st[0], (self.get(st[0]) ?? 0) + us);
      for (const l of st) incl.set(l, (incl.get(l) ?? 0) + us);
    }
  return { self, incl, total };
};
const long = stretches.filter((s) => s.us >= thresholdUs);
const perSecond = new Map();
for (const s of long) perSecond.set(Math.floor(s.at / 1e6), (perSecond.get(Math.floor(s.at / 1e6)) ?? 0) + 1);
process.stdout.write(`long stretches per second: ${[...perSecond].map(([s, n]) => `${s}s:${n}`).join(' ')}\n`);
const all = tally(stretches);
const inLong = tally(long);
const ms = (us) => (us / 1000).toFixed(1);
const lengths = long.map((s) => s.us).sort((a, b) => a - b);
process.stdout.write(
  `busy ${ms(all.total)} ms in ${stretches.length} stretches; ${long.length} of ≥ ${ms(thresholdUs)} ms hold ${ms(inLong.total)} ms (${((100 * inLong.total) / all.total).toFixed(1)}%)` +
    (lengths.length ? `, lengths p50 ${ms(lengths[lengths.length >> 1])} max ${ms(lengths.at(-1))} ms\n` : '\n'),
);
const excess =
  (key) =>
  ([name, us]) =>
    us / inLong.total - (all[key].get(name) ?? 0) / all.total;
for (const [title, key, order] of [
  ['self', 'self', ([, us]) => us],
  ['inclusive', 'incl', ([, us]) => us],
  ['inclusive, most over-represented in long stretches', 'incl', excess('incl')],
]) {
  process.stdout.write(`\n${title}: % of long-stretch time | % of all busy time | function\n`);
  const top = [...inLong[key]].sort((a, b) => order(b) - order(a)).slice(0, rows);
  for (const [name, us] of top) {
    const share = (100 * us) / inLong.total;
    const overall = (100 * (all[key].get(name) ?? 0)) / all.total;
    process.stdout.write(`${share.toFixed(1).padStart(6)} ${overall.toFixed(1).padStart(6)}  ${name}\n`);
  }
}
