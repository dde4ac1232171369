// Sample what the Switchboard server allocates that outlives the young generation, by allocation site:
//
//   BENCH_SERVER_NODE_ARGS="--expose-gc --import $PWD/bench/src/heap-sample.mjs?start=14&seconds=20" \
//     npm run bench -w @switchboard/bench -- --scenario chat-mix --duration-scale 0.5
//   node bench/src/heap-sample.mjs /tmp/heap-sample-<pid>.json [rows, default 25] [through]
//
// Preloaded (the harness gives the server a clean environment, so the settings ride on the URL): from `start`
// seconds after the server started, for `seconds`, V8's sampling heap profiler keeps the objects no minor
// collection freed: those promoted to (or made directly in) the old generation. `live=1` keeps only objects
// still alive at the end (a full collection first), e.g. `start=0.5&seconds=13&live=1` for what the
// connections of chat-mix hold. Two forced minor collections before the profile is read drop young garbage
// (they also promote what is in flight at that moment, a few hundred KB). Run as a script, it prints the
// profile's largest sites and allocation stacks; with `through` (a regular expression) only what was allocated
// under a matching frame, e.g. '_doConnect|handshake|onconnection|completeUpgrade' for what connections' set-up
// holds without the start-up work that happens to fall in the window (async continuations have lost that
// frame, so it is a lower bound). Plain JavaScript; a heap snapshot of a loaded server did not finish here
// (docs/performance.md).
import fs from 'node:fs';
import inspector from 'node:inspector';
import { pathToFileURL } from 'node:url';
import { frameLabel } from './call-frame.mjs';

function preload() {
  const q = new URL(import.meta.url).searchParams;
  const start = Number(q.get('start') ?? 14);
  const seconds = Number(q.get('seconds') ?? 20);
  const live = q.get('live') === '1';
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  setTimeout(async () => {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMinorGC: false,
      includeObjectsCollectedByMajorGC: !live,
    });
    setTimeout(async () => {
      globalThis.gc?.({ type: 'minor' });
      globalThis.gc?.({ type: 'minor' });
      if (live) globalThis.gc?.();
      const { profile } = await post('HeapProfiler.stopSampling');
      fs.writeFileSync(`/tmp/heap-sample-${process.pid}.json`, JSON.stringify(profile));
    }, seconds * 1000).unref();
  }, start * 1000).unref();
}

function report(file, rows, through) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  // Only what was allocated under a frame matching `through` (e.g. a connection's set-up), if given.
  const counted = (stack) => !through || stack.some((frame) => through.test(frame));
  const bySite = new Map();
  const byStack = new Map();
  let total = 0;
  const label = (n) => frameLabel(n.callFrame);
  const walk = (node, stack) => {
    const here = [...stack, label(node)];
    if (node.selfSize && counted(here)) {
      total += node.selfSize;
      bySite.set(here.at(-1), (bySite.get(here.at(-1)) ?? 0) + node.selfSize);
      const key = here.slice(-6).reverse().join(' < ');
      byStack.set(key, (byStack.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  const mb = (b) => (b / 1048576).toFixed(2).padStart(7);
  process.stdout.write(`sampled ${mb(total).trim()} MB\n\nby site (MB):\n`);
  for (const [k, b] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, rows)) process.stdout.write(`${mb(b)} ${k}\n`);
  process.stdout.write('\nby stack, innermost first (MB):\n');
  for (const [k, b] of [...byStack].sort((a, b) => b[1] - a[1]).slice(0, rows)) process.stdout.write(`${mb(b)} ${k}\n`);
}

const main = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (!main) preload();
else if (process.argv[2])
  report(process.argv[2], Number(process.argv[3] ?? 25), process.argv[4] && new RegExp(process.argv[4]));
else {
  process.stderr.write('usage: node bench/src/heap-sample.mjs /tmp/heap-sample-<pid>.json [ROWS] [THROUGH_REGEXP]\n');
  process.exit(2);
}
