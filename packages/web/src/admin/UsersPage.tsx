import { Badge, Box, Button, Center, Group, Loader, Modal, Select, Stack, Table, Text, Title } from '@mantine/core';
import type { Role, User } from '@switchboard/protocol';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isServiceAccount } from '../format';
import { useSession } from '../session';
import { InviteUser, NewInviteLink } from './InviteUser';
import { UserActiveToggle } from './UserActiveToggle';

const ROLES: Role[] = ['customer', 'agent', 'supervisor', 'admin'];

/** The people of my org (widget visitors are not listed): invite, change role, deactivate / reactivate. */
export function UsersPage() {
  const { client, user: me } = useSession();
  const qc = useQueryClient();
  const users = useInfiniteQuery({
    queryKey: ['users'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => client.api.users.list({ kind: 'user', limit: 100, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
  const setRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => client.api.users.update(id, { role }),
    onSuccess: () => {
      setPending(null);
      return qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  // A role change signs the person out everywhere and changes what they may do, so the admin confirms it.
  const [pending, setPending] = useState<{ user: User; role: Role } | null>(null);
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Box h="100%" style={{ overflowY: 'auto' }}>
      <Stack p="lg" data-testid="admin-users">
        <Group justify="space-between">
          <div>
            <Title order={2}>Users</Title>
            <Text size="sm" c="dimmed">
              A role change or a deactivation signs that person out everywhere at once.
            </Text>
          </div>
          <InviteUser />
        </Group>
        {users.isLoading && <Loader size="sm" />}
        {users.error && <Text c="red">{users.error.message}</Text>}
        {setRole.error && (
          <Text c="red" role="alert">
            {setRole.error.message}
          </Text>
        )}
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((u) => {
              const fixed = u.id === me.id || u.kind === 'visitor' || isServiceAccount(u);
              return (
                <Table.Tr key={u.id} data-testid="user-row">
                  <Table.Td>{u.displayName}</Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      w={140}
                      aria-label={`Role of ${u.displayName}`}
                      data={ROLES}
                      value={u.role}
                      disabled={fixed}
                      onChange={(role) => role && role !== u.role && setPending({ user: u, role: role as Role })}
                      allowDeselect={false}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Badge color={u.active ? 'green' : 'gray'} variant="light" data-testid="user-state">
                      {!u.active ? 'deactivated' : u.invitePending ? 'invited' : 'active'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {u.active && u.invitePending && !fixed && <NewInviteLink user={u} />}
                      <UserActiveToggle user={u} disabled={fixed} />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Modal
          opened={pending !== null}
          onClose={() => setPending(null)}
          title={pending ? `Make ${pending.user.displayName} ${pending.role}?` : ''}
        >
          <Stack>
            <Text size="sm">
              They are signed out everywhere at once and sign in again with the new role ({pending?.user.role} →{' '}
              {pending?.role}).
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPending(null)}>
                Cancel
              </Button>
              <Button
                loading={setRole.isPending}
                data-testid="confirm-role"
                onClick={() => pending && setRole.mutate({ id: pending.user.id, role: pending.role })}
              >
                Change role
              </Button>
            </Group>
          </Stack>
        </Modal>
        {users.hasNextPage && (
          <Center>
            <Button variant="subtle" loading={users.isFetchingNextPage} onClick={() => void users.fetchNextPage()}>
              Show more
            </Button>
          </Center>
        )}
      </Stack>
    </Box>
  );
}
