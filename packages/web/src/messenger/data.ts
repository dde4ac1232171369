import type { Conversation, ConversationSummary, Message } from '@switchboard/protocol';
import type { ChatMessage } from '@switchboard/sdk';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useClientEvents, usePresence } from '../hooks';
import { useSession } from '../session';

/** My conversations, newest activity first, paged; refetched (coalesced) on every live change. */
export function useConversations() {
  const { client } = useSession();
  const qc = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const query = useInfiniteQuery({
    queryKey: ['conversations'],
    initialPageParam: undefined as string | undefined,
    // Support conversations are worked in the agent console, not listed as untitled rows here.
    queryFn: ({ pageParam }) => client.api.conversations.list({ limit: 30, cursor: pageParam, scope: 'messenger' }),
    getNextPageParam: (last) => last.nextCursor,
  });
  useClientEvents((e) => {
    const relevant =
      (e.type === 'message' && e.message.seq !== null) ||
      e.type === 'conversation' ||
      e.type === 'conversation.removed' ||
      e.type === 'read.state' ||
      (e.type === 'connection' && e.state === 'websocket');
    if (!relevant) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void qc.invalidateQueries({ queryKey: ['conversations'] }), 150);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  return { ...query, items };
}

/** One conversation with its members (and their read positions). */
export function useConversation(id: string | undefined) {
  const { client } = useSession();
  const qc = useQueryClient();
  useClientEvents((e) => {
    if (!id) return;
    if (e.type === 'conversation' && e.event.conversationId === id)
      void qc.invalidateQueries({ queryKey: ['conversation', id] });
    if (e.type === 'read.receipt' && e.receipt.conversationId === id) {
      qc.setQueryData<Conversation>(['conversation', id], (c) =>
        c
          ? {
              ...c,
              members: c.members.map((m) =>
                m.userId === e.receipt.readerId
                  ? { ...m, lastReadSeq: Math.max(m.lastReadSeq, e.receipt.lastReadSeq) }
                  : m,
              ),
            }
          : c,
      );
    }
  });
  return useQuery({
    queryKey: ['conversation', id],
    enabled: !!id,
    staleTime: 60_000,
    queryFn: () => client.api.conversations.get(id as string),
  });
}

/** The other person of a direct conversation, else undefined. */
export function useOtherMember(c: Pick<ConversationSummary, 'id' | 'kind'> | undefined): string | undefined {
  const { user } = useSession();
  const { data } = useConversation(c?.kind === 'direct' ? c.id : undefined);
  return data?.members.find((m) => m.userId !== user.id)?.userId;
}

export function useConversationTitle(c: Pick<ConversationSummary, 'id' | 'kind' | 'name'> | undefined): string {
  const other = useOtherMember(c);
  const { data: p } = usePresence(other);
  if (!c) return '';
  if (c.name) return c.name;
  // "Unknown user" only once the look-up found nobody (null), not while it is under way (undefined).
  if (c.kind === 'direct') return p ? p.username : p === null && other ? 'Unknown user' : 'Direct message';
  if (c.kind === 'support') return 'Support';
  return 'Group';
}

/**
 * A conversation's messages: pages of history (older on demand) merged with the SDK's live store (sends,
 * events, sync), one entry per message (by clientMsgId), stored ones by seq, unsent ones last.
 */
export function useMessages(conversationId: string) {
  const { client } = useSession();
  const history = useInfiniteQuery({
    queryKey: ['history', conversationId],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => client.api.messages.history(conversationId, { limit: 50, before: pageParam }),
    // The oldest message of the page, whatever order the page lists them in (the server sends newest first).
    getNextPageParam: (page) =>
      page.hasMore && page.items.length ? Math.min(...page.items.map((m) => m.seq)) : undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [live, setLive] = useState<ChatMessage[]>(() => client.messages(conversationId));
  useEffect(() => setLive(client.messages(conversationId)), [client, conversationId]);
  useClientEvents((e) => {
    if (
      (e.type === 'message' && e.conversationId === conversationId) ||
      (e.type === 'conversation.reset' && e.conversationId === conversationId)
    )
      setLive(client.messages(conversationId));
  });
  const messages = useMemo(() => {
    const byKey = new Map<string, ChatMessage>();
    for (const page of history.data?.pages ?? []) for (const m of page.items) byKey.set(m.clientMsgId, fromServer(m));
    for (const m of live) byKey.set(m.clientMsgId, m);
    return [...byKey.values()].sort((a, b) => {
      if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
      if (a.seq !== null) return -1;
      if (b.seq !== null) return 1;
      return a.createdAt - b.createdAt;
    });
  }, [history.data, live]);
  return { messages, history };
}

function fromServer(m: Message): ChatMessage {
  return { ...m, state: 'sent' };
}

/** Who is typing in a conversation (not me), each entry expiring on its own if the "stopped" signal is lost. */
export function useTyping(conversationId: string): string[] {
  const { user } = useSession();
  const [typing, setTyping] = useState<Record<string, number>>({});
  useClientEvents((e) => {
    if (e.type === 'message' && e.conversationId === conversationId && e.change === 'added') {
      // A message from someone ends their typing.
      setTyping((t) => {
        const { [e.message.senderId]: _, ...rest } = t;
        return rest;
      });
    }
    if (e.type !== 'typing' || e.event.conversationId !== conversationId || e.event.userId === user.id) return;
    const { userId, typing: on } = e.event;
    setTyping((t) => {
      const { [userId]: _, ...rest } = t;
      return on ? { ...rest, [userId]: Date.now() + 6_000 } : rest;
    });
  });
  useEffect(() => {
    const ids = Object.keys(typing);
    if (!ids.length) return;
    const t = setInterval(() => {
      const now = Date.now();
      setTyping((cur) => Object.fromEntries(Object.entries(cur).filter(([, until]) => until > now)));
    }, 1_000);
    return () => clearInterval(t);
  }, [typing]);
  return Object.keys(typing);
}
