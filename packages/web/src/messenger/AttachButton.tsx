import { ActionIcon, Text, Tooltip } from '@mantine/core';
import type { SwitchboardClient } from '@switchboard/sdk';
import { useRef, useState } from 'react';

/** A paperclip drawn inline (no icon font or emoji font needed). */
export function PaperclipIcon({ size = 18 }: { size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      aria-hidden="true"
    >
      <path d="M21 11.5l-8.5 8.5a5 5 0 01-7-7l9-9a3.5 3.5 0 015 5l-9 9a2 2 0 01-3-3l8-8" strokeLinecap="round" />
    </svg>
  );
}

/** What the picker offers; the server still decides the type from the content. */
const ACCEPT = 'image/png,image/jpeg,image/webp,image/gif,application/pdf,.docx,text/plain,.txt,.md,.csv,.log';

/**
 * A paperclip: pick a file, upload it to the conversation, and send it in a message whose text is what
 * the composer holds (or the file's name). Errors (too large, refused type) show beside it as text.
 */
export function AttachButton(props: {
  client: SwitchboardClient;
  conversationId: string;
  text: string;
  onSent(): void;
}) {
  const { client } = props;
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const meta = await client.api.files.upload(props.conversationId, file);
      // Through the outbox, like any message: shown at once, retried across disconnects, stored once.
      client.send(props.conversationId, props.text || meta.name, { attachments: [meta.id] });
      props.onSent();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The file could not be sent');
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <>
      <input
        ref={input}
        type="file"
        hidden
        accept={ACCEPT}
        data-testid="attach-input"
        onChange={(e) => void pick(e.currentTarget.files?.[0])}
      />
      <Tooltip label="Attach a file" withArrow>
        <ActionIcon
          variant="subtle"
          size="lg"
          loading={busy}
          aria-label="Attach a file"
          data-testid="attach"
          onClick={() => input.current?.click()}
        >
          <PaperclipIcon />
        </ActionIcon>
      </Tooltip>
      {error && (
        <Text size="xs" c="red" data-testid="attach-error" maw={160}>
          {error}
        </Text>
      )}
    </>
  );
}
