// Keep V8's own line per garbage collection from the Switchboard server while a scenario drives it:
//
//   BENCH_SERVER_NODE_ARGS="--trace-gc-nvp --import $PWD/bench/src/gc-trace.mjs" npm run bench -w @switchboard/bench -- …
//   node bench/src/promoted.mjs /tmp/gc-trace-<pid>.txt [fromS toS]
//
// `--trace-gc-nvp` prints one line per collection to standard output, with what the collection promoted to the
// old generation (`promoted=`) and what was allocated since the one before (`allocated=`). The harness ignores
// the server's standard output, so this preload reopens file descriptor 1 on /tmp/gc-trace-<pid>.txt (the
// server's own stdout lines, at LOG_LEVEL=warn, land there too). Plain JavaScript, preloaded into the server
// like sql-timings.mjs.
import fs from 'node:fs';

fs.closeSync(1);
const fd = fs.openSync(`/tmp/gc-trace-${process.pid}.txt`, 'a');
if (fd !== 1) throw new Error(`gc-trace.mjs: standard output reopened as fd ${fd}, not 1`);
