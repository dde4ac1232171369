import { Avatar, Box, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { UserPresence } from '@switchboard/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { PresenceDot, presenceLabel } from '../components/Presence';
import { initials } from '../format';
import { useClientEvents, useNow } from '../hooks';
import { useSession } from '../session';

const KEY = ['presence', 'online-list'];
const ORDER = { online: 0, busy: 1, away: 2, offline: 3 } as const;

/** Keep the list current: a change to offline removes the person, any other status adds or updates them. */
export function applyPresence(list: UserPresence[] | undefined, p: UserPresence): UserPresence[] {
  const rest = (list ?? []).filter((u) => u.userId !== p.userId);
  return p.status === 'offline' ? rest : [...rest, p];
}

/** Who is online: everyone I may see who is not offline, live from `user:status` (the presence document's list). */
export function OnlinePage() {
  const { client, user } = useSession();
  const qc = useQueryClient();
  const now = useNow();
  const list = useQuery({ queryKey: KEY, queryFn: () => client.presence.list() });
  useClientEvents((e) => {
    if (e.type === 'presence') qc.setQueryData<UserPresence[]>(KEY, (l) => applyPresence(l, e.presence));
    if (e.type === 'presence.list') qc.setQueryData<UserPresence[]>(KEY, e.users);
  });
  const people = [...(list.data ?? [])].sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || a.username.localeCompare(b.username),
  );
  return (
    <Box h="100%" style={{ overflowY: 'auto' }}>
      <Stack p="lg" data-testid="online-page">
        <div>
          <Title order={2}>Who is online</Title>
          <Text size="sm" c="dimmed">
            {list.isSuccess
              ? `${people.length} ${people.length === 1 ? 'person' : 'people'} online, away or busy`
              : ' '}
          </Text>
        </div>
        {list.error && <Text c="red">{list.error.message}</Text>}
        <Table>
          <Table.Tbody>
            {people.map((p) => (
              <Table.Tr key={p.userId} data-testid="online-row" data-user-id={p.userId} data-status={p.status}>
                <Table.Td>
                  <Group gap="sm" wrap="nowrap">
                    <Avatar size="sm" radius="xl" color="blue">
                      {initials(p.username)}
                    </Avatar>
                    <Text size="sm" fw={500}>
                      {p.username}
                      {p.userId === user.id ? ' (you)' : ''}
                    </Text>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <PresenceDot status={p.status} />
                    <Text size="sm">{presenceLabel(p, now)}</Text>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Box>
  );
}
