import { Badge, Loader, Select, Stack, Table, Text, Title } from '@mantine/core';
import type { Role } from '@switchboard/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isServiceAccount, usersApi } from '../sdk-adapter';
import { useSession } from '../session';

const ROLES: Role[] = ['customer', 'agent', 'supervisor', 'admin'];

export function UsersPage() {
  const { auth, user: me } = useSession();
  const qc = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => usersApi.list(auth, { limit: 100 }) });
  const setRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => usersApi.setRole(auth, id, role),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
  return (
    <Stack p="lg" h="100%" style={{ overflowY: 'auto' }} data-testid="admin-users">
      <Title order={2}>Users</Title>
      {users.isLoading && <Loader size="sm" />}
      {setRole.error && <Text c="red">{setRole.error.message}</Text>}
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.data?.items.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.displayName}</Table.Td>
              <Table.Td>{u.email}</Table.Td>
              <Table.Td>
                <Select
                  size="xs"
                  w={140}
                  aria-label={`Role of ${u.displayName}`}
                  data={ROLES}
                  value={u.role}
                  disabled={u.id === me.id || u.kind === 'visitor' || isServiceAccount(u)}
                  onChange={(role) => role && setRole.mutate({ id: u.id, role: role as Role })}
                  allowDeselect={false}
                />
              </Table.Td>
              <Table.Td>
                <Badge color={u.active ? 'green' : 'gray'} variant="light">
                  {!u.active ? 'deactivated' : u.invitePending ? 'invited' : 'active'}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
