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
 * Below this confidence the top article is more often wrong than right (StackFAQ, shipped weights: 42% of
 * questions scored under 0.2 have the right article first; 36 of 40 out-of-scope questions score under it),
 * so the draft proposes no text at all: the agent sees "no good answer found" and the top articles as
 * suggestions, and there is nothing to approve with one key.
 */
export const DRAFT_FLOOR = 0.2;

/**
 * The draft as it goes to a person: under the floor, its text is dropped and its sources become suggestions.
 * The no-answer text itself (nothing retrieved) stays: it quotes no article, and sending it hands over to a person.
 */
export function applyFloor(draft: Draft, floor = DRAFT_FLOOR): Draft {
  if (draft.confidence >= floor || draft.text === DONT_KNOW) return draft;
  return { ...draft, text: '', reason: `no good answer found (confidence under ${floor}); ${draft.reason}` };
}

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
