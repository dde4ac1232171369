import type { Typing } from '@switchboard/protocol';
import { TypingSchema } from '@switchboard/protocol';
import type { Actor } from '../../http/access.js';
import type { Platform } from '../../platform/platform.js';
import { conversationsService } from './conversations.service.js';
import { messagesService } from './messages.service.js';
import { requireMember } from './messenger.shared.js';
import type { MessengerNotifier } from './notifier.js';
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
  const deps = { platform, notifier };
  const typing = typingRelay(notifier);
  const messages = messagesService(deps);
  return {
    conversations: conversationsService(deps),
    messages: {
      ...messages,
      async send(...args: Parameters<typeof messages.send>) {
        const result = await messages.send(...args);
        if (!result.duplicate) typing.sent(args[1], args[0].userId);
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
