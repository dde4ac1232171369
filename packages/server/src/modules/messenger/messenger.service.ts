import type { Message, Typing } from '@switchboard/protocol';
import { TypingSchema } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import type { Platform } from '../../platform/platform.js';
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
  const messages = messagesService(deps);
  const metrics = messengerMetrics(platform.metrics.registry);
  // Other modules (the assistant) hear stored messages here instead of reading the messenger's tables.
  const sentListeners = new Set<(actor: Actor, message: Message) => void>();
  const leftListeners = new Set<(orgId: string, conversationId: string, userId: string) => void>();
  deps.memberLeft = (orgId, conversationId, userId) => {
    for (const l of leftListeners) l(orgId, conversationId, userId);
  };
  return {
    support: supportService(deps),
    /** Hear every newly stored message (not duplicates), after commit. Returns the unsubscribe. */
    onMessageStored(listener: (actor: Actor, message: Message) => void): () => void {
      sentListeners.add(listener);
      return () => sentListeners.delete(listener);
    },
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
        const result = await messages.send(...args);
        endTimer();
        metrics.messages.inc({ result: result.duplicate ? 'duplicate' : 'created' });
        if (!result.duplicate) {
          typing.sent(args[1], args[0].userId);
          for (const l of sentListeners) l(args[0], result.message);
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
    close(): void {
      typing.close();
    },
  };
}
export type MessengerService = ReturnType<typeof messengerService>;
