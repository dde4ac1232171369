import { Card, Text } from '@mantine/core';
import type { DashboardSummary, DashboardTimeseries } from '@switchboard/protocol';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { duration, METRIC_LABEL } from './format';

const REASON_LABEL: Record<string, string> = {
  customer_request: 'Customer asked',
  approval_timeout: 'No decision in time',
  draft_rejected: 'Draft rejected',
};

function tick(t: number, interval: DashboardTimeseries['interval']): string {
  const d = new Date(t);
  return interval === 'hour'
    ? `${String(d.getUTCHours()).padStart(2, '0')}:00`
    : `${d.getUTCDate()} ${d.toLocaleString('en', { month: 'short', timeZone: 'UTC' })}`;
}

function value(metric: DashboardTimeseries['metric'], v: number): string {
  if (metric.endsWith('Ms')) return duration(v);
  if (metric.endsWith('Rate')) return `${(v * 100).toFixed(1)}%`;
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** The chosen metric over the period (a gap where it is undefined, e.g. no CSAT that day). */
export function SeriesChart({ series }: { series: DashboardTimeseries }) {
  const data = series.points.map((p) => ({ t: p.t, v: p.value }));
  return (
    <Card withBorder padding="sm" data-testid="series-chart">
      <Text size="sm" fw={600} mb="xs">
        {METRIC_LABEL[series.metric]} per {series.interval}
      </Text>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 5, right: 10, left: 0, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" tickFormatter={(t: number) => tick(t, series.interval)} fontSize={11} minTickGap={16} />
          <YAxis fontSize={11} tickFormatter={(v: number) => value(series.metric, v)} width={64} />
          <Tooltip
            labelFormatter={(t) => new Date(Number(t)).toISOString().slice(0, 16).replace('T', ' ')}
            formatter={(v) => [value(series.metric, Number(v)), METRIC_LABEL[series.metric]]}
          />
          <Line type="linear" dataKey="v" stroke="#228be6" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </Card>
  );
}

/** Escalations of the period by why the AI handed over. */
export function EscalationChart({ summary }: { summary: DashboardSummary }) {
  const data = ['customer_request', 'approval_timeout', 'draft_rejected'].map((reason) => ({
    reason: REASON_LABEL[reason],
    count: summary.escalationsByReason.find((e) => e.reason === reason)?.count ?? 0,
  }));
  return (
    <Card withBorder padding="sm" data-testid="escalation-chart">
      <Text size="sm" fw={600} mb="xs">
        Escalations by reason
      </Text>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 5, right: 10, left: 0, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="reason" fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} width={40} />
          <Tooltip />
          <Bar dataKey="count" fill="#fa5252" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </Card>
  );
}
