import { createHash } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { Config } from '../../config.js';
import { aiCounter, classifyAiError, embeddingModel } from '../../platform/ai.js';
import { chunk, plainText } from './text.js';

/** The task that (re-)embeds one article's passages after it changed. */
export const EMBED_TASK = 'knowledge.embed';

/** One passage to embed: its text (title + plain passage) and its content address. */
export interface PassageInput {
  hash: string;
  text: string;
}

/**
 * The passages of an article as the embedding model sees them: the same chunks the responder quotes,
 * each prefixed by the title (a passage alone often does not say what it is about). The hash covers the
 * model too, so vectors of two models are never compared.
 */
export function passageInputs(article: { title: string; body: string }, model: string): PassageInput[] {
  return chunk(article.body).map((c) => {
    const text = `${article.title}\n\n${plainText(c)}`;
    return {
      text,
      hash: createHash('sha256').update(model).update('\0').update(text).digest('base64url').slice(0, 32),
    };
  });
}

/** Float32 little-endian as base64: portable text for both databases. */
export function encodeVector(v: readonly number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => {
    buf.writeFloatLE(x, i * 4);
  });
  return buf.toString('base64');
}

/** Decoded and scaled to unit length, so a dot product is the cosine similarity. */
export function decodeVector(text: string): Float32Array {
  const buf = Buffer.from(text, 'base64');
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return normalize(out);
}

export function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / norm;
  return v;
}

/**
 * The embedding client (OpenAI-compatible `/embeddings` through the `ai` SDK), or `undefined` when no
 * embedding model is configured. A question that cannot be embedded (timeout, HTTP error, a reply that
 * does not parse) is answered from the lexical index alone; passages that cannot be embedded fail their
 * task, which retries. Every call is counted: `ai_embedding_requests_total{kind=query|passages,result}`,
 * and each question served lexically for that reason in `ai_embedding_fallbacks_total`.
 */
export function embedder(ai: Config['ai'], registry: Registry) {
  const model = embeddingModel(ai);
  if (!model || !ai.embedding) return undefined;
  const modelName = ai.embedding.model;
  const requests = aiCounter(registry, 'ai_embedding_requests_total', 'Embedding calls by kind and result', [
    'kind',
    'result',
  ]);
  const fallbacks = aiCounter(
    registry,
    'ai_embedding_fallbacks_total',
    'Questions retrieved lexically because the embedding call failed',
    [],
  );
  const options = async () => ({ model: await model(), abortSignal: AbortSignal.timeout(ai.timeoutMs), maxRetries: 0 });

  return {
    model: modelName,

    /** The question's unit vector, or `undefined` when the endpoint failed (counted; lexical only). */
    async embedQuery(question: string): Promise<Float32Array | undefined> {
      try {
        const { embed } = await import('ai');
        const { embedding } = await embed({ ...(await options()), value: question });
        if (!embedding.length) throw Object.assign(new Error('empty embedding'), { name: 'InvalidResponseData' });
        requests.inc({ kind: 'query', result: 'ok' });
        return normalize(Float32Array.from(embedding));
      } catch (err) {
        requests.inc({ kind: 'query', result: classifyAiError(err) });
        fallbacks.inc();
        return undefined;
      }
    },

    /** Vectors for `texts`, in order; throws (counted) so the task retries. */
    async embedPassages(texts: readonly string[]): Promise<number[][]> {
      try {
        const { embedMany } = await import('ai');
        const { embeddings } = await embedMany({ ...(await options()), values: [...texts] });
        if (embeddings.length !== texts.length || embeddings.some((e) => !e.length))
          throw Object.assign(new Error('embedding count or size mismatch'), { name: 'InvalidResponseData' });
        requests.inc({ kind: 'passages', result: 'ok' });
        return embeddings;
      } catch (err) {
        requests.inc({ kind: 'passages', result: classifyAiError(err) });
        throw err;
      }
    },
  };
}
export type Embedder = NonNullable<ReturnType<typeof embedder>>;
