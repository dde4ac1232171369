import { ActionIcon, Box, Button, Group, Text, Textarea } from '@mantine/core';
import type { ChatMessage } from '@switchboard/sdk';
import { useEffect, useRef, useState } from 'react';
import { drafts, useSession } from '../session';
import { AttachButton } from './AttachButton';
import { matchingShortcuts, type Shortcut, ShortcutMenu } from './ShortcutMenu';

/**
 * Enter sends, Shift+Enter is a new line; the draft is kept per conversation (also across a session expiry).
 * With `shortcuts`, typing `/` offers them (canned responses in the console).
 */
export function Composer(props: {
  conversationId: string;
  replyTo: ChatMessage | null;
  onCancelReply(): void;
  onSent(): void;
  shortcuts?: readonly Shortcut[];
}) {
  const { conversationId, replyTo, onCancelReply, onSent } = props;
  const { client, user } = useSession();
  const [text, setText] = useState(() => drafts.get(user.id, conversationId));
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const offered = matchingShortcuts(text, props.shortcuts ?? []);
  const [selected, setSelected] = useState(0);
  // Focus on open and when a reply is chosen, so the user can type at once.
  const replyKey = replyTo?.clientMsgId;
  useEffect(() => {
    if (replyKey !== null) ref.current?.focus();
  }, [replyKey]);

  const change = (value: string) => {
    setText(value);
    setSelected(0);
    setError(null);
    drafts.set(user.id, conversationId, value);
    if (value) client.typing.keystroke(conversationId);
    else client.typing.stop(conversationId);
  };
  const send = () => {
    const body = text.trim();
    if (!body) return;
    try {
      client.send(conversationId, body, replyTo?.id ? { replyToId: replyTo.id } : {});
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The message could not be sent');
      return;
    }
    client.typing.stop(conversationId);
    setText('');
    drafts.set(user.id, conversationId, '');
    onSent();
  };

  return (
    <Box style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
      {replyTo && (
        <Group px="sm" pt="xs" gap="xs" wrap="nowrap" data-testid="replying-to">
          <Text size="xs" c="dimmed" truncate style={{ flex: 1 }}>
            Replying to: {replyTo.text}
          </Text>
          <ActionIcon size="sm" variant="subtle" color="gray" aria-label="Cancel reply" onClick={onCancelReply}>
            ✕
          </ActionIcon>
        </Group>
      )}
      <ShortcutMenu items={offered} selected={selected} onPick={(s) => change(s.text)} />
      <Group p="sm" gap="sm" align="flex-end" wrap="nowrap">
        <Textarea
          ref={ref}
          style={{ flex: 1 }}
          autosize
          minRows={1}
          maxRows={8}
          placeholder="Write a message… (Enter to send, Shift+Enter for a new line)"
          aria-label="Message"
          data-testid="composer"
          value={text}
          error={error}
          onChange={(e) => change(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (offered.length && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
              e.preventDefault();
              const step = e.key === 'ArrowDown' ? 1 : offered.length - 1;
              setSelected((i) => (i + step) % offered.length);
              return;
            }
            const pick = offered[selected];
            if (pick && (e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
              e.preventDefault();
              change(pick.text);
              return;
            }
            if (e.key === 'Escape' && replyTo) onCancelReply();
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        <AttachButton client={client} conversationId={conversationId} text={text.trim()} onSent={() => change('')} />
        <Button onClick={send} disabled={!text.trim()} data-testid="send">
          Send
        </Button>
      </Group>
    </Box>
  );
}
