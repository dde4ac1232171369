import type { RetrievalResult } from '../knowledge/lexical-index.js';
import { scoreConfidence, type Weights } from './confidence.js';

export interface DraftSource {
  articleId: string;
  title: string;
  passage: string;
}

/** What a responder produces for one customer question. */
export interface Draft {
  text: string;
  /** In [0, 1]; routed against the org's threshold. */
  confidence: number;
  reason: string;
  sources: DraftSource[];
  /** The responder itself says a person should answer. */
  needsHuman: boolean;
  responder: 'builtin' | 'llm';
}

export const DONT_KNOW =
  "I couldn't find an answer to that in our help articles. A member of our team will pick this up.";

/**
 * Whether an answer tells the customer that a person will take over (the no-answer text, or words to that
 * effect): sending it must put the conversation in the human queue.
 */
export function promisesPerson(text: string): boolean {
  return (
    text.trim() === DONT_KNOW ||
    /\b(a member of (our|the) team|an? (agent|colleague|person|human)|someone from (our|the) team)\b.{0,40}\b(will|shall|is going to)\b.{0,30}\b(pick (this|it) up|get back|contact|follow up|reply|answer|help)\b/i.test(
      text,
    )
  );
}

/**
 * The built-in responder: no model, it quotes the best-matching passage of the best article and cites it.
 * The confidence is the retrieval evidence's (calibrated) probability of being the right article.
 */
export function builtinDraft(result: RetrievalResult, weights?: Weights): Draft {
  const { confidence, reason } = scoreConfidence(result, weights);
  const top = result.hits[0];
  if (!top) return { text: DONT_KNOW, confidence: 0, reason, sources: [], needsHuman: true, responder: 'builtin' };
  return {
    text: `${top.passage.trim()}\n\n— from “${top.title}”`,
    confidence,
    reason,
    sources: result.hits.slice(0, 3).map((h) => ({ articleId: h.articleId, title: h.title, passage: h.passage })),
    needsHuman: false,
    responder: 'builtin',
  };
}
