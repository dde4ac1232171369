import { Button, Group, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { drafts, useSession } from '../session';

/** Enter sends, Shift+Enter is a new line; the draft is kept per conversation (also across a session expiry). */
export function Composer({ conversationId, onSent }: { conversationId: string; onSent(): void }) {
  const { client, user } = useSession();
  const [text, setText] = useState(() => drafts.get(user.id, conversationId));
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);

  const change = (value: string) => {
    setText(value);
    setError(null);
    drafts.set(user.id, conversationId, value);
    if (value) client.typing.keystroke(conversationId);
    else client.typing.stop(conversationId);
  };
  const send = () => {
    const body = text.trim();
    if (!body) return;
    try {
      client.send(conversationId, body);
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
    <Group
      p="sm"
      gap="sm"
      align="flex-end"
      wrap="nowrap"
      style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
    >
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
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <Button onClick={send} disabled={!text.trim()} data-testid="send">
        Send
      </Button>
    </Group>
  );
}
