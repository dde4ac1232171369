import { Anchor, Group, Image, Stack, Text } from '@mantine/core';
import type { Attachment } from '@switchboard/protocol';
import type { ChatMessage, SwitchboardClient } from '@switchboard/sdk';
import { useQuery } from '@tanstack/react-query';
import { saveFile } from '../save-file';
import { PaperclipIcon } from './AttachButton';

function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A blob as a data: URL: the app's CSP allows data: images (not blob:). Thumbnails are a few KB. */
function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** An image's 300 px thumbnail, fetched with the session's token (an <img src> could not send it). */
function Thumbnail({ a, client }: { a: Attachment; client: SwitchboardClient }) {
  const { data: url, isError } = useQuery({
    queryKey: ['file-thumbnail', a.id],
    staleTime: Number.POSITIVE_INFINITY,
    // Thumbnails are made by a background task: `file_not_ready` for a moment after the upload.
    retry: 60,
    retryDelay: 500,
    queryFn: async () => dataUrl(await client.api.files.thumbnail(a.id, 300)),
  });
  if (isError)
    return (
      <Text size="xs" c="dimmed">
        Preview unavailable
      </Text>
    );
  if (!url)
    return (
      <Text size="xs" c="dimmed">
        Loading preview…
      </Text>
    );
  return <Image src={url} alt={a.name} maw={240} radius="sm" data-testid="attachment-thumbnail" />;
}

/** Save a file: fetched with the token, handed to the browser as a download under its original name. */
async function download(client: SwitchboardClient, a: Attachment) {
  saveFile(await client.api.files.download(a.id), a.name);
}

/**
 * A message's files: thumbnails for images, name and size for documents. Names are always plain text. Used by
 * the messenger, the console and the widget (each passes its own client).
 */
export function Attachments({ m, client }: { m: ChatMessage; client: SwitchboardClient }) {
  const list = (m as ChatMessage & { attachments?: Attachment[] }).attachments;
  if (!list?.length || m.deletedAt) return null;
  return (
    <Stack gap={4} mt={4} data-testid="attachments">
      {list.map((a) => (
        <Stack key={a.id} gap={2} data-testid="attachment" data-kind={a.kind}>
          {a.kind === 'image' && <Thumbnail a={a} client={client} />}
          <Group gap={6} wrap="nowrap">
            <PaperclipIcon size={12} />
            <Anchor
              component="button"
              type="button"
              size="xs"
              data-testid="attachment-name"
              onClick={() => void download(client, a).catch(() => {})}
            >
              {a.name}
            </Anchor>
            <Text size="xs" c="dimmed">
              {sizeOf(a.size)}
            </Text>
          </Group>
        </Stack>
      ))}
    </Stack>
  );
}
