import { randomUUID } from 'node:crypto';
import type { DashboardKpis } from '@switchboard/protocol';
import type { DashboardConversationsTable } from './dashboard.tables.js';

/** Test data for the dashboard's exact-KPI tests: a generator and the answers computed in plain JavaScript. */

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 0, 1);
export type Row = Omit<DashboardConversationsTable, 'decisions'> & {
  decisions: { outcome: string; decisionMs: number }[];
};

/** A deterministic generator (LCG), so the data set and its answers are the same on every run. */
export function rng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

/** 90 conversations over 9 days of org A with every kind of outcome, two agents, topics and channels. */
export function dataSet(orgId: string, agents: string[]): Row[] {
  const r = rng(7);
  const rows: Row[] = [];
  for (let i = 0; i < 90; i++) {
    const startedAt = T0 + Math.floor(i / 10) * DAY + r(20) * 3_600_000 + i;
    const approved = r(3) === 0 ? 1 : 0;
    const edited = r(4) === 0 ? 1 : 0;
    const rejected = r(5) === 0 ? 1 : 0;
    const reasons = [null, null, 'customer_request', 'approval_timeout', rejected ? 'draft_rejected' : null];
    const escalationReason = rejected ? 'draft_rejected' : (reasons[r(4)] ?? null);
    const human = escalationReason !== null || approved + edited + rejected > 0;
    const requestedAt = escalationReason ? startedAt + 1000 + r(5000) : null;
    const queueMs = requestedAt && r(3) > 0 ? 500 + r(90_000) : null;
    const resolvedAt = r(3) > 0 ? startedAt + 60_000 + r(3_600_000) : null;
    const decisions: Row['decisions'] = [];
    for (const [outcome, n] of [
      ['approved', approved],
      ['edited', edited],
      ['rejected', rejected],
    ] as const)
      for (let k = 0; k < n; k++) decisions.push({ outcome, decisionMs: 1000 + r(120_000) });
    rows.push({
      conversationId: randomUUID(),
      orgId,
      startedAt,
      channel: r(3) === 0 ? 'web' : 'widget',
      topic: ['billing', 'account', null][r(3)] ?? null,
      agentId: human ? (agents[r(2)] ?? null) : null,
      status: resolvedAt ? 'resolved' : human && queueMs ? 'human_active' : 'ai_active',
      messages: 1 + r(12),
      autoSent: r(4),
      queued: approved + edited + rejected + r(2),
      approved,
      edited,
      rejected,
      humanTouched: human ? 1 : 0,
      firstResponseMs: r(10) === 0 ? null : 200 + r(30_000),
      requestedAt,
      queueMs,
      escalationReason,
      resolvedAt,
      resolutionMs: resolvedAt ? resolvedAt - startedAt : null,
      csat: resolvedAt && r(2) === 0 ? 1 + r(5) : null,
      updatedAt: startedAt,
      decisions,
    });
  }
  return rows;
}

/** The answers, computed independently in plain JavaScript. */
export function expected(rows: Row[]): DashboardKpis {
  const sum = (f: (r: Row) => number) => rows.reduce((a, r) => a + f(r), 0);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  const sorted = (vs: number[]) => [...vs].sort((x, y) => x - y);
  const median = (vs: number[]) => {
    const s = sorted(vs);
    if (!s.length) return null;
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
  };
  const p90 = (vs: number[]) => (vs.length ? (sorted(vs)[Math.ceil(0.9 * vs.length) - 1] ?? null) : null);
  const present = (f: (r: Row) => number | null) => rows.map(f).filter((v): v is number => v !== null);
  const decided = sum((r) => r.approved + r.edited + r.rejected);
  const csat = present((r) => r.csat);
  return {
    conversationsStarted: rows.length,
    aiAutoResolutionRate: ratio(
      sum((r) => (r.resolvedAt && !r.humanTouched ? 1 : 0)),
      rows.length,
    ),
    aiAutoSendRate: ratio(
      sum((r) => r.autoSent),
      sum((r) => r.autoSent + r.queued),
    ),
    approvalRate: ratio(
      sum((r) => r.approved),
      decided,
    ),
    editRate: ratio(
      sum((r) => r.edited),
      decided,
    ),
    rejectionRate: ratio(
      sum((r) => r.rejected),
      decided,
    ),
    decisionMedianMs: median(rows.flatMap((r) => r.decisions.map((d) => d.decisionMs))),
    draftsDecided: decided,
    escalations: sum((r) => (r.escalationReason ? 1 : 0)),
    firstResponseMedianMs: median(present((r) => r.firstResponseMs)),
    firstResponseP90Ms: p90(present((r) => r.firstResponseMs)),
    queueMedianMs: median(present((r) => r.queueMs)),
    resolutionMedianMs: median(present((r) => r.resolutionMs)),
    resolved: sum((r) => (r.resolvedAt ? 1 : 0)),
    csatAverage: csat.length ? csat.reduce((a, v) => a + v, 0) / csat.length : null,
    csatCount: csat.length,
    messagesPerConversation: ratio(
      sum((r) => r.messages),
      rows.length,
    ),
  };
}
