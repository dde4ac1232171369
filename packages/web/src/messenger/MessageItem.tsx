import { Badge, Box, Button, Group, Text, Tooltip } from '@mantine/core';
import type { ChatMessage } from '@switchboard/sdk';
import { Markdown } from '../components/Markdown';
import { timeOf } from '../format';
import { usePresence } from '../hooks';
import { useSession } from '../session';
import { Attachments } from './Attachments';
import { MessageActions } from './MessageActions';

/** ✓ sent, ✓✓ read (with "read by N" in groups), a clock while sending, retry when failed. */
function Ticks({ m, readBy, group, onRetry }: { m: ChatMessage; readBy: number; group: boolean; onRetry(): void }) {
  if (m.state === 'failed') {
    return (
      <Group gap={4} data-testid="tick" data-state="failed">
        <Text size="xs" c="red">
          Not sent
        </Text>
        <Button size="compact-xs" variant="light" color="red" onClick={onRetry}>
          Retry
        </Button>
      </Group>
    );
  }
  if (m.state === 'sending') {
    return (
      <Text size="xs" c="dimmed" fs="italic" data-testid="tick" data-state="sending">
        Sending…
      </Text>
    );
  }
  const read = readBy > 0 || m.state === 'read';
  const label = read ? (group ? `Read by ${readBy}` : 'Read') : 'Sent';
  return (
    <Tooltip label={label} withArrow>
      <Text
        size="xs"
        c={read ? 'blue' : 'dimmed'}
        data-testid="tick"
        data-state={read ? 'read' : 'sent'}
        aria-label={label}
      >
        {read ? '✓✓' : '✓'}
        {read && group ? ` read by ${readBy}` : ''}
      </Text>
    </Tooltip>
  );
}

function SenderName({ userId }: { userId: string }) {
  const { data } = usePresence(userId);
  return (
    <Text size="xs" fw={600} c="dimmed" data-testid="sender-name">
      {/* Blank (one line high) while the look-up is under way; "Unknown user" once it found nobody. */}
      {data === undefined ? '\u00a0' : (data?.username ?? 'Unknown user')}
    </Text>
  );
}

export function MessageItem(props: {
  m: ChatMessage;
  mine: boolean;
  /** First of a run of one sender's messages within 5 minutes: shows the name. */
  first: boolean;
  readBy: number;
  group: boolean;
  /** The message this one answers, when it is loaded. */
  replyTo: ChatMessage | undefined;
  onRetry(): void;
  onReply(): void;
}) {
  const { m, mine, first, replyTo } = props;
  const { client, user } = useSession();
  return (
    <Box
      data-testid="message"
      data-mine={mine}
      data-state={m.state}
      px="md"
      pt={first ? 8 : 2}
      style={{ display: 'flex', flexDirection: 'column', alignItems: mine ? 'flex-end' : 'flex-start' }}
    >
      {first && !mine && <SenderName userId={m.senderId} />}
      <Group
        gap={4}
        wrap="nowrap"
        align="center"
        className="msg-row"
        maw="75%"
        style={{ flexDirection: mine ? 'row-reverse' : 'row' }}
      >
        <Box
          px="sm"
          py={6}
          style={{
            borderRadius: 12,
            background: mine ? 'var(--mantine-color-blue-1)' : 'var(--mantine-color-gray-1)',
            opacity: m.state === 'sending' ? 0.75 : 1,
          }}
        >
          {replyTo && (
            <Text
              size="xs"
              c="dimmed"
              lineClamp={2}
              mb={4}
              pl={6}
              style={{ borderLeft: '2px solid var(--mantine-color-gray-4)' }}
            >
              {replyTo.deletedAt ? 'Message deleted' : replyTo.text}
            </Text>
          )}
          {m.deletedAt ? (
            <Text size="sm" fs="italic" c="dimmed">
              Message deleted
            </Text>
          ) : (
            <Text size="sm" component="div" className="msg-text" data-testid="message-text">
              <Markdown text={m.text ?? ''} />
            </Text>
          )}
          <Attachments m={m} client={client} />
          <Group gap={6} justify="flex-end" mt={2} wrap="nowrap">
            {m.editedAt && (
              <Text size="xs" c="dimmed">
                edited
              </Text>
            )}
            <Text size="xs" c="dimmed">
              {timeOf(m.createdAt)}
            </Text>
            {mine && <Ticks {...props} />}
          </Group>
          {m.reactions.length > 0 && !m.deletedAt && (
            <Group gap={4} mt={4}>
              {m.reactions.map((r) => (
                <Badge
                  component="button"
                  type="button"
                  aria-pressed={r.userIds.includes(user.id)}
                  key={r.emoji}
                  variant={r.userIds.includes(user.id) ? 'light' : 'outline'}
                  color="gray"
                  style={{ cursor: 'pointer', textTransform: 'none' }}
                  onClick={() => m.id && client.react(m.id, r.emoji, !r.userIds.includes(user.id)).catch(() => {})}
                  aria-label={`${r.emoji} ${r.count}`}
                >
                  {r.emoji} {r.count}
                </Badge>
              ))}
            </Group>
          )}
        </Box>
        <MessageActions m={m} mine={mine} onReply={props.onReply} />
      </Group>
    </Box>
  );
}
