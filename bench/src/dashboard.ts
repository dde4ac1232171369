/**
 * `npm run dashboard -w bench [-- --conversations N] [--postgres URL] [--runs R]`: the supervisor dashboard's 30-day summary
 * over N (default 100,000) support conversations spread over 30 days, on SQLite (and PostgreSQL when a URL
 * is given), against a baseline measured in the same run: a plain indexed count of the same conversations.
 * Writes bench/results/dashboard-<timestamp>.json.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type Insertable, sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../../packages/server/src/config.js';
import type { Actor } from '../../packages/server/src/http/access.js';
import { rebuildRollup } from '../../packages/server/src/modules/dashboard/dashboard.rollup.js';
import { dashboardService } from '../../packages/server/src/modules/dashboard/dashboard.service.js';
import type {
  DashboardConversationsTable,
  DashboardDecisionsTable,
} from '../../packages/server/src/modules/dashboard/dashboard.tables.js';
import { orgsService } from '../../packages/server/src/modules/orgs/orgs.service.js';
import { presenceService } from '../../packages/server/src/modules/presence/presence.service.js';
import { usersService } from '../../packages/server/src/modules/users/users.service.js';
import { type Database, openDatabase } from '../../packages/server/src/platform/db/database.js';
import { createPlatform, type Platform } from '../../packages/server/src/platform/platform.js';
import { ROOT } from './servers.js';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100000' },
    postgres: { type: 'string' },
    runs: { type: 'string', default: '20' },
    out: { type: 'string' },
  },
});
const N = Number(values.conversations);
const RUNS = Number(values.runs);
const DAY = 86_400_000;
const TARGET_MS = 200;

function rng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

/** N conversations over the last 30 days with the mix of outcomes a busy contact center has. */
async function generate(database: Database, orgId: string, agents: string[], now: number): Promise<number> {
  const r = rng(42);
  const topics = ['billing', 'account', 'shipping', 'returns', 'technical', null];
  let decisions = 0;
  const batch = 400;
  for (let i = 0; i < N; i += batch) {
    const rows: Insertable<DashboardConversationsTable>[] = [];
    const ds: DashboardDecisionsTable[] = [];
    for (let k = i; k < Math.min(N, i + batch); k++) {
      const startedAt = now - 30 * DAY + Math.floor((k / N) * 30 * DAY);
      const queued = r(3) === 0 ? 1 : 0;
      const outcome = queued ? (['approved', 'edited', 'rejected'] as const)[r(3)] : undefined;
      const reason =
        outcome === 'rejected' ? 'draft_rejected' : [null, null, null, 'customer_request', 'approval_timeout'][r(5)];
      const human = reason !== null || outcome !== undefined;
      const resolvedAt = r(4) > 0 ? startedAt + 30_000 + r(3_600_000) : null;
      const id = randomUUID();
      rows.push({
        conversationId: id,
        orgId,
        startedAt,
        channel: r(3) === 0 ? 'web' : 'widget',
        topic: topics[r(topics.length)] ?? null,
        agentId: human ? (agents[r(agents.length)] ?? null) : null,
        status: resolvedAt ? 'resolved' : human ? 'human_active' : 'ai_active',
        messages: 2 + r(14),
        autoSent: queued ? 0 : 1 + r(3),
        queued,
        approved: outcome === 'approved' ? 1 : 0,
        edited: outcome === 'edited' ? 1 : 0,
        rejected: outcome === 'rejected' ? 1 : 0,
        humanTouched: human ? 1 : 0,
        firstResponseMs: 300 + r(60_000),
        requestedAt: reason ? startedAt + 2000 : null,
        queueMs: reason ? r(600_000) : null,
        escalationReason: reason ?? null,
        resolvedAt,
        resolutionMs: resolvedAt ? resolvedAt - startedAt : null,
        csat: resolvedAt && r(3) === 0 ? 1 + r(5) : null,
        decisions: outcome ? 1 : 0,
        updatedAt: startedAt,
      });
      if (outcome)
        ds.push({
          id: randomUUID(),
          orgId,
          conversationId: id,
          startedAt,
          outcome,
          decisionMs: 1000 + r(180_000),
          decidedAt: startedAt + 60_000,
        });
    }
    await database.db.transaction().execute(async (tx) => {
      await tx.insertInto('dashboardConversations').values(rows).execute();
      if (ds.length) await tx.insertInto('dashboardDecisions').values(ds).execute();
    });
    decisions += ds.length;
  }
  return decisions;
}

