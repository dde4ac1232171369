import { createHash } from 'node:crypto';
import type { AnswerStreamEvent, Message } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import type { PresenceService } from '../presence/presence.service.js';
import { usersService } from '../users/users.service.js';
import { aiSettings } from './ai-settings.js';
import type { SupportNotifier } from './support-notifier.js';
import { supportRouting } from './support-routing.js';
import { supportState } from './support-state.js';

export { DEFAULT_SETTINGS } from './ai-settings.js';
export type { ContactCenterChange } from './support-state.js';
export const REVIEWING_NOTICE = 'An agent is reviewing your answer';

/** A client message id derived from a source id: the AI's answer to one question is sent at most once. */
export function derivedMsgId(source: string): string {
  const h = createHash('sha256').update(`ai:${source}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The AI's user acting in its org: it answers customers as an agent would. */
export const aiActor = (orgId: string, aiUserId: string): Actor => ({
  userId: aiUserId,
  orgId,
  role: 'agent',
  sessionId: 'assistant',
  kind: 'user',
});

/**
 * What the assistant, the approval queue and handoff share, built from three parts: the org's AI settings
 * and the AI's user (`ai-settings.ts`), the state of support conversations with the outcome log
 * (`support-state.ts`), and who owns them (`support-routing.ts`). This file adds what people and the AI do
 * to a conversation: answer, type, take, transfer, resolve, reopen, rate. Messages go through the
 * messenger's service, never its tables.
 */
export function contactCenter(
  platform: Platform,
  notify: SupportNotifier,
  messenger: MessengerService,
  presence: PresenceService,
) {
  const users = usersService(platform);
  const settings = aiSettings(platform);
  const support = supportState(platform, notify, messenger);
  const routing = supportRouting(platform, notify, messenger, support, settings, presence);

  return {
    settingsRow: settings.settingsRow,
    toSettings: settings.toSettings,
    settings: settings.settings,
    updateSettings: settings.updateSettings,

    state: support.state,
    queuePosition: support.queuePosition,
    setStatus: support.setStatus,
    record: support.record,
    outcomes: support.outcomes,
    onHuman: support.onHuman,
    onChange: support.onChange,

    assignWaiting: routing.assignWaiting,
    release: routing.release,
    releaseAll: routing.releaseAll,
    requestHuman: routing.requestHuman,
    takesChats: routing.takesChats,
    setTakesChats: routing.setTakesChats,

    /**
     * Post `text` as `author` (the org's AI user, `aiActor`, or a staff member: an answer an agent edited is
     * theirs, and the customer sees their name), joining them to the conversation first; at most once per
     * `sourceId`.
     */
    async postAs(author: Actor, conversationId: string, text: string, sourceId: string): Promise<Message> {
      await messenger.support.addMember(author.orgId, conversationId, author.userId, author.userId);
      const { message } = await messenger.messages.send(author, conversationId, {
        clientMsgId: derivedMsgId(sourceId),
        text,
      });
      return message;
    },

    /** An AI answer being written (or taken back), to the conversation's members. */
    answerStream(event: AnswerStreamEvent): void {
      notify.answerStream(event);
    },

    /** "AI is typing": relayed like anyone's typing, as the AI's user (`aiActor`). */
    async aiTyping(ai: Actor, conversationId: string, on: boolean): Promise<void> {
      await messenger.support.addMember(ai.orgId, conversationId, ai.userId, ai.userId);
      await messenger.typing(ai, { conversationId, typing: on });
    },

    /** Staff take the conversation: they join it and it is theirs (`human_active`). */
    async take(actor: Actor, conversationId: string, agentId = actor.userId): Promise<void> {
      if (agentId !== actor.userId) {
        const target = await users.get(actor.orgId, agentId);
        if (target.role === 'customer' || !target.active)
          throw new AppError('bad_request', 'transfer to an active staff member');
      }
      await messenger.support.addMember(actor.orgId, conversationId, agentId, actor.userId);
      await support.setStatus(actor.orgId, conversationId, 'human_active', actor.userId, {
        assignedTo: agentId,
        requestedAt: null,
      });
      if (agentId !== actor.userId)
        await support.record(actor.orgId, conversationId, 'transferred', {
          actorId: actor.userId,
          data: { to: agentId },
        });
    },

    async resolve(actor: Actor, conversationId: string): Promise<void> {
      await support.setStatus(
        actor.orgId,
        conversationId,
        'resolved',
        actor.userId,
        { requestedAt: null },
        'How did we do? Rate this conversation from 1 to 5.',
      );
      await support.record(actor.orgId, conversationId, 'resolved', { actorId: actor.userId });
      await routing.assignWaiting(actor.orgId);
    },

    async reopen(actor: Actor, conversationId: string): Promise<void> {
      await support.setStatus(actor.orgId, conversationId, 'ai_active', actor.userId, {
        assignedTo: null,
        requestedAt: null,
      });
      await routing.assignWaiting(actor.orgId);
    },

    async csat(actor: Actor, conversationId: string, score: number): Promise<void> {
      await support.record(actor.orgId, conversationId, 'csat', { actorId: actor.userId, data: { score } });
    },
  };
}
export type ContactCenter = ReturnType<typeof contactCenter>;
