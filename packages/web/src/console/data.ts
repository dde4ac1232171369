import type { Approval, Message, SupportInboxItem, SupportStatus } from '@switchboard/protocol';
import type { ChatMessage } from '@switchboard/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useClientEvents } from '../hooks';
import { useSession } from '../session';

/** The inbox tabs, in keyboard order (1–4). */
export const TABS = [
  { id: 'approval', label: 'Needs approval', key: '1' },
  { id: 'requested', label: 'Human requested', key: '2' },
  { id: 'mine', label: 'Mine', key: '3' },
  { id: 'all', label: 'All', key: '4' },
] as const;
export type TabId = (typeof TABS)[number]['id'];

export const STATUS_LABEL: Record<SupportStatus, { label: string; color: string }> = {
  ai_active: { label: 'AI answering', color: 'blue' },
  pending_approval: { label: 'Needs approval', color: 'yellow' },
  human_requested: { label: 'Human requested', color: 'orange' },
  human_active: { label: 'With an agent', color: 'green' },
  resolved: { label: 'Resolved', color: 'gray' },
};

/**
 * Everything the console lists: the inbox per tab and the pending approvals, kept live. Any
 * `conversation.status` or approval push refetches (the server's list is the truth; pushes only say "changed").
 */
export function useConsoleData() {
  const { client } = useSession();
  const qc = useQueryClient();
  const inbox = useQuery({
    queryKey: ['console', 'inbox'],
    queryFn: () => client.api.support.inbox({ limit: 200 }),
    staleTime: 5_000,
  });
  const approvals = useQuery({
    queryKey: ['console', 'approvals'],
    queryFn: () => client.api.approvals.pending(),
    staleTime: 5_000,
  });
  useClientEvents((e) => {
    if (e.type === 'support.status' || e.type === 'approval') void qc.invalidateQueries({ queryKey: ['console'] });
    if (e.type === 'support.labels') void qc.invalidateQueries({ queryKey: ['console', 'inbox'] });
    if (e.type === 'message' && e.change === 'added') void qc.invalidateQueries({ queryKey: ['console', 'inbox'] });
    // Missed pushes while disconnected: catch up once the socket is back.
    if (e.type === 'connection' && e.state === 'websocket') void qc.invalidateQueries({ queryKey: ['console'] });
  });
  const me = useSession().user.id;
  const items = inbox.data?.items ?? [];
  const pending = approvals.data?.items ?? [];
  const lists: Record<TabId, SupportInboxItem[]> = {
    approval: items.filter((i) => pending.some((a) => a.conversationId === i.conversation.id)),
    requested: items.filter((i) => i.status === 'human_requested'),
    mine: items.filter((i) => i.assignedTo === me && i.status !== 'resolved'),
    all: items,
  };
  return { inbox, approvals, lists, pending, load: inbox.data?.me };
}

/** The pending approval of a conversation (the oldest, if several). */
export const approvalOf = (pending: Approval[], conversationId: string | undefined) =>
  pending.find((a) => a.conversationId === conversationId);

/**
 * A support conversation's messages for staff: the staff history endpoint (works before joining), merged with
 * the SDK's live store once I am a member (my sends appear at once), refreshed on every push about it.
 */
export function useSupportMessages(conversationId: string | undefined, member: boolean) {
  const { client } = useSession();
  const history = useQuery({
    queryKey: ['console', 'history', conversationId],
    enabled: !!conversationId,
    queryFn: () => client.api.support.history(conversationId as string, { limit: 100 }),
    // Not a member: no message pushes reach me, so look again now and then.
    refetchInterval: member ? false : 5_000,
  });
  const [live, setLive] = useState<ChatMessage[]>([]);
  useEffect(() => setLive(conversationId ? client.messages(conversationId) : []), [client, conversationId]);
  useClientEvents((e) => {
    if ((e.type === 'message' || e.type === 'conversation.reset') && e.conversationId === conversationId)
      setLive(client.messages(conversationId));
  });
  return useMemo(() => {
    const byKey = new Map<string, ChatMessage>();
    const server = [...(history.data?.items ?? [])].sort((a, b) => a.seq - b.seq);
    for (const m of server) byKey.set(m.clientMsgId, fromServer(m));
    for (const m of live) byKey.set(m.clientMsgId, m);
    return [...byKey.values()].sort(
      (a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER) || a.createdAt - b.createdAt,
    );
  }, [history.data, live]);
}

const fromServer = (m: Message): ChatMessage => ({ ...m, state: 'sent' });

/** Names of people by id, from presence (cached by the shell's presence sync). */
export function useName(userId: string | null | undefined): string | undefined {
  const { client } = useSession();
  const q = useQuery({
    queryKey: ['presence', userId],
    enabled: !!userId,
    staleTime: 60_000,
    queryFn: () => client.presence.get(userId as string).catch(() => null),
  });
  return q.data?.username;
}
