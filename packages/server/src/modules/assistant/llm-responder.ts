import { type LlmAnswer, LlmAnswerSchema } from '@switchboard/protocol';
import type { Registry } from 'prom-client';
import type { Config } from '../../config.js';
import { aiCounter, classifyAiError, languageModel, withRetries } from '../../platform/ai.js';
import type { RetrievalResult } from '../knowledge/lexical-index.js';
import { scoreConfidence } from './confidence.js';
import { builtinDraft, type Draft } from './responder.js';

const SYSTEM = [
  'You answer customer support questions using ONLY the numbered passages given.',
  'If the passages do not answer the question, set needs_human to true and confidence low.',
  'Cite the article ids of the passages you used in cited_ids. Never invent facts, links or prices.',
  'confidence is your probability (0 to 1) that the answer is correct and complete.',
  'Write the JSON fields in this order: confidence, needs_human, cited_ids, answer.',
  "Write the answer in the language of the customer's question, whatever the language of the passages.",
].join(' ');

/**
 * Where an answer may be streamed while it is written: `write` gets the whole text so far, and is called only
 * once the model's verdict (written before the answer) says this answer will be sent at `threshold`.
 */
export interface AnswerSink {
  threshold: number;
  write(textSoFar: string): void;
}

/** The model's verdict combined with the retrieval's: both must be high, and the answer must cite what was retrieved. */
function verdict(object: Omit<LlmAnswer, 'answer'>, retrieval: RetrievalResult) {
  const retrievalConfidence = scoreConfidence(retrieval).confidence;
  const retrieved = new Map(retrieval.hits.map((h) => [h.articleId, h]));
  const cited = object.cited_ids.flatMap((id) => {
    const h = retrieved.get(id);
    return h ? [{ articleId: h.articleId, title: h.title, passage: h.passage }] : [];
  });
  const uncited = cited.length === 0;
  const combined = Math.round(Math.sqrt(object.confidence * retrievalConfidence) * 1000) / 1000;
  return {
    confidence: uncited ? Math.min(combined, 0.2) : combined,
    reason: `LLM ${object.confidence.toFixed(2)} × retrieval ${retrievalConfidence.toFixed(2)}${uncited ? '; cites no retrieved article' : ''}${object.needs_human ? '; the model asks for a person' : ''}`,
    sources: cited,
    needsHuman: object.needs_human || uncited,
  };
}

/** The verdict, once the partial object holds all of it (the model has started the answer). */
function verdictSoFar(partial: Partial<LlmAnswer>, retrieval: RetrievalResult) {
  const { confidence, needs_human, cited_ids, answer } = partial;
  if (answer === undefined || typeof confidence !== 'number' || typeof needs_human !== 'boolean' || !cited_ids)
    return undefined;
  if (!cited_ids.every((id) => typeof id === 'string')) return undefined;
  return verdict({ confidence, needs_human, cited_ids }, retrieval);
}

/**
 * The LLM responder: a chat model (OpenAI-compatible or Anthropic, picked by `platform/ai.ts`) answers
 * from the retrieved passages only, as structured output. Its confidence is combined with the retrieval's (geometric mean: both must be high),
 * and an answer citing nothing that was retrieved goes to a person. A timeout, an HTTP error or output
 * that does not parse falls back (a transient HTTP error only after two retries with backoff) to the built-in responder (or to a person, `AI_FALLBACK=human`); every
 * call and fallback is counted (`ai_llm_requests_total{result}`, `ai_llm_fallbacks_total{to}`).
 */
export function llmResponder(ai: Config['ai'], registry: Registry) {
  const model = languageModel(ai);
  const requests = aiCounter(registry, 'ai_llm_requests_total', 'LLM responder calls by result', ['result']);
  const fallbacks = aiCounter(registry, 'ai_llm_fallbacks_total', 'LLM failures answered by the fallback', ['to']);
  const retries = aiCounter(registry, 'ai_llm_retries_total', 'LLM calls retried after a transient error', []);

  return {
    /** Draft an answer; with a `sink`, an answer that will be sent is streamed to it while it is written. */
    async draft(question: string, retrieval: RetrievalResult, sink?: AnswerSink): Promise<Draft> {
      const builtin = builtinDraft(retrieval);
      // Nothing retrieved: there is nothing the model may answer from.
      if (!retrieval.hits.length) return builtin;
      const passages = retrieval.hits
        .slice(0, 4)
        .map((h, i) => `[${i + 1}] article ${h.articleId} — ${h.title}\n${h.passage}`)
        .join('\n\n');
      let streaming = false;
      try {
        const object = await withRetries(
          async () => {
            const { streamObject } = await import('ai');
            const result = streamObject({
              model: await model(),
              schema: LlmAnswerSchema,
              system: SYSTEM,
              prompt: `Passages:\n\n${passages}\n\nCustomer question: ${question}`,
              abortSignal: AbortSignal.timeout(ai.timeoutMs),
              maxOutputTokens: 1024,
              maxRetries: 0,
              // Errors are read from the stream below (and counted); the SDK would also print each one.
              onError: () => {},
            });
            for await (const part of result.fullStream) {
              if (part.type === 'error') throw part.error;
              if (part.type !== 'object' || !sink) continue;
              const partial = part.object as Partial<LlmAnswer>;
              if (!streaming) {
                const v = verdictSoFar(partial, retrieval);
                streaming = v !== undefined && !v.needsHuman && v.confidence >= sink.threshold;
              }
              if (streaming && partial.answer) sink.write(partial.answer);
            }
            return await result.object;
          },
          // Once the customer has seen part of an answer, a retry would write a different one over it.
          { onRetry: () => retries.inc(), canRetry: () => !streaming },
        );
        requests.inc({ result: 'ok' });
        return { text: object.answer, ...verdict(object, retrieval), responder: 'llm' };
      } catch (err) {
        const result = classifyAiError(err);
        requests.inc({ result });
        fallbacks.inc({ to: ai.fallback });
        if (ai.fallback === 'human')
          return { ...builtin, confidence: 0, needsHuman: true, reason: `LLM ${result}; a person answers` };
        return { ...builtin, reason: `LLM ${result}; built-in answer: ${builtin.reason}` };
      }
    },
  };
}
export type LlmResponder = ReturnType<typeof llmResponder>;
