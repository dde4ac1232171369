import { ActionIcon, Button, Group, Menu, Modal, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import type { ChatMessage } from '@switchboard/sdk';
import { useState } from 'react';
import { useSession } from '../session';

export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉'];

/** Reply, react, and (on my own stored messages) edit and delete. */
export function MessageActions({ m, mine, onReply }: { m: ChatMessage; mine: boolean; onReply(): void }) {
  const { client, user } = useSession();
  const [editing, setEditing] = useState(false);
  // Deleting cannot be undone (everyone in the conversation sees it go), so it asks first.
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [text, setText] = useState(m.text ?? '');
  const [error, setError] = useState<string | null>(null);
  if (!m.id || m.deletedAt) return null;
  const id = m.id;
  const react = (emoji: string) => {
    const on = !m.reactions.find((r) => r.emoji === emoji)?.userIds.includes(user.id);
    client.react(id, emoji, on).catch(() => {});
  };
  const save = async () => {
    try {
      await client.edit(id, text.trim());
      setEditing(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not save');
    }
  };
  return (
    <>
      <Menu position={mine ? 'bottom-end' : 'bottom-start'} withArrow>
        <Menu.Target>
          <Tooltip label="Message actions" withArrow openDelay={400}>
            <ActionIcon variant="subtle" color="gray" size="sm" aria-label="Message actions" className="msg-actions">
              ⋯
            </ActionIcon>
          </Tooltip>
        </Menu.Target>
        <Menu.Dropdown>
          <Group gap={2} px={4} py={2}>
            {QUICK_REACTIONS.map((e) => (
              <ActionIcon key={e} variant="subtle" onClick={() => react(e)} aria-label={`React ${e}`}>
                {e}
              </ActionIcon>
            ))}
          </Group>
          <Menu.Divider />
          <Menu.Item onClick={onReply}>Reply</Menu.Item>
          {mine && (
            <Menu.Item
              onClick={() => {
                setText(m.text ?? '');
                setEditing(true);
              }}
            >
              Edit
            </Menu.Item>
          )}
          {mine && (
            <Menu.Item color="red" onClick={() => setConfirmingDelete(true)}>
              Delete
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={confirmingDelete} onClose={() => setConfirmingDelete(false)} title="Delete message?">
        <Stack>
          <Text size="sm">The message is removed for everyone in this conversation. This cannot be undone.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmingDelete(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              onClick={() => {
                setConfirmingDelete(false);
                client.delete(id).catch(() => {});
              }}
            >
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={editing} onClose={() => setEditing(false)} title="Edit message">
        <Stack>
          <Textarea
            autosize
            minRows={2}
            value={text}
            error={error}
            onChange={(e) => setText(e.currentTarget.value)}
            aria-label="Message text"
          />
          <Button onClick={() => void save()} disabled={!text.trim()}>
            Save
          </Button>
        </Stack>
      </Modal>
    </>
  );
}
