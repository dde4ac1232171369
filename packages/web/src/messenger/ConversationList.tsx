import { Avatar, Badge, Box, Group, Loader, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import type { ConversationSummary } from '@switchboard/protocol';
import { Link } from 'react-router';
import { plainText } from '../components/markdown';
import { UserPresenceDot } from '../components/Presence';
import { initials, timeOf } from '../format';
import { useSession } from '../session';
import { useConversations, useConversationTitle, useOtherMember } from './data';

function Row({ c, active }: { c: ConversationSummary; active: boolean }) {
  const { user } = useSession();
  const title = useConversationTitle(c);
  const other = useOtherMember(c);
  const last = c.lastMessage;
  const preview = !last ? 'No messages yet' : last.deletedAt ? 'Message deleted' : plainText(last.text ?? '');
  return (
    <UnstyledButton
      component={Link}
      to={`/messenger/${c.id}`}
      aria-current={active ? 'page' : undefined}
      data-testid="conversation-row"
      data-conversation-id={c.id}
      p="sm"
      style={{
        display: 'block',
        borderRadius: 8,
        background: active ? 'var(--mantine-color-blue-light)' : undefined,
      }}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Box pos="relative">
          <Avatar radius="xl" color={c.kind === 'group' ? 'grape' : 'blue'}>
            {initials(title)}
          </Avatar>
          {other && (
            <Box pos="absolute" right={-2} bottom={-2}>
              <UserPresenceDot userId={other} />
            </Box>
          )}
        </Box>
        <Box style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Text size="sm" fw={c.unreadCount ? 700 : 500} truncate data-testid="conversation-title">
              {title}
            </Text>
            <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
              {timeOf(c.lastActivityAt)}
            </Text>
          </Group>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Text size="xs" c="dimmed" truncate data-testid="conversation-preview">
              {last && last.senderId === user.id ? 'You: ' : ''}
              {preview}
            </Text>
            {c.unreadCount > 0 && (
              <Badge
                size="sm"
                circle={c.unreadCount < 10}
                data-testid="unread-badge"
                aria-label={`${c.unreadCount} unread`}
              >
                {c.unreadCount > 99 ? '99+' : c.unreadCount}
              </Badge>
            )}
          </Group>
        </Box>
      </Group>
    </UnstyledButton>
  );
}

export function ConversationList({ activeId }: { activeId: string | undefined }) {
  const { items, isLoading, error, hasNextPage, fetchNextPage, isFetchingNextPage } = useConversations();
  return (
    <ScrollArea
      h="100%"
      type="auto"
      onBottomReached={() => {
        if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
      }}
    >
      <Stack gap={2} p="xs" component="nav" aria-label="Conversations">
        {isLoading && <Loader size="sm" m="md" />}
        {error && (
          <Text c="red" size="sm" p="sm">
            Conversations could not be loaded.
          </Text>
        )}
        {!isLoading && !error && items.length === 0 && (
          <Text c="dimmed" size="sm" p="sm">
            No conversations yet. Start one with “New”.
          </Text>
        )}
        {items.map((c) => (
          <Row key={c.id} c={c} active={c.id === activeId} />
        ))}
        {isFetchingNextPage && <Loader size="xs" m="sm" />}
      </Stack>
    </ScrollArea>
  );
}
