import type { SupportStatus } from '@switchboard/protocol';
import type { ChatMessage, SwitchboardClient } from '@switchboard/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';

export interface SupportView {
  status: SupportStatus;
  queuePosition: number | null;
  assignedTo: string | null;
  notice: string | null;
  /** From the state endpoint (status pushes do not carry them). */
  aiUserId?: string;
  staffLabel?: 'agent' | 'team';
}

/**
 * The name the widget shows for a sender: the AI's own name for the AI user, "Support team" for any person
 * when the org chose so, else the person's name.
 */
export function senderName(id: string, support: SupportView | null, names: Record<string, string>): string {
  if (support?.aiUserId && id === support.aiUserId) return names[id] ?? 'AI assistant';
  if (support?.staffLabel === 'team') return 'Support team';
  return names[id] ?? 'Support';
}

/**
 * The widget's view after a read of the state endpoint. A read that started before the latest status push may
 * answer with the state the push replaced (the push overtook the response): then only what pushes do not carry
 * (the AI's user id, the staff label) is taken from it.
 */
export function withStateRead(
  prev: SupportView | null,
  read: Omit<SupportView, 'notice'>,
  pushedSinceReadStarted: boolean,
): SupportView {
  if (prev && pushedSinceReadStarted) {
    return {
      ...prev,
      ...(read.aiUserId ? { aiUserId: read.aiUserId } : {}),
      ...(read.staffLabel ? { staffLabel: read.staffLabel } : {}),
    };
  }
  return { ...read, notice: prev?.status === read.status ? prev.notice : null };
}

const fromServer = (m: {
  id: string;
  seq: number;
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  text: string | null;
  replyToId: string | null;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
  reactions: ChatMessage['reactions'];
}): ChatMessage => ({ ...m, state: 'sent' });

/**
 * One support conversation as the customer sees it: history merged with the SDK's live store (optimistic
 * sends included), the contact-center status pushed over the socket (`support.status`), who is typing, and
 * display names of the others (the AI assistant, the agent).
 */
export function useSupportChat(client: SwitchboardClient, conversationId: string | null, me: string) {
  const [history, setHistory] = useState<ChatMessage[]>([]);
  const [live, setLive] = useState<ChatMessage[]>([]);
  const [support, setSupport] = useState<SupportView | null>(null);
  const [typing, setTyping] = useState<Set<string>>(new Set());
  const [names, setNames] = useState<Record<string, string>>({});
  /** An AI answer being written (whole text so far), keyed by the question it answers. */
  const [writing, setWriting] = useState<{ replyTo: string; text: string } | null>(null);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  /** Status pushes heard so far: a state read compares it before and after (`withStateRead`). */
  const pushes = useRef(0);

  const refreshState = useCallback(async () => {
    if (!conversationId) return;
    const before = pushes.current;
    const s = await client.api.support.state(conversationId).catch(() => null);
    if (s) setSupport((prev) => withStateRead(prev, s, pushes.current !== before));
  }, [client, conversationId]);

  useEffect(() => {
    if (!conversationId) return;
    setLive(client.messages(conversationId));
    client.api.messages
      .history(conversationId, { limit: 100 })
      .then((page) => setHistory(page.items.map(fromServer)))
      .catch(() => {});
    void refreshState();
  }, [client, conversationId, refreshState]);

  useEffect(
    () =>
      client.subscribe('widget', (e) => {
        if (e.type === 'message' && e.conversationId === conversationId) {
          setLive(client.messages(conversationId));
          // The stored answer replaces its preview.
          if (e.message.senderId !== me) setWriting(null);
        }
        if (e.type === 'support.answer_stream' && e.event.conversationId === conversationId) {
          const { replyTo, state, text } = e.event;
          setWriting(state === 'writing' ? { replyTo, text } : null);
        }
        if (e.type === 'conversation.reset' && e.conversationId === conversationId)
          setLive(client.messages(conversationId));
        if (e.type === 'support.status' && e.event.conversationId === conversationId) {
          pushes.current++;
          const ev = e.event;
          setSupport((prev) => ({
            ...(prev?.aiUserId ? { aiUserId: prev.aiUserId } : {}),
            ...(prev?.staffLabel ? { staffLabel: prev.staffLabel } : {}),
            status: ev.status,
            queuePosition: ev.queuePosition ?? null,
            assignedTo: ev.assignedTo ?? null,
            notice: ev.notice ?? null,
          }));
        }
        // After a reconnect the status may have moved while we were away.
        if (e.type === 'connection' && e.state === 'websocket') void refreshState();
        if (e.type === 'typing' && e.event.conversationId === conversationId && e.event.userId !== me) {
          const { userId, typing: on } = e.event;
          const old = timers.current.get(userId);
          if (old) clearTimeout(old);
          setTyping((t) => {
            const next = new Set(t);
            if (on) next.add(userId);
            else next.delete(userId);
            return next;
          });
          // A lost "stopped typing" must not leave the indicator on forever.
          if (on)
            timers.current.set(
              userId,
              setTimeout(() => setTyping((t) => new Set([...t].filter((u) => u !== userId))), 6000),
            );
        }
      }),
    [client, conversationId, me, refreshState],
  );

  const byKey = new Map<string, ChatMessage>();
  for (const m of history) byKey.set(m.clientMsgId, m);
  for (const m of live) byKey.set(m.clientMsgId, m);
  const messages = [...byKey.values()].sort(
    (a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER) || a.createdAt - b.createdAt,
  );

  // Names of the others in the chat (AI assistant, agent), looked up once each.
  const assigned = support?.assignedTo ? [support.assignedTo] : [];
  const others = [...new Set([...messages.map((m) => m.senderId), ...typing, ...assigned])].filter(
    (u) => u !== me && !names[u],
  );
  const othersKey = others.join(',');
  useEffect(() => {
    if (!othersKey) return;
    for (const id of othersKey.split(',')) {
      client.presence
        .get(id)
        .then((p) => setNames((n) => ({ ...n, [id]: p.username })))
        .catch(() => setNames((n) => ({ ...n, [id]: 'Support' })));
    }
  }, [client, othersKey]);

  const nameOf = (id: string) => senderName(id, support, names);
  return { messages, support, typing: [...typing], names, nameOf, writing: writing?.text ?? null, refreshState };
}
