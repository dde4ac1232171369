import { Group, Stack, Text, Title } from '@mantine/core';
import type { ChatMessage } from '@switchboard/sdk';
import { useEffect, useRef, useState } from 'react';
import { presenceLabel, UserPresenceDot } from '../components/Presence';
import { useNow, usePresence } from '../hooks';
import { useSession } from '../session';
import { Composer } from './Composer';
import { useConversation, useConversationTitle, useMessages, useTyping } from './data';
import { MessageList, type MessageListHandle } from './MessageList';
import { TypingLine } from './TypingLine';

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
  const list = useRef<MessageListHandle>(null);
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);

  const others = conversation?.members.filter((m) => m.userId !== user.id) ?? [];
  const readBy = (m: ChatMessage) => (m.seq === null ? 0 : others.filter((o) => o.lastReadSeq >= (m.seq ?? 0)).length);

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
      <MessageList
        ref={list}
        messages={messages}
        myId={user.id}
        group={conversation?.kind === 'group'}
        hasOlder={history.hasNextPage}
        loadingOlder={history.isFetchingNextPage}
        loading={history.isLoading}
        loadOlder={() => void history.fetchNextPage()}
        readBy={readBy}
        onReply={setReplyTo}
        onRetry={(m) => client.retry(m.clientMsgId)}
      />
      <TypingLine userIds={typing} />
      <Composer
        conversationId={conversationId}
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(null)}
        onSent={() => {
          setReplyTo(null);
          requestAnimationFrame(() => list.current?.scrollToEnd());
        }}
      />
    </Stack>
  );
}
