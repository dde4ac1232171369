import {
  Alert,
  Button,
  Group,
  Loader,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type DashboardMetric, DashboardMetricSchema } from '@switchboard/protocol';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useClientEvents } from '../hooks';
import { saveFile } from '../save-file';
import { useSession } from '../session';
import { AgentTable } from './AgentTable';
import { EscalationChart, SeriesChart } from './Charts';
import { intervalFor, readView, withParams } from './filters';
import { METRIC_LABEL } from './format';
import { KpiCards } from './KpiCards';

/**
 * The supervisor dashboard: KPI cards against the previous period, a time series of one metric, escalations
 * by reason and the agents. Every filter lives in the URL (shareable); `dashboard.updated` pushes refetch it.
 */
export function DashboardPage() {
  const { client } = useSession();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const set = (change: Record<string, string | undefined>) => setParams(withParams(params, change), { replace: true });
  const interval = intervalFor(view.filter);

  const summary = useQuery({
    queryKey: ['dashboard', 'summary', view.filter],
    queryFn: () => client.api.dashboard.summary(view.filter),
    placeholderData: keepPreviousData,
  });
  const series = useQuery({
    queryKey: ['dashboard', 'series', view.filter, view.metric, interval],
    queryFn: () => client.api.dashboard.timeseries({ ...view.filter, metric: view.metric, interval }),
    placeholderData: keepPreviousData,
  });
  useClientEvents((e) => {
    if (e.type === 'dashboard.updated') void qc.invalidateQueries({ queryKey: ['dashboard'] });
  });

  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string>();
  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      const day = new Date().toISOString().slice(0, 10);
      saveFile(await client.api.dashboard.summaryCsv(view.filter), `dashboard-summary-${day}.csv`);
      const csv = await client.api.dashboard.timeseriesCsv({ ...view.filter, metric: view.metric, interval });
      saveFile(csv, `dashboard-${view.metric}-${day}.csv`);
    } catch (err) {
      setExportError((err as Error).message);
    } finally {
      setExporting(false);
    }
  };

  const agentOptions = (summary.data?.agents ?? []).map((a) => ({ value: a.userId, label: a.name }));
  if (view.filter.agentId && !agentOptions.some((o) => o.value === view.filter.agentId))
    agentOptions.push({ value: view.filter.agentId, label: 'Selected agent' });

  return (
    <Stack p="md" gap="md" style={{ overflowY: 'auto', height: '100%' }} data-testid="dashboard">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2}>Dashboard</Title>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <SegmentedControl
            aria-label="Period"
            value={params.get('period') ?? '7d'}
            onChange={(period) => set({ period, ...(period === 'custom' ? {} : { from: undefined, to: undefined }) })}
            data={[
              { value: 'today', label: 'Today' },
              { value: '7d', label: '7 days' },
              { value: '30d', label: '30 days' },
              { value: 'custom', label: 'Custom' },
            ]}
          />
          {params.get('period') === 'custom' && (
            <>
              <TextInput
                type="date"
                label="From"
                size="xs"
                value={view.fromDay}
                onChange={(e) => set({ from: e.currentTarget.value })}
              />
              <TextInput
                type="date"
                label="To"
                size="xs"
                value={view.toDay}
                onChange={(e) => set({ to: e.currentTarget.value })}
              />
            </>
          )}
          <Select
            label="Agent"
            size="xs"
            clearable
            placeholder="All agents"
            data={agentOptions}
            value={view.filter.agentId ?? null}
            onChange={(agent) => set({ agent: agent ?? undefined })}
          />
          <TextInput
            label="Topic"
            size="xs"
            placeholder="All topics"
            defaultValue={params.get('topic') ?? ''}
            onBlur={(e) => set({ topic: e.currentTarget.value.trim() || undefined })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') set({ topic: e.currentTarget.value.trim() || undefined });
            }}
          />
          <Select
            label="Channel"
            size="xs"
            clearable
            placeholder="All channels"
            data={[
              { value: 'widget', label: 'Widget' },
              { value: 'web', label: 'Signed in' },
            ]}
            value={view.filter.channel ?? null}
            onChange={(channel) => set({ channel: channel ?? undefined })}
          />
          <Button
            size="xs"
            variant="default"
            loading={exporting}
            onClick={() => void exportCsv()}
            data-testid="export-csv"
            title="The KPIs and the chart's series, as two CSV files"
          >
            Export CSV
          </Button>
        </Group>
      </Group>
      {params.get('period') === 'custom' && view.filter.period !== 'custom' && (
        <Text size="sm" c="dimmed">
          Pick a first and last day; until then the last 7 days are shown.
        </Text>
      )}
      {exportError && (
        <Alert color="red" title="The export failed" withCloseButton onClose={() => setExportError(undefined)}>
          {exportError}
        </Alert>
      )}
      {summary.error && (
        <Alert color="red" title="The dashboard could not be loaded">
          {(summary.error as Error).message}
        </Alert>
      )}
      {!summary.data ? (
        <Loader />
      ) : (
        <>
          <KpiCards kpis={summary.data.kpis} previous={summary.data.previous} />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            <Stack gap={4}>
              <Select
                aria-label="Metric"
                size="xs"
                w={260}
                allowDeselect={false}
                data={DashboardMetricSchema.options.map((m) => ({ value: m, label: METRIC_LABEL[m] }))}
                value={view.metric}
                onChange={(metric) => set({ metric: (metric as DashboardMetric) ?? undefined })}
              />
              {series.data && <SeriesChart series={series.data} />}
            </Stack>
            <EscalationChart summary={summary.data} />
          </SimpleGrid>
          <AgentTable agents={summary.data.agents} active={summary.data.activeAgents} />
        </>
      )}
    </Stack>
  );
}
