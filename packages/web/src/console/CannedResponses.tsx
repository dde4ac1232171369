import { Badge, Button, Group, Modal, SegmentedControl, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { type CannedResponse, fillCannedResponse, type SupportInboxItem } from '@switchboard/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Shortcut } from '../messenger/ShortcutMenu';
import { useSession } from '../session';

const KEY = ['console', 'canned'];
const MANAGES = new Set(['supervisor', 'admin']);

/** The team's canned responses and mine. */
export function useCannedResponses(): CannedResponse[] {
  const { client } = useSession();
  return useQuery({ queryKey: KEY, queryFn: () => client.api.canned.list() }).data ?? [];
}

/** The composer's `/` shortcuts for one conversation: variables filled for its customer and me; mine first. */
export function useCannedShortcuts(item: SupportInboxItem): Shortcut[] {
  const { user } = useSession();
  const vars = {
    customerName: item.customer.displayName,
    customerEmail: item.customer.email,
    agentName: user.displayName,
  };
  const all = useCannedResponses();
  const seen = new Set<string>();
  return [...all.filter((c) => c.scope === 'personal'), ...all.filter((c) => c.scope === 'org')]
    .filter((c) => !seen.has(c.shortcut) && seen.add(c.shortcut))
    .map((c) => ({ shortcut: c.shortcut, title: c.title, text: fillCannedResponse(c.text, vars) }));
}

/** List, add, edit and delete canned responses: my own, and the team's for supervisors and admins. */
export function CannedResponsesButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpen(true)} data-testid="canned-open">
        Canned responses
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Canned responses" size="lg">
        <CannedManager />
      </Modal>
    </>
  );
}

function CannedManager() {
  const { client, user } = useSession();
  const qc = useQueryClient();
  const items = useCannedResponses();
  const [scope, setScope] = useState<'personal' | 'org'>('personal');
  const [shortcut, setShortcut] = useState('');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The response being edited in the form below (null: the form adds a new one).
  const [editing, setEditing] = useState<CannedResponse | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: KEY });
  const fill = (c: CannedResponse | null) => {
    setEditing(c);
    setShortcut(c?.shortcut ?? '');
    setTitle(c?.title ?? '');
    setText(c?.text ?? '');
    setError(null);
  };
  const add = useMutation({
    mutationFn: () =>
      editing
        ? client.api.canned.update(editing.id, { shortcut, title, text })
        : client.api.canned.create({ scope, shortcut, title, text }),
    onSuccess: () => {
      fill(null);
      return refresh();
    },
    onError: (err) => setError(err instanceof Error ? err.message : 'Not saved'),
  });
  const remove = useMutation({ mutationFn: (id: string) => client.api.canned.remove(id), onSuccess: refresh });
  const canChange = (c: CannedResponse) => c.scope === 'personal' || MANAGES.has(user.role);
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Type <b>/</b> and the shortcut in a reply to insert one. Variables: {'{{customer.name}}'},{' '}
        {'{{customer.email}}'}, {'{{agent.name}}'}.
      </Text>
      <Table data-testid="canned-list">
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  /{c.shortcut}
                </Text>
                <Badge size="xs" variant="light" color={c.scope === 'org' ? 'blue' : 'gray'}>
                  {c.scope === 'org' ? 'team' : 'mine'}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{c.title}</Text>
                <Text size="xs" c="dimmed" lineClamp={2}>
                  {c.text}
                </Text>
              </Table.Td>
              <Table.Td>
                {canChange(c) && (
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="subtle" onClick={() => fill(c)} data-testid="canned-edit">
                      Edit
                    </Button>
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove.mutate(c.id)}>
                      Delete
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <Stack gap="xs">
          {editing && (
            <Text size="sm" fw={500}>
              Editing /{editing.shortcut}
            </Text>
          )}
          {MANAGES.has(user.role) && !editing && (
            <SegmentedControl
              size="xs"
              value={scope}
              onChange={(v) => setScope(v as 'personal' | 'org')}
              data={[
                { value: 'personal', label: 'Just for me' },
                { value: 'org', label: 'For the team' },
              ]}
            />
          )}
          <Group grow>
            <TextInput
              label="Shortcut"
              placeholder="refund"
              value={shortcut}
              onChange={(e) => setShortcut(e.currentTarget.value)}
            />
            <TextInput
              label="Name"
              placeholder="Refund timeline"
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
          </Group>
          <Textarea
            label="Text"
            autosize
            minRows={2}
            placeholder="Hi {{customer.name}}, refunds reach your card within 5 days."
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          {error && (
            <Text c="red" size="sm" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            {editing && (
              <Button variant="default" onClick={() => fill(null)}>
                Cancel
              </Button>
            )}
            <Button type="submit" loading={add.isPending} disabled={!shortcut.trim() || !title.trim() || !text.trim()}>
              {editing ? 'Save' : 'Add'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
