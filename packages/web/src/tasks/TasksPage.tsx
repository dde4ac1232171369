import { Box, Button, Group, NumberInput, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import type { Task, TaskUpdatedEvent } from '@switchboard/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { ADMINS } from '../App';
import { useClientEvents, useNow } from '../hooks';
import { useSession } from '../session';
import { DEAD, DeadLetters } from './DeadLetters';
import { TaskRow } from './TaskRow';
import { useToasts } from './Toasts';

type Row = TaskUpdatedEvent | Task;
const MINE = ['tasks', 'mine'];

/** Replace the task in a list (or put it first), keeping the list's order otherwise. */
export function upsert(list: Row[] | undefined, task: Row): Row[] {
  const rows = list ?? [];
  return rows.some((t) => t.id === task.id) ? rows.map((t) => (t.id === task.id ? task : t)) : [task, ...rows];
}

const DONE: Record<string, { color: 'green' | 'red'; title: string } | undefined> = {
  succeeded: { color: 'green', title: 'Task finished' },
  failed: { color: 'red', title: 'Task attempt failed' },
  dead: { color: 'red', title: 'Task failed' },
};

/**
 * My background tasks, live from `task.updated` (progress bar, state, cancel, retry, a toast when one ends);
 * admins also see the org's dead-letter queue and send tasks back to it.
 */
export function TasksPage() {
  const { client, user } = useSession();
  const qc = useQueryClient();
  const now = useNow(15_000);
  const toasts = useToasts();
  const mine = useQuery({ queryKey: MINE, queryFn: async () => (await client.tasks.list({ limit: 50 })).items });
  const types = useQuery({ queryKey: ['tasks', 'types'], queryFn: () => client.tasks.types() });
  const isAdmin = ADMINS.includes(user.role);

  useClientEvents((e) => {
    if (e.type !== 'task') return;
    const t = e.task;
    if (t.ownerId === user.id) {
      const before = qc.getQueryData<Row[]>(MINE)?.find((x) => x.id === t.id);
      qc.setQueryData<Row[]>(MINE, (list) => upsert(list, t));
      const done = DONE[t.state];
      if (done && before?.state !== t.state) {
        toasts.show({ ...done, message: `${t.type}: ${t.error?.message ?? t.progress.message ?? t.state}` });
      }
    }
    if (isAdmin) {
      qc.setQueryData<Row[]>(DEAD, (list) =>
        t.state === 'dead' ? upsert(list, t) : list?.filter((x) => x.id !== t.id),
      );
    }
  });

  const act = useMutation({
    mutationFn: ({ id, verb }: { id: string; verb: 'cancel' | 'retry' }) => client.tasks[verb](id),
    onSuccess: (t) => qc.setQueryData<Row[]>(MINE, (list) => upsert(list, t)),
    onError: (err) => toasts.show({ color: 'red', title: 'Not possible', message: err.message }),
  });

  const enabled = (types.data?.items ?? []).filter((t) => t.enabled);
  const [type, setType] = useState<string | null>(null);
  const [seconds, setSeconds] = useState<number>(10);
  const chosen = type ?? enabled[0]?.type ?? null;
  // One key per intended submission: a double click or a retried request creates the task once.
  const key = useRef(crypto.randomUUID());
  const submit = useMutation({
    mutationFn: () =>
      client.tasks.submit(
        { type: chosen as string, payload: chosen === 'demo.sleep' ? { seconds, steps: 20 } : {} },
        { idempotencyKey: key.current },
      ),
    onSuccess: ({ task }) => {
      key.current = crypto.randomUUID();
      qc.setQueryData<Row[]>(MINE, (list) => upsert(list, task));
    },
    onError: (err) => toasts.show({ color: 'red', title: 'Could not start the task', message: err.message }),
  });

  return (
    <Box h="100%" style={{ overflowY: 'auto' }}>
      <Stack p="lg" gap="lg" data-testid="tasks-page">
        <div>
          <Title order={2}>Tasks</Title>
          <Text size="sm" c="dimmed">
            Background work you started, updated live. Cancel what is still running; retry what failed.
          </Text>
        </div>
        <Paper withBorder p="md">
          <Group align="flex-end" wrap="wrap">
            <Select
              label="Task type"
              data={enabled.map((t) => ({ value: t.type, label: t.type }))}
              value={chosen}
              onChange={setType}
              allowDeselect={false}
              w={220}
              description={enabled.find((t) => t.type === chosen)?.description}
              data-testid="task-type"
            />
            {chosen === 'demo.sleep' && (
              <NumberInput
                label="Seconds"
                min={1}
                max={600}
                w={120}
                value={seconds}
                onChange={(v) => setSeconds(Number(v) || 1)}
              />
            )}
            <Button onClick={() => submit.mutate()} loading={submit.isPending} disabled={!chosen}>
              Start task
            </Button>
          </Group>
          {types.isSuccess && enabled.length === 0 && (
            <Text size="sm" c="dimmed" mt="xs">
              Your organisation has not enabled any task types.
            </Text>
          )}
        </Paper>
        <Stack gap="xs">
          <Title order={3}>My tasks</Title>
          {mine.error && <Text c="red">{mine.error.message}</Text>}
          {mine.isSuccess && mine.data.length === 0 && (
            <Text size="sm" c="dimmed">
              No tasks yet.
            </Text>
          )}
          {(mine.data?.length ?? 0) > 0 && (
            <Table.ScrollContainer minWidth={520}>
              <Table data-testid="my-tasks">
                <Table.Tbody>
                  {mine.data?.map((t) => (
                    <TaskRow
                      key={t.id}
                      task={t}
                      now={now}
                      busy={act.isPending && act.variables?.id === t.id}
                      onCancel={() => act.mutate({ id: t.id, verb: 'cancel' })}
                      onRetry={() => act.mutate({ id: t.id, verb: 'retry' })}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
        {isAdmin && <DeadLetters now={now} toast={toasts.show} />}
      </Stack>
      {toasts.view}
    </Box>
  );
}