interface Timing {
  runs: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
  /** CPU time of this process per run (user + system), median: on a shared machine wall time includes waiting for a core. SQLite runs in process; PostgreSQL's own work is not in it. */
  cpuP50: number;
}
async function time(fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < 2; i++) await fn(); // warm: statement caches, pages in memory
  const t: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const at = (xs: number[], q: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return Math.round((s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? 0) * 10) / 10;
  };
  return {
    runs: RUNS,
    p50: at(t, 0.5),
    p95: at(t, 0.95),
    max: at(t, 1),
    mean: Math.round((t.reduce((a, b) => a + b, 0) / t.length) * 10) / 10,
    cpuP50: at(cpu, 0.5),
  };
}

async function run(storage: 'sqlite' | 'postgres', platform: Platform) {
  const now = Date.now();
  const org = await orgsService(platform).create({
    slug: `bench-${randomUUID().slice(0, 8)}`,
    name: 'Dashboard bench',
  });
  const agents: string[] = [];
  for (let i = 0; i < 20; i++)
    agents.push(
      (
        await usersService(platform).create(org.id, {
          email: `agent${i}@bench.test`,
          displayName: `Agent ${i}`,
          password: 'bench-password-1',
          role: 'agent',
        })
      ).id,
    );
  const t0 = performance.now();
  const decisions = await generate(platform.database, org.id, agents, now);
  const generateS = Math.round((performance.now() - t0) / 100) / 10;
  // The rows were written directly (not through the recorder): build their daily rollup in one pass.
  const t1 = performance.now();
  await rebuildRollup(platform.database.db, org.id);
  const rollupS = Math.round((performance.now() - t1) / 100) / 10;
  if (storage === 'postgres') await sql`analyze`.execute(platform.database.db);
  const svc = dashboardService(platform, presenceService(platform));
  const actor: Actor = {
    userId: agents[0] as string,
    orgId: org.id,
    role: 'supervisor',
    sessionId: 'bench',
    kind: 'user',
  };
  const summary = await svc.summary(actor, { period: '30d' });
  const from = now - 30 * DAY;
  const result = {
    storage,
    conversations: N,
    decisions,
    generateS,
    rollupS,
    check: { conversationsStarted: summary.kpis.conversationsStarted, escalations: summary.kpis.escalations },
    // Baseline: the cheapest question over the same rows, an index-only count.
    baselineCountMs: await time(() =>
      platform.database.db
        .selectFrom('dashboardConversations')
        .select(sql<number>`count(*)`.as('n'))
        .where('orgId', '=', org.id)
        .where('startedAt', '>=', from)
        .executeTakeFirst(),
    ),
    summary30dMs: await time(() => svc.summary(actor, { period: '30d' })),
    summary30dFilteredMs: await time(() => svc.summary(actor, { period: '30d', channel: 'web', topic: 'billing' })),
    timeseries30dDailyMs: await time(() =>
      svc.timeseries(actor, { period: '30d', metric: 'firstResponseMedianMs', interval: 'day' }),
    ),
  };
  return { ...result, targetMs: TARGET_MS, meetsTarget: result.summary30dMs.p95 < TARGET_MS };
}

const startedAt = new Date().toISOString();
const results = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-dash-bench-'));
{
  const platform = await createPlatform(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn' }));
  try {
    results.push(await run('sqlite', platform));
  } finally {
    await platform.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
if (values.postgres) {
  const schema = `sb_bench_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: values.postgres });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const database = await openDatabase({ kind: 'postgres', url: values.postgres, poolMax: 10, schema });
  const pdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-dash-bench-'));
  const platform = await createPlatform(loadConfig({ DATA_DIR: pdir, LOG_LEVEL: 'warn' }), { database });
  try {
    results.push(await run('postgres', platform));
  } finally {
    await platform.close();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
    fs.rmSync(pdir, { recursive: true, force: true });
  }
}
const report = {
  scenario: 'dashboard-summary',
  startedAt,
  host: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg() },
  results,
};
const outDir = values.out ?? path.join(ROOT, 'bench/results');
fs.mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `dashboard-${startedAt.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
for (const r of results)
  process.stdout.write(
    `${r.storage}: ${r.conversations} conversations, summary 30d p50 ${r.summary30dMs.p50} ms p95 ${r.summary30dMs.p95} ms (cpu p50 ${r.summary30dMs.cpuP50} ms) (filtered p95 ${r.summary30dFilteredMs.p95} ms, daily series p95 ${r.timeseries30dDailyMs.p95} ms); baseline count p50 ${r.baselineCountMs.p50} ms; target < ${TARGET_MS} ms: ${r.meetsTarget ? 'met' : 'MISSED'}\n`,
  );
process.stdout.write(`report: ${path.relative(process.cwd(), file)}\n`);
process.exit(0);
