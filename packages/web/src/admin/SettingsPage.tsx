import {
  Box,
  Button,
  Card,
  Group,
  Loader,
  NumberInput,
  Select,
  Slider,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { AiSettings } from '@switchboard/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../session';
import { DecisionThresholds } from './DecisionThresholds';
import { SupportHoursCard } from './SupportHoursCard';
import { WidgetSettingsCard } from './WidgetSettingsCard';

/** Admin settings the server exposes: the org's name, the assistant (threshold, timeout, capacity), the widget. */
export function SettingsPage() {
  return (
    <Box h="100%" style={{ overflowY: 'auto' }}>
      <Stack p="lg" data-testid="admin-settings" maw={760}>
        <Title order={2}>Settings</Title>
        <OrgNameCard />
        <AiSettingsCard />
        <WidgetSettingsCard />
        <SupportHoursCard />
      </Stack>
    </Box>
  );
}

function OrgNameCard() {
  const { client, org } = useSession();
  const qc = useQueryClient();
  const current = useQuery({ queryKey: ['org'], queryFn: () => client.api.orgs.current() });
  const [name, setName] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (n: string) => client.api.orgs.update({ name: n }),
    onSuccess: (o) => {
      qc.setQueryData(['org'], o);
      setName(null);
    },
  });
  const value = name ?? current.data?.name ?? org.name;
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) save.mutate(value.trim());
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Organization name"
            value={value}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={120}
            style={{ flex: 1 }}
          />
          <Button type="submit" variant="light" disabled={name === null || !value.trim()} loading={save.isPending}>
            Rename
          </Button>
        </Group>
        {save.error && (
          <Text c="red" size="sm">
            {save.error.message}
          </Text>
        )}
      </form>
    </Card>
  );
}

function AiSettingsCard() {
  const { client } = useSession();
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ['ai-settings'], queryFn: () => client.api.orgs.aiSettings() });
  const [draft, setDraft] = useState<Partial<AiSettings>>({});
  const save = useMutation({
    mutationFn: (patch: Partial<AiSettings>) => client.api.orgs.updateAiSettings(patch),
    onSuccess: (s) => {
      qc.setQueryData(['ai-settings'], s);
      setDraft({});
    },
  });
  if (!settings.data) return settings.error ? <Text c="red">{settings.error.message}</Text> : <Loader size="sm" />;
  const v = { ...settings.data, ...draft };
  const changed = Object.keys(draft).length > 0;
  const set = (patch: Partial<AiSettings>) => setDraft((d) => ({ ...d, ...patch }));
  return (
    <Card withBorder data-testid="ai-settings">
      <Stack>
        <div>
          <Title order={3} size="h4">
            AI assistant
          </Title>
          <Text size="sm" c="dimmed">
            The assistant drafts answers from the knowledge base. Drafts scoring at least the threshold are sent at
            once; the others wait in the agents' approval queue. The model itself (built-in or an LLM) is chosen in the
            server's configuration (<code>AI_BASE_URL</code>, <code>AI_MODEL</code>).
          </Text>
        </div>
        <Switch
          label="Answer customers with the assistant"
          checked={v.enabled}
          onChange={(e) => set({ enabled: e.currentTarget.checked })}
        />
        <div>
          <Text size="sm" fw={500} id="threshold-label">
            Confidence threshold: {v.threshold.toFixed(2)}
          </Text>
          <Text size="xs" c="dimmed" mb={6}>
            0 sends every draft; 1 sends none without a person's approval.
          </Text>
          <Slider
            aria-labelledby="threshold-label"
            data-testid="threshold"
            min={0}
            max={1}
            step={0.05}
            value={v.threshold}
            onChange={(threshold) => set({ threshold })}
            marks={[
              { value: 0.25, label: '0.25' },
              { value: 0.5, label: '0.5' },
              { value: 0.75, label: '0.75' },
            ]}
            mb="lg"
          />
          <DecisionThresholds current={v.threshold} />
        </div>
        <Group grow>
          <NumberInput
            label="Approval timeout (seconds)"
            description="No decision by then: a person takes over"
            min={5}
            max={86_400}
            value={Math.round(v.approvalTimeoutMs / 1000)}
            onChange={(s) => typeof s === 'number' && set({ approvalTimeoutMs: s * 1000 })}
          />
          <NumberInput
            label="Conversations per agent"
            description="At most this many assigned at once"
            min={1}
            max={100}
            value={v.agentCapacity}
            onChange={(n) => typeof n === 'number' && set({ agentCapacity: n })}
          />
          <Select
            label="People's answers in the widget"
            description="How customers see who answered (the AI is always “AI assistant”)"
            data={[
              { value: 'agent', label: 'Under the agent’s name' },
              { value: 'team', label: 'As “Support team”' },
            ]}
            value={v.staffLabel}
            onChange={(x) => x && set({ staffLabel: x as AiSettings['staffLabel'] })}
            allowDeselect={false}
            data-testid="staff-label"
          />
        </Group>
        {save.error && (
          <Text c="red" size="sm" role="alert">
            {save.error.message}
          </Text>
        )}
        {save.isSuccess && !changed && (
          <Text c="green" size="sm" role="status">
            Saved.
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" disabled={!changed} onClick={() => setDraft({})}>
            Discard
          </Button>
          <Button disabled={!changed} loading={save.isPending} onClick={() => save.mutate(draft)} data-testid="save-ai">
            Save
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
