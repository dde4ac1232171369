import type { EmbeddingModel, LanguageModel } from 'ai';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../config.js';

/**
 * The AI providers behind the `ai` SDK, chosen from the configuration: the responder and the retrieval
 * code see a `LanguageModel` / `EmbeddingModel` and never which wire protocol is behind it.
 */

/** How one call to a model ended, for `*_requests_total{result}`. */
export type AiCallResult = 'ok' | 'timeout' | 'error' | 'malformed';

/** Whether the configuration names an LLM (OpenAI-compatible needs a base URL; Anthropic has a default). */
export function llmConfigured(ai: Config['ai']): boolean {
  return Boolean(ai.model && (ai.provider === 'anthropic' || ai.baseUrl));
}

/** `load` once, on the first call: the AI SDK loads when a model is first used, not at every start. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load();
    return loading;
  };
}

/**
 * The chat model of the configured provider, loaded on first use (the configuration is checked now). The
 * API key is always passed explicitly: the Anthropic provider would otherwise read ANTHROPIC_API_KEY from
 * the environment behind config.ts's back.
 */
export function languageModel(ai: Config['ai']): () => Promise<LanguageModel> {
  const { model, apiKey, baseUrl } = ai;
  if (!llmConfigured(ai) || !model) throw new Error('no LLM configured (AI_PROVIDER, AI_BASE_URL, AI_MODEL)');
  if (ai.provider === 'anthropic') {
    if (!apiKey) throw new Error('AI_PROVIDER=anthropic needs AI_API_KEY');
    return once(async () => {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({ apiKey, ...(baseUrl ? { baseURL: baseUrl } : {}) })(model);
    });
  }
  return once(async () => {
    const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
    return createOpenAICompatible({ name: 'switchboard-llm', baseURL: baseUrl ?? '', apiKey })(model);
  });
}

/** The OpenAI-compatible `/embeddings` model for hybrid retrieval (loaded on first use), when one is configured. */
export function embeddingModel(ai: Config['ai']): (() => Promise<EmbeddingModel<string>>) | undefined {
  const e = ai.embedding;
  if (!e) return undefined;
  return once(async () => {
    const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
    return createOpenAICompatible({
      name: 'switchboard-embeddings',
      baseURL: e.baseUrl,
      apiKey: e.apiKey,
    }).textEmbeddingModel(e.model);
  });
}

/** A failed model call by kind: an abort is our timeout, a response that does not parse is malformed. */
export function classifyAiError(err: unknown): AiCallResult {
  const e = err as { name?: string; cause?: { name?: string } };
  const names = [e?.name, e?.cause?.name].filter(Boolean).join(' ');
  if (/Abort|Timeout/.test(names)) return 'timeout';
  if (/NoObjectGenerated|TypeValidation|JSONParse|InvalidResponseData/.test(names)) return 'malformed';
  return 'error';
}

/** The registry's counter of that name, created on first use (several services share one registry). */
export function aiCounter(registry: Registry, name: string, help: string, labelNames: string[]): Counter<string> {
  return (
    (registry.getSingleMetric(name) as Counter<string> | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] })
  );
}

/** Attempts per model call: a failed call is retried twice, after 250 ms and 500 ms. */
export const AI_ATTEMPTS = 3;
const RETRY_BASE_MS = 250;

/**
 * Run a model call, retrying with exponential backoff when the failure is transient: an HTTP error the
 * provider marks retryable (5xx, 429) or a network error. A timeout is not retried (the customer is
 * already waiting `AI_TIMEOUT_MS`), nor is a malformed answer or a 4xx (they would come back the same).
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  opts: { attempts?: number; baseMs?: number; onRetry?: () => void; canRetry?: () => boolean } = {},
): Promise<T> {
  const attempts = opts.attempts ?? AI_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const retryable = classifyAiError(err) === 'error' && (err as { isRetryable?: boolean }).isRetryable !== false;
      if (!retryable || attempt >= attempts || opts.canRetry?.() === false) throw err;
      opts.onRetry?.();
      await new Promise((r) => setTimeout(r, (opts.baseMs ?? RETRY_BASE_MS) * 2 ** (attempt - 1)));
    }
  }
}
