import { Card, SimpleGrid, Text } from '@mantine/core';
import type { DashboardKpis } from '@switchboard/protocol';
import { change, formatKpi, KPI_INFO } from './format';

const SHOWN: (keyof DashboardKpis)[] = [
  'conversationsStarted',
  'aiAutoResolutionRate',
  'aiAutoSendRate',
  'escalations',
  'approvalRate',
  'editRate',
  'rejectionRate',
  'decisionMedianMs',
  'firstResponseMedianMs',
  'firstResponseP90Ms',
  'queueMedianMs',
  'resolutionMedianMs',
  'csatAverage',
  'messagesPerConversation',
];

/** One card per KPI: the value and its change against the previous period (green when it went the good way). */
export function KpiCards({ kpis, previous }: { kpis: DashboardKpis; previous: DashboardKpis }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 7 }} spacing="sm">
      {SHOWN.map((key) => {
        const info = KPI_INFO[key];
        const delta = change(key, kpis[key], previous[key]);
        const [now, before] = [kpis[key], previous[key]];
        const comparable = now !== null && before !== null && now !== before;
        const color =
          !comparable || info.upIsGood === null ? 'dimmed' : now > before === info.upIsGood ? 'teal' : 'red';
        return (
          <Card key={key} withBorder padding="sm" data-testid={`kpi-${key}`}>
            <Text size="xs" c="dimmed" lineClamp={1}>
              {info.label}
            </Text>
            <Text fw={700} size="xl" data-testid={`kpi-${key}-value`}>
              {formatKpi(key, kpis[key])}
            </Text>
            <Text size="xs" c={color} title="Change against the previous period">
              {delta ?? 'no comparison'} · before {formatKpi(key, previous[key])}
            </Text>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}
