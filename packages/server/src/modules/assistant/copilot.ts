import type {
  CopilotRewrite,
  CopilotSuggest,
  CopilotSuggestion,
  CopilotText,
  CopilotTranslate,
  RewriteStyle,
} from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import { aiCounter, classifyAiError, languageModel, llmConfigured, withRetries } from '../../platform/ai.js';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import { applyFloor, type Draft } from './responder.js';

/** Messages of the conversation a summary reads (the newest ones). */
const SUMMARY_MESSAGES = 60;

const STYLE: Record<RewriteStyle, string> = {
  shorter: 'Rewrite the text shorter, keeping every fact, instruction and link. Same language.',
  friendlier: 'Rewrite the text in a warmer, friendlier tone, keeping every fact, instruction and link. Same language.',
  grammar: 'Fix spelling, grammar and punctuation only. Change nothing else. Same language.',
};
const ONLY_TEXT = 'Answer with the resulting text only: no preamble, no quotes, no explanation.';

/**
 * The agent's copilot on a support conversation, whoever has it (the AI, a queue or a person): a reply
 * suggested from the knowledge base (the same responder as the AI's drafts, built-in or LLM, with the same
 * floor), and, with an LLM configured, rewrite, translate and a summary of the conversation. Without an LLM
 * those three answer `llm_not_configured`; an LLM that fails after its retries answers `llm_failed`.
 * Nothing here sends a message: the agent decides what to send.
 */
export function copilotService(
  platform: Platform,
  messenger: MessengerService,
  draftAnswer: (orgId: string, question: string) => Promise<Draft>,
) {
  const ai = platform.config.ai;
  const model = llmConfigured(ai) ? languageModel(ai) : undefined;
  const requests = aiCounter(platform.metrics.registry, 'ai_copilot_requests_total', 'Copilot LLM calls', [
    'task',
    'result',
  ]);

  /** Said right after the conversation is found (another org's is `not_found` first), before anything else. */
  function requireLlm(task: string) {
    if (!model || !ai.model)
      throw new AppError('llm_not_configured', `${task} needs an LLM: set AI_PROVIDER, AI_BASE_URL and AI_MODEL`);
    return { model, name: ai.model };
  }

  async function llmText(task: string, system: string, prompt: string): Promise<CopilotText> {
    const { model, name } = requireLlm(task);
    try {
      const { generateText } = await import('ai');
      const resolved = await model();
      const { text } = await withRetries(() =>
        generateText({
          model: resolved,
          system: `${system} ${ONLY_TEXT}`,
          prompt,
          abortSignal: AbortSignal.timeout(ai.timeoutMs),
          maxOutputTokens: 1024,
          maxRetries: 0,
        }),
      );
      requests.inc({ task, result: 'ok' });
      return { text: text.trim(), model: name };
    } catch (err) {
      const result = classifyAiError(err);
      requests.inc({ task, result });
      throw new AppError('llm_failed', `the LLM did not answer the ${task} (${result})`);
    }
  }

  return {
    /** A reply from the knowledge base to the customer's latest message (or to `question`). */
    async suggest(actor: Actor, conversationId: string, body: CopilotSuggest): Promise<CopilotSuggestion> {
      const conversation = await messenger.support.get(actor.orgId, conversationId);
      let question = body.question;
      if (!question) {
        // Newest first: the customer's latest message with text.
        const { items } = await messenger.support.history(actor.orgId, conversationId, { limit: 50 });
        question = items.find((m) => m.senderId === conversation.createdBy && m.text && !m.deletedAt)?.text ?? '';
      }
      if (!question) throw new AppError('conflict', 'the customer has not asked anything yet: pass a question');
      const draft = applyFloor(await draftAnswer(actor.orgId, question));
      return {
        question,
        text: draft.text,
        confidence: draft.confidence,
        noAnswer: draft.text === '',
        responder: draft.responder,
        sources: draft.sources,
      };
    },

    async rewrite(actor: Actor, conversationId: string, body: CopilotRewrite): Promise<CopilotText> {
      await messenger.support.get(actor.orgId, conversationId);
      return llmText('rewrite', STYLE[body.style], body.text);
    },

    async translate(actor: Actor, conversationId: string, body: CopilotTranslate): Promise<CopilotText> {
      await messenger.support.get(actor.orgId, conversationId);
      return llmText(
        'translation',
        `Translate the text into the language "${body.language}", keeping its meaning, tone, links and formatting.`,
        body.text,
      );
    },

    /** A few lines on what the customer wants, what was tried and what is open: for a handoff or transfer. */
    async summarise(actor: Actor, conversationId: string): Promise<CopilotText> {
      const conversation = await messenger.support.get(actor.orgId, conversationId);
      requireLlm('summary');
      const { items } = await messenger.support.history(actor.orgId, conversationId, { limit: SUMMARY_MESSAGES });
      const transcript = items
        .filter((m) => m.text && !m.deletedAt)
        .reverse()
        .map((m) => `${m.senderId === conversation.createdBy ? 'Customer' : 'Support'}: ${m.text}`)
        .join('\n');
      if (!transcript) throw new AppError('conflict', 'the conversation has no messages to summarise');
      return llmText(
        'summary',
        'Summarise this support conversation for a colleague taking it over, in at most five short lines: ' +
          "what the customer wants, what was already answered or tried, and what is still open. Use the transcript's language.",
        transcript,
      );
    },
  };
}
export type CopilotService = ReturnType<typeof copilotService>;
