import type { Message, Typing } from '@switchboard/protocol';
import { TypingSchema } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import type { Platform } from '../../platform/platform.js';
import { afterCommitWork, type Needs, type StoredIn } from './after-commit.js';
import { conversationsService } from './conversations.service.js';
import { messagesService } from './messages.service.js';
import { messengerMetrics } from './messenger.metrics.js';
import { type AttachmentHooks, type MessengerDeps, requireMember } from './messenger.shared.js';
import type { MessengerNotifier } from './notifier.js';
import { supportService } from './support.service.js';
import { syncService } from './sync.service.js';
import { typingRelay } from './typing.js';

/**
 * The messenger as transports see it: one object whose functions serve REST and socket alike. `notifier`
 * receives what was committed (the socket implementation fans it out); tests pass a recording one.
 *
 * @example
 * ```ts
 * const messenger = messengerService(platform, socketNotifier(io));
 * const { message } = await messenger.messages.send(actor, conversationId, { clientMsgId, text: 'hi' });
 * ```
 */
export function messengerService(platform: Platform, notifier: MessengerNotifier) {
  const deps: MessengerDeps = { platform, notifier };
  const typing = typingRelay(notifier);
  // Other modules (the assistant) hear stored messages here instead of reading the messenger's tables; the
  // work is durable through the outbox (after-commit.ts).
  const afterCommit = afterCommitWork(platform);
  deps.outboxDone = afterCommit.done;
  deps.outboxNeeded = afterCommit.durable;
  const messages = messagesService(deps);
  const metrics = messengerMetrics(platform.metrics.registry);
  const leftListeners = new Set<(orgId: string, conversationId: string, userId: string) => void>();
  deps.memberLeft = (orgId, conversationId, userId) => {
    for (const l of leftListeners) l(orgId, conversationId, userId);
  };
  return {
    support: supportService(deps),
    /**
     * Hear every newly stored message (not duplicates), after commit. With `replay: true` the listener is run
     * again for a message whose after-commit work a crash interrupted, so it must be idempotent on the message
     * id; `needs` (asked for each send, before its transaction) keeps it, and the message's outbox row, off the messages it has no
     * work for (after-commit.ts). Returns the unsubscribe.
     */
    onMessageStored(
      listener: (actor: Actor, message: Message, conversation: StoredIn) => void | Promise<void>,
      opts: { replay: boolean; needs?: Needs } = { replay: false },
    ): () => void {
      return afterCommit.listen(listener, opts);
    },
    /** Redo interrupted after-commit work (at start and every few seconds; see after-commit.ts). */
    drainAfterCommit: () => afterCommit.drain(),
    /** Hear every member who left or was removed from a conversation, after commit. Returns the unsubscribe. */
    onMemberLeft(listener: (orgId: string, conversationId: string, userId: string) => void): () => void {
      leftListeners.add(listener);
      return () => leftListeners.delete(listener);
    },
    conversations: conversationsService(deps),
    /** The files module plugs in here: sends may then carry attachments (issue 13). */
    useAttachments(hooks: AttachmentHooks): void {
      deps.attachments = hooks;
    },
    messages: {
      ...messages,
      async send(...args: Parameters<typeof messages.send>) {
        const endTimer = metrics.sendDuration.startTimer();
        const { conversationKind, recorded, ...result } = await messages.send(...args);
        endTimer();
        metrics.messages.inc({ result: result.duplicate ? 'duplicate' : 'created' });
        if (!result.duplicate && conversationKind) {
          typing.sent(args[1], args[0].userId);
          // A test-only fault point: die as a crash would, after the commit and before any follow-up work.
          if (platform.config.faultPoints.includes('after-message-commit')) process.kill(process.pid, 'SIGKILL');
          // Not awaited: the ack waits for the commit only; the outbox row keeps the follow-up work durable.
          afterCommit.stored(args[0], result.message, { kind: conversationKind }, recorded).catch(() => {});
        }
        return result;
      },
    },
    sync: syncService(deps),
    /** Relay typing to the other members; non-members get `not_found`. */
    async typing(actor: Actor, input: Typing): Promise<null> {
      const { conversationId, typing: on } = TypingSchema.parse(input);
      await requireMember(platform.database.db, actor, conversationId);
      typing.set(conversationId, actor.userId, on);
      return null;
    },
    /** Let the after-commit work in flight finish (its outbox rows cover a crash, not a clean close), end timers. */
    async close(): Promise<void> {
      await afterCommit.idle();
      typing.close();
    },
  };
}
export type MessengerService = ReturnType<typeof messengerService>;
