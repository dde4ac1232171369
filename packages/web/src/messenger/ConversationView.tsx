import { Box, Center, Divider, Group, Loader, Stack, Text, Title } from '@mantine/core';
import type { ChatMessage } from '@switchboard/sdk';
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { presenceLabel, UserPresenceDot } from '../components/Presence';
import { dayOf } from '../format';
import { useNow, usePresence } from '../hooks';
import { useSession } from '../session';
import { Composer } from './Composer';
import { useConversation, useConversationTitle, useMessages, useTyping } from './data';
import { MessageItem } from './MessageItem';

const GROUP_MS = 5 * 60_000;
const NEAR_BOTTOM_PX = 60;

function TypingLine({ userIds }: { userIds: string[] }) {
  const first = usePresence(userIds[0]).data?.username ?? 'Someone';
  if (!userIds.length) return <Box h={20} />;
  const who = userIds.length === 1 ? first : `${first} and ${userIds.length - 1} more`;
  return (
    <Text size="xs" c="dimmed" px="md" h={20} data-testid="typing" aria-live="polite">
      {who} {userIds.length === 1 ? 'is' : 'are'} typing…
    </Text>
  );
}

function Header({ conversationId }: { conversationId: string }) {
  const { user } = useSession();
  const { data: c } = useConversation(conversationId);
  const title = useConversationTitle(c);
  const other = c?.kind === 'direct' ? c.members.find((m) => m.userId !== user.id)?.userId : undefined;
  const { data: presence } = usePresence(other);
  const now = useNow();
  return (
    <Group
      px="md"
      py="sm"
      gap="sm"
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      wrap="nowrap"
    >
      {other && <UserPresenceDot userId={other} />}
      <div style={{ minWidth: 0 }}>
        <Title order={2} size="h5" data-testid="conversation-header" lineClamp={1}>
          {title}
        </Title>
        <Text size="xs" c="dimmed">
          {other ? presenceLabel(presence, now) : c ? `${c.members.length} members` : ''}
        </Text>
      </div>
    </Group>
  );
}

export function ConversationView({ conversationId }: { conversationId: string }) {
  const { client, user } = useSession();
  const { data: conversation } = useConversation(conversationId);
  const { messages, history } = useMessages(conversationId);
  const typing = useTyping(conversationId);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const prevHeight = useRef<number | null>(null);
  const group = conversation?.kind === 'group';
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  const byId = useMemo(() => new Map(messages.filter((m) => m.id).map((m) => [m.id as string, m])), [messages]);

  const others = conversation?.members.filter((m) => m.userId !== user.id) ?? [];
  const readBy = (m: ChatMessage) => (m.seq === null ? 0 : others.filter((o) => o.lastReadSeq >= (m.seq ?? 0)).length);

  const scrollToBottom = useCallback(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  // Older messages were prepended: keep what the user was looking at in place. Otherwise stick to the bottom
  // while the user is there (new messages, typing line), and leave them alone when they scrolled up.
  const firstKey = messages[0]?.clientMsgId;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the rendered list changes, by design
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (prevHeight.current !== null) {
      el.scrollTop += el.scrollHeight - prevHeight.current;
      prevHeight.current = null;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages.length, firstKey, typing.length]);

  // Content also grows without a new message (names and reactions load, fonts settle): stay at the bottom.
  const content = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = scroller.current;
    const inner = content.current;
    if (!el || !inner) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current && prevHeight.current === null) el.scrollTop = el.scrollHeight;
    });
    observer.observe(inner);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (el.scrollTop < 120 && history.hasNextPage && !history.isFetchingNextPage) {
      prevHeight.current = el.scrollHeight;
      void history.fetchNextPage();
    }
  };

  // Read up to the newest stored message while the conversation is on screen.
  const lastSeq = messages.reduce((max, m) => Math.max(max, m.seq ?? 0), 0);
  useEffect(() => {
    if (!lastSeq) return;
    const mark = () => {
      if (document.visibilityState === 'visible') client.markRead(conversationId, lastSeq).catch(() => {});
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [client, conversationId, lastSeq]);

  return (
    <Stack h="100%" gap={0}>
      <Header conversationId={conversationId} />
      <Box
        ref={scroller}
        onScroll={onScroll}
        style={{ flex: 1, overflowY: 'auto' }}
        data-testid="message-list"
        role="log"
        aria-label="Messages"
        tabIndex={0}
      >
        <div ref={content}>
          {history.isFetchingNextPage && (
            <Center p="xs">
              <Loader size="xs" />
            </Center>
          )}
          {((!history.hasNextPage && !history.isLoading) || messages[0]?.seq === 1) && (
            <Text ta="center" size="xs" c="dimmed" py="md">
              This is the beginning of the conversation.
            </Text>
          )}
          {history.isLoading && (
            <Center p="xl">
              <Loader size="sm" />
            </Center>
          )}
          {messages.map((m, i) => {
            const prev = messages[i - 1];
            const newDay = !prev || dayOf(prev.createdAt) !== dayOf(m.createdAt);
            const first = newDay || !prev || prev.senderId !== m.senderId || m.createdAt - prev.createdAt > GROUP_MS;
            return (
              <Fragment key={m.clientMsgId}>
                {newDay && (
                  <Divider
                    my="sm"
                    mx="md"
                    label={dayOf(m.createdAt)}
                    labelPosition="center"
                    data-testid="day-separator"
                  />
                )}
                <MessageItem
                  m={m}
                  mine={m.senderId === user.id}
                  first={first}
                  readBy={readBy(m)}
                  group={group}
                  replyTo={m.replyToId ? byId.get(m.replyToId) : undefined}
                  onReply={() => setReplyTo(m)}
                  onRetry={() => {
                    client.retry(m.clientMsgId);
                  }}
                />
              </Fragment>
            );
          })}
          <Box h={8} />
        </div>
      </Box>
      <TypingLine userIds={typing} />
      <Composer
        conversationId={conversationId}
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(null)}
        onSent={() => {
          setReplyTo(null);
          atBottom.current = true;
          requestAnimationFrame(scrollToBottom);
        }}
      />
    </Stack>
  );
}
