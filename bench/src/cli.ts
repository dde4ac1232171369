/**
 * `npm run bench [-- --quick] [--scenario NAME ...] [--duration-scale X] [--out DIR]` (scenario names may also
 * be given bare: `npm run bench -- --quick fanout`): run the load scenarios
 * against fresh Switchboard and bare Socket.IO processes, print a table, write bench/results/<timestamp>.json.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBench, scenarios, table, writeReport } from './harness.js';
import { pinGenerator, ROOT } from './servers.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string', multiple: true },
    'duration-scale': { type: 'string' },
    out: { type: 'string' },
    set: { type: 'string', multiple: true },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    `usage: npm run bench -- [--quick] [--scenario NAME]... [--duration-scale X] [--set SCENARIO.KNOB=VALUE]... [--out DIR]\nscenarios: ${scenarios.map((s) => s.name).join(', ')}\n`,
  );
  process.exit(0);
}

// The root script (`npm run bench` → `npm run bench --workspace bench`) hands flags through a second npm,
// which keeps `--quick` as its own config (npm_config_quick) and passes scenario names on as positionals.
const env = process.env;
const quick = values.quick || env.npm_config_quick === 'true';
const only = [...(values.scenario ?? []), ...positionals];
const scaleArg = values['duration-scale'] ?? env.npm_config_duration_scale;
const scale = scaleArg ? Number(scaleArg) : 1;
if (!(scale > 0 && scale <= 10)) {
  process.stderr.write('--duration-scale must be a number in (0, 10]\n');
  process.exit(2);
}

pinGenerator();
const knobs: Record<string, string> = {};
for (const kv of values.set ?? []) {
  const eq = kv.indexOf('=');
  if (eq < 1) {
    process.stderr.write(`--set wants <scenario>.<knob>=<value>, got ${JSON.stringify(kv)}\n`);
    process.exit(2);
  }
  knobs[kv.slice(0, eq)] = kv.slice(eq + 1);
}
const report = await runBench({ quick, only, durationScale: scale, knobs });
const file = writeReport(report, values.out ?? path.join(ROOT, 'bench/results'));
process.stdout.write(`${table(report)}\nreport: ${path.relative(process.cwd(), file)}\n`);
// Sockets and keep-alive agents of the generator must not hold the process open.
process.exit(report.scenarios.some((s) => s.error) ? 1 : 0);
