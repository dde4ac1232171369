// Time every SQLite statement the Switchboard server runs, by its SQL text, while a scenario drives it:
//
//   BENCH_SERVER_NODE_ARGS="--import $PWD/bench/src/sql-timings.mjs" npm run bench -w @switchboard/bench -- …
//
// Every 5 s and at exit the server writes /tmp/sql-timings-<pid>.txt: total ms, calls, µs per call, the
// slowest call, the calls of 5 ms or more (count and total: a commit that checkpoints shows here) and the
// statement, most time first. The wrapper itself costs a few µs per call, so read the ranking, not the
// absolute figures. Plain JavaScript: it is preloaded into the server, before any TypeScript loader.
import fs from 'node:fs';
import { createRequire } from 'node:module';

// The server's own copy of better-sqlite3 (resolved from the script Node was started with).
const require = createRequire(process.argv[1] ?? import.meta.url);
const Database = require('better-sqlite3');
const probe = new Database(':memory:');
const Statement = Object.getPrototypeOf(probe.prepare('select 1'));
probe.close();

const stats = new Map();
for (const method of ['run', 'get', 'all', 'iterate']) {
  const original = Statement[method];
  Statement[method] = function timed(...args) {
    const start = process.hrtime.bigint();
    try {
      return original.apply(this, args);
    } finally {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const key = this.source.replace(/\s+/g, ' ').slice(0, 200);
      const s = stats.get(key) ?? { calls: 0, ms: 0, max: 0, slowMs: 0, slow: 0 };
      s.calls++;
      s.ms += ms;
      s.max = Math.max(s.max, ms);
      if (ms >= 5) {
        s.slow++;
        s.slowMs += ms;
      }
      stats.set(key, s);
    }
  };
}

function write() {
  const lines = [...stats]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(
      ([sql, s]) =>
        `${s.ms.toFixed(0).padStart(8)} ms ${String(s.calls).padStart(8)}× ${((1000 * s.ms) / s.calls).toFixed(1).padStart(8)} µs  max ${s.max.toFixed(1).padStart(6)} ms  ≥5 ms: ${String(s.slow).padStart(4)}× ${s.slowMs.toFixed(0).padStart(5)} ms  ${sql}`,
    );
  fs.writeFileSync(`/tmp/sql-timings-${process.pid}.txt`, `${lines.join('\n')}\n`);
}
process.on('exit', write);
setInterval(write, 5000).unref();
