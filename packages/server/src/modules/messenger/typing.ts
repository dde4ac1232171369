import { TYPING_TTL_MS } from '@switchboard/protocol';
import type { MessengerNotifier } from './notifier.js';

/**
 * Typing indicators: relayed, never stored. A start that is not refreshed within the TTL is ended by the
 * server, so a client that vanished mid-sentence does not type forever. Timers live in this process: in a
 * cluster the stop may come from another node's timer, which is harmless (stop is idempotent on clients).
 */
export function typingRelay(notifier: MessengerNotifier, ttlMs = TYPING_TTL_MS) {
  const timers = new Map<string, NodeJS.Timeout>();
  const key = (conversationId: string, userId: string) => `${conversationId}:${userId}`;

  function stop(conversationId: string, userId: string): void {
    const k = key(conversationId, userId);
    const t = timers.get(k);
    if (!t) return;
    clearTimeout(t);
    timers.delete(k);
    notifier.typing({ conversationId, userId, typing: false });
  }

  return {
    set(conversationId: string, userId: string, typing: boolean): void {
      if (!typing) {
        stop(conversationId, userId);
        return;
      }
      const k = key(conversationId, userId);
      clearTimeout(timers.get(k));
      const t = setTimeout(() => stop(conversationId, userId), ttlMs);
      t.unref();
      timers.set(k, t);
      notifier.typing({ conversationId, userId, typing: true });
    },
    /** Someone typing has just sent: their indicator ends with the message. */
    sent(conversationId: string, userId: string): void {
      stop(conversationId, userId);
    },
    close(): void {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
export type TypingRelay = ReturnType<typeof typingRelay>;
