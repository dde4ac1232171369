import { Alert, Button, Modal, MultiSelect, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useSession } from '../session';

interface Person {
  value: string;
  label: string;
}

/** Who I can start a conversation with: the staff directory for staff, the agents online for a customer. */
function usePeople(enabled: boolean) {
  const { client, user } = useSession();
  return useQuery({
    queryKey: ['people'],
    enabled,
    queryFn: async (): Promise<Person[]> => {
      if (user.role !== 'customer') {
        const { items } = await client.api.users.directory({ limit: 200 });
        return items
          .filter((u) => u.id !== user.id)
          .map((u) => ({ value: u.id, label: `${u.displayName} (${u.role})` }));
      }
      const online = await client.presence.list();
      return online.filter((p) => p.userId !== user.id).map((p) => ({ value: p.userId, label: p.username }));
    },
  });
}

export function NewConversation({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { client, user } = useSession();
  const customer = user.role === 'customer';
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [kind, setKind] = useState<'direct' | 'group'>('direct');
  const [person, setPerson] = useState<string | null>(null);
  const [members, setMembers] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const people = usePeople(opened && !customer);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = customer
        ? ({ kind: 'support' } as const)
        : kind === 'direct'
          ? ({ kind: 'direct', userId: person as string } as const)
          : ({ kind: 'group', name: name.trim(), memberIds: members } as const);
      const { conversation } = await client.api.conversations.create(body);
      await qc.invalidateQueries({ queryKey: ['conversations'] });
      onClose();
      setPerson(null);
      setMembers([]);
      setName('');
      navigate(`/messenger/${conversation.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not create the conversation');
    } finally {
      setBusy(false);
    }
  };
  const ready = customer || (kind === 'direct' ? !!person : !!name.trim() && members.length > 0);

  return (
    <Modal opened={opened} onClose={onClose} title={customer ? 'Contact support' : 'New conversation'}>
      <Stack>
        {customer ? (
          <Text size="sm">Open a conversation with our support team.</Text>
        ) : (
          <>
            <SegmentedControl
              value={kind}
              onChange={(v) => setKind(v as 'direct' | 'group')}
              data={[
                { value: 'direct', label: 'Direct message' },
                { value: 'group', label: 'Group' },
              ]}
            />
            {kind === 'direct' ? (
              <Select
                label="Person"
                placeholder={people.isLoading ? 'Loading…' : 'Search by name'}
                searchable
                data={people.data ?? []}
                value={person}
                onChange={setPerson}
                nothingFoundMessage={customer ? 'Nobody found (only agents online now are listed)' : 'Nobody found'}
                data-testid="person-select"
              />
            ) : (
              <>
                <TextInput
                  label="Group name"
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  maxLength={120}
                />
                <MultiSelect
                  label="Members"
                  placeholder="Search by name"
                  searchable
                  data={people.data ?? []}
                  value={members}
                  onChange={setMembers}
                />
              </>
            )}
          </>
        )}
        {error && <Alert color="red">{error}</Alert>}
        <Button onClick={() => void create()} loading={busy} disabled={!ready} data-testid="create-conversation">
          {customer ? 'Start' : 'Create'}
        </Button>
      </Stack>
    </Modal>
  );
}
