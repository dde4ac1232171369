import { Badge, Button, Group, Progress, Stack, Table, Text } from '@mantine/core';
import type { TaskState, TaskUpdatedEvent } from '@switchboard/protocol';
import { ago } from '../format';

const COLORS: Record<TaskState, string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'green',
  failed: 'orange',
  cancelled: 'gray',
  dead: 'red',
};

export const StateBadge = ({ state }: { state: TaskState }) => (
  <Badge color={COLORS[state]} variant="light" data-testid="task-state">
    {state}
  </Badge>
);

/** One task: type, state, a live progress bar with the handler's message, and what may be done with it. */
export function TaskRow(props: {
  task: TaskUpdatedEvent;
  now: number;
  onCancel?: () => void;
  onRetry?: () => void;
  onRedrive?: () => void;
  busy?: boolean;
}) {
  const { task, now } = props;
  const live = task.state === 'queued' || task.state === 'running';
  const canRetry = task.state === 'failed' || task.state === 'dead';
  return (
    <Table.Tr data-testid="task-row" data-task-id={task.id} data-state={task.state}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {task.type}
        </Text>
        <Text size="xs" c="dimmed">
          {ago(task.createdAt, now)}
        </Text>
      </Table.Td>
      <Table.Td>
        <StateBadge state={task.state} />
      </Table.Td>
      <Table.Td miw={160}>
        <Stack gap={2}>
          <Progress
            value={task.progress.percent}
            animated={task.state === 'running'}
            color={COLORS[task.state]}
            aria-label={`Progress of ${task.type}`}
            data-testid="task-progress"
            data-percent={Math.round(task.progress.percent)}
          />
          <Text size="xs" c="dimmed" lineClamp={1}>
            {task.error?.message ?? task.progress.message ?? `${Math.round(task.progress.percent)} %`}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap" justify="flex-end">
          {props.onCancel && live && (
            <Button size="compact-sm" variant="light" color="red" onClick={props.onCancel} loading={props.busy}>
              Cancel
            </Button>
          )}
          {props.onRetry && canRetry && (
            <Button size="compact-sm" variant="light" onClick={props.onRetry} loading={props.busy}>
              Retry
            </Button>
          )}
          {props.onRedrive && (
            <Button size="compact-sm" variant="light" onClick={props.onRedrive} loading={props.busy}>
              Redrive
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
