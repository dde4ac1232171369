import type { Message } from '@switchboard/protocol';
import { z } from 'zod';
import type { Actor } from '../../actor.js';
import type { Platform } from '../../platform/platform.js';
import type { ApprovalsService } from '../approvals/approvals.service.js';
import { knowledgeService } from '../knowledge/knowledge.service.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import { aiActor, type ContactCenter } from './contact-center.js';
import { asksForHuman } from './human-request.js';
import type { AnswerSink, LlmResponder } from './llm-responder.js';
import { applyFloor, builtinDraft, type Draft } from './responder.js';

export const DRAFT_TASK = 'assistant.draft';
export const DraftTaskSchema = z.object({
  orgId: z.string(),
  conversationId: z.string(),
  messageId: z.string(),
  text: z.string(),
  at: z.number(),
});

/**
 * The assistant: hears each customer message in a support conversation and, unless a person already has
 * it, drafts an answer in a task (retrieve → draft → confidence), then sends it or queues it for approval.
 */
export function assistantService(
  platform: Platform,
  messenger: MessengerService,
  cc: ContactCenter,
  approvals: ApprovalsService,
  llm?: LlmResponder,
) {
  const kb = knowledgeService(platform);
  const draftAnswer = async (orgId: string, text: string, sink?: AnswerSink): Promise<Draft> => {
    const retrieval = await kb.retrieve(orgId, text);
    return llm ? llm.draft(text, retrieval, sink) : builtinDraft(retrieval);
  };
  /** A person has the conversation (requested or active): the AI stays out of it. */
  const humanOwns = async (orgId: string, conversationId: string): Promise<boolean> => {
    const { status } = await cc.state(orgId, conversationId);
    return status === 'human_active' || status === 'human_requested';
  };

  return {
    draftAnswer,

    /** After a customer's message is stored: hand off, or submit the draft task. */
    async onCustomerMessage(actor: Actor, message: Message): Promise<void> {
      const conversation = await messenger.support.get(actor.orgId, message.conversationId).catch(() => undefined);
      if (!conversation || message.text === null) return;
      if (await humanOwns(actor.orgId, message.conversationId)) return;
      if (asksForHuman(message.text)) {
        await cc.requestHuman(actor.orgId, message.conversationId, actor.userId, 'handed_off');
        return;
      }
      const settings = await cc.settings(actor.orgId);
      if (!settings.enabled) return;
      await platform.jobs.submit({
        type: DRAFT_TASK,
        orgId: actor.orgId,
        payload: {
          orgId: actor.orgId,
          conversationId: message.conversationId,
          messageId: message.id,
          text: message.text,
          at: message.createdAt,
        },
        idempotencyKey: `draft:${message.id}`,
        priority: 10,
      });
    },

    /**
     * The task: draft with "AI is typing" shown, then route on the org's threshold (the settings are read once per draft). An
     * LLM answer that will be sent is streamed to the conversation while it is written.
     */
    async runDraft(p: z.infer<typeof DraftTaskSchema>): Promise<'sent' | 'queued' | 'skipped'> {
      if (await humanOwns(p.orgId, p.conversationId)) return 'skipped';
      const row = await cc.settingsRow(p.orgId);
      const settings = cc.toSettings(row);
      const ai = aiActor(p.orgId, row.aiUserId);
      const stream = answerStream(cc, p.conversationId, p.messageId, settings.threshold);
      await cc.aiTyping(ai, p.conversationId, true);
      let draft: Draft;
      try {
        draft = await draftAnswer(p.orgId, p.text, stream.sink);
      } finally {
        await cc.aiTyping(ai, p.conversationId, false);
      }
      // Drafting takes seconds with an LLM: the customer may have asked for a person meanwhile, and then
      // neither an AI answer nor an approval item may move the conversation away from them.
      const sending = draft.confidence >= settings.threshold && !draft.needsHuman;
      if (await humanOwns(p.orgId, p.conversationId)) {
        stream.discard();
        return 'skipped';
      }
      if (!sending) stream.discard();
      if (sending) {
        await cc.postAs(ai, p.conversationId, draft.text, p.messageId);
        await cc.setStatus(p.orgId, p.conversationId, 'ai_active', ai.userId);
        await cc.record(p.orgId, p.conversationId, 'auto_sent', {
          confidence: draft.confidence,
          latencyMs: platform.clock.now() - p.at,
          data: { responder: draft.responder, reason: draft.reason, sources: draft.sources.map((s) => s.articleId) },
        });
        return 'sent';
      }
      await approvals.create(
        p.orgId,
        { conversationId: p.conversationId, messageId: p.messageId, text: p.text, at: p.at },
        applyFloor(draft),
        { aiUserId: row.aiUserId, approvalTimeoutMs: settings.approvalTimeoutMs },
      );
      return 'queued';
    },
  };
}
export type AssistantService = ReturnType<typeof assistantService>;

/** Stream previews at most this often: a model writes a token every few ms, a reader needs far fewer updates. */
const STREAM_EVERY_MS = 50;

/** The sink an LLM answer streams into (`support.answer_stream`), throttled, and its retraction. */
function answerStream(cc: ContactCenter, conversationId: string, replyTo: string, threshold: number) {
  let last = 0;
  let written = false;
  const sink: AnswerSink = {
    threshold,
    write(text) {
      const now = Date.now();
      if (now - last < STREAM_EVERY_MS) return;
      last = now;
      written = true;
      cc.answerStream({ conversationId, replyTo, state: 'writing', text });
    },
  };
  return {
    sink,
    /** The streamed answer will not be sent: take the preview away. */
    discard() {
      if (written) cc.answerStream({ conversationId, replyTo, state: 'discarded', text: '' });
    },
  };
}
