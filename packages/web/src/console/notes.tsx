import { Box, Button, Group, Text, Textarea } from '@mantine/core';
import type { SupportNote } from '@switchboard/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Markdown } from '../components/Markdown';
import { timeOf } from '../format';
import { useClientEvents } from '../hooks';
import { useSession } from '../session';
import { useName } from './data';

/** A support conversation's private notes and AI summaries, kept live by `support.note`. */
export function useNotes(conversationId: string): SupportNote[] {
  const { client } = useSession();
  const qc = useQueryClient();
  const notes = useQuery({
    queryKey: ['console', 'notes', conversationId],
    queryFn: () => client.api.support.notes(conversationId),
  });
  useClientEvents((e) => {
    if (e.type === 'support.note' && e.note.conversationId === conversationId)
      void qc.invalidateQueries({ queryKey: ['console', 'notes', conversationId] });
  });
  return notes.data ?? [];
}

/** One note in the conversation's timeline: yellow, labelled, never mistaken for a message to the customer. */
export function NoteItem({ note }: { note: SupportNote }) {
  const author = useName(note.authorId);
  return (
    <Box style={{ alignSelf: 'stretch' }} data-testid={note.kind === 'summary' ? 'console-summary' : 'console-note'}>
      <Text size="xs" c="dimmed">
        {note.kind === 'summary' ? 'AI summary for the team' : `Private note · ${author ?? 'Staff'}`} ·{' '}
        {timeOf(note.createdAt)}
      </Text>
      <Text
        size="sm"
        px="sm"
        py={6}
        style={{
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
          borderRadius: 10,
          background: 'var(--mantine-color-yellow-light)',
          border: '1px dashed var(--mantine-color-yellow-filled)',
        }}
      >
        <Markdown text={note.text} />
      </Text>
    </Box>
  );
}

/** Write a private note: staff see it, the customer never does. */
export function NoteComposer({ conversationId }: { conversationId: string }) {
  const { client } = useSession();
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const save = () => {
    if (!text.trim() || saving) return;
    setSaving(true);
    client.api.support
      .addNote(conversationId, { text })
      .then(() => {
        setText('');
        setError(null);
        return qc.invalidateQueries({ queryKey: ['console', 'notes', conversationId] });
      })
      .catch((err) => setError(err instanceof Error ? err.message : 'The note was not saved'))
      .finally(() => setSaving(false));
  };
  return (
    <Box p="sm" style={{ background: 'var(--mantine-color-yellow-light)' }}>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <Textarea
          style={{ flex: 1 }}
          autosize
          minRows={1}
          maxRows={6}
          maxLength={5000}
          placeholder="Private note for the team — the customer never sees it"
          aria-label="Private note"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              save();
            }
          }}
        />
        <Button color="yellow" onClick={save} loading={saving} disabled={!text.trim()}>
          Add note
        </Button>
      </Group>
      {error && (
        <Text c="red" size="xs" mt={4}>
          {error}
        </Text>
      )}
    </Box>
  );
}
