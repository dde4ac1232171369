import type { DashboardKpis, DashboardMetric } from '@switchboard/protocol';

type Kind = 'count' | 'rate' | 'duration' | 'score' | 'ratio';

/** How each KPI reads, and whether up is good (for the change's colour). */
export const KPI_INFO: Record<keyof DashboardKpis, { label: string; kind: Kind; upIsGood: boolean | null }> = {
  conversationsStarted: { label: 'Conversations', kind: 'count', upIsGood: null },
  aiAutoResolutionRate: { label: 'AI auto-resolution', kind: 'rate', upIsGood: true },
  aiAutoSendRate: { label: 'AI auto-send', kind: 'rate', upIsGood: true },
  approvalRate: { label: 'Drafts approved', kind: 'rate', upIsGood: true },
  editRate: { label: 'Drafts edited', kind: 'rate', upIsGood: false },
  rejectionRate: { label: 'Drafts rejected', kind: 'rate', upIsGood: false },
  decisionMedianMs: { label: 'Time to decision (median)', kind: 'duration', upIsGood: false },
  draftsDecided: { label: 'Drafts decided', kind: 'count', upIsGood: null },
  escalations: { label: 'Escalations', kind: 'count', upIsGood: false },
  firstResponseMedianMs: { label: 'First response (median)', kind: 'duration', upIsGood: false },
  firstResponseP90Ms: { label: 'First response (p90)', kind: 'duration', upIsGood: false },
  queueMedianMs: { label: 'Time in queue (median)', kind: 'duration', upIsGood: false },
  resolutionMedianMs: { label: 'Resolution time (median)', kind: 'duration', upIsGood: false },
  resolved: { label: 'Resolved', kind: 'count', upIsGood: true },
  csatAverage: { label: 'CSAT', kind: 'score', upIsGood: true },
  csatCount: { label: 'CSAT answers', kind: 'count', upIsGood: null },
  messagesPerConversation: { label: 'Messages / conversation', kind: 'ratio', upIsGood: null },
};

export const METRIC_LABEL: Record<DashboardMetric, string> = {
  conversationsStarted: 'Conversations started',
  aiAutoResolutionRate: 'AI auto-resolution rate',
  aiAutoSendRate: 'AI auto-send rate',
  approvalRate: 'Approval rate',
  escalations: 'Escalations',
  firstResponseMedianMs: 'First response (median)',
  resolutionMedianMs: 'Resolution time (median)',
  csatAverage: 'CSAT average',
  messagesPerConversation: 'Messages per conversation',
};

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 90) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = s / 60;
  if (m < 90) return `${m.toFixed(m < 10 ? 1 : 0)} min`;
  return `${(m / 60).toFixed(1)} h`;
}

export function formatKpi(key: keyof DashboardKpis, v: number | null): string {
  if (v === null) return '—';
  switch (KPI_INFO[key].kind) {
    case 'rate':
      return `${(v * 100).toFixed(1)}%`;
    case 'duration':
      return duration(v);
    case 'score':
      return `${v.toFixed(2)} / 5`;
    case 'ratio':
      return v.toFixed(1);
    default:
      return v.toLocaleString('en');
  }
}

/** The change against the previous period: relative for counts, in points for rates; null when not comparable. */
export function change(key: keyof DashboardKpis, now: number | null, before: number | null): string | null {
  if (now === null || before === null) return null;
  if (KPI_INFO[key].kind === 'rate') {
    const pts = (now - before) * 100;
    return `${pts >= 0 ? '+' : ''}${pts.toFixed(1)} pts`;
  }
  if (before === 0) return now === 0 ? '±0%' : null;
  const pct = ((now - before) / before) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(0)}%`;
}
