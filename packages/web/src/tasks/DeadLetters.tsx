import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../session';
import { TaskRow } from './TaskRow';
import type { ToastInput } from './Toasts';

export const DEAD = ['tasks', 'dead'];

/** Admins: the org's dead-letter queue (tasks out of attempts), kept live by the page; redrive one or all. */
export function DeadLetters({ now, toast }: { now: number; toast: (t: ToastInput) => void }) {
  const { client } = useSession();
  const qc = useQueryClient();
  const dead = useQuery({
    queryKey: DEAD,
    queryFn: async () => (await client.tasks.deadLetters({ limit: 100 })).items,
  });
  const redrive = useMutation({
    mutationFn: (ids: string[]) => client.tasks.redrive({ ids }),
    onSuccess: ({ count }, ids) => {
      qc.setQueryData<{ id: string }[]>(DEAD, (list) => list?.filter((t) => !ids.includes(t.id)));
      toast({
        color: 'blue',
        title: 'Redriven',
        message: `${count} task${count === 1 ? '' : 's'} sent back to the queue.`,
      });
    },
    onError: (err) => toast({ color: 'red', title: 'Redrive failed', message: err.message }),
  });
  const items = dead.data ?? [];
  return (
    <Stack gap="xs" data-testid="dead-letters">
      <Group justify="space-between">
        <div>
          <Title order={3}>Dead-letter queue</Title>
          <Text size="sm" c="dimmed">
            Tasks of your organisation that failed every attempt. Redriving runs them again from the first attempt.
          </Text>
        </div>
        {items.length > 1 && (
          <Button variant="light" onClick={() => redrive.mutate(items.map((t) => t.id))} loading={redrive.isPending}>
            Redrive all ({items.length})
          </Button>
        )}
      </Group>
      {dead.error && <Text c="red">{dead.error.message}</Text>}
      {dead.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          Empty: no task has run out of attempts.
        </Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={520}>
          <Table>
            <Table.Tbody>
              {items.map((t) => (
                <TaskRow
                  key={t.id}
                  task={t}
                  now={now}
                  busy={redrive.isPending && redrive.variables?.includes(t.id)}
                  onRedrive={() => redrive.mutate([t.id])}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
