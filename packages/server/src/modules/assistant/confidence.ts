import type { RetrievalResult } from '../knowledge/lexical-index.js';

/** The retrieval evidence the confidence is computed from, all scale-free so it holds for any KB size. */
export interface Evidence {
  /** ln(1 + top BM25 score per question term): how strongly the best article matches. */
  strength: number;
  /** (top − runner-up) / top: how clearly the best article beats the next. */
  margin: number;
  /** Share of the question's terms in the best article. */
  coverage: number;
  /** Share of the question's terms in the best article's title. */
  titleCoverage: number;
  /** Share of the question's IDF mass in the best article. */
  idfCoverage: number;
}

export function evidenceOf(result: RetrievalResult): Evidence | null {
  const [top, next] = result.hits;
  if (!top || !result.queryTerms.length) return null;
  return {
    strength: Math.log1p(top.score / result.queryTerms.length),
    // Hybrid retrieval can rank first an article with no lexical match (score 0): no lexical lead then.
    margin: top.score <= 0 ? 0 : next ? (top.score - next.score) / top.score : 1,
    coverage: top.coverage,
    titleCoverage: top.titleCoverage,
    idfCoverage: top.idfCoverage,
  };
}

/** Logistic weights over the evidence: bias, strength, margin, coverage, titleCoverage, idfCoverage. */
export type Weights = readonly [number, number, number, number, number, number];

/**
 * Fitted by `switchboard ai eval --fit` on the calibration half of StackFAQ plus out-of-KB questions
 * (their articles removed, weighted 3×), so that the output reads as "probability the top article is
 * right", leaning towards silence when the KB may not cover the question.
 * See docs/ai.md for the numbers.
 */
export const DEFAULT_WEIGHTS: Weights = [-7.12, 1.69, 2.47, -1.62, 1.07, 1.69];

export function featureVector(e: Evidence): number[] {
  return [1, e.strength, e.margin, e.coverage, e.titleCoverage, e.idfCoverage];
}

export function logistic(weights: Weights, x: readonly number[]): number {
  const z = weights.reduce((sum, w, i) => sum + w * (x[i] ?? 0), 0);
  return 1 / (1 + Math.exp(-z));
}

/** Confidence in [0, 1] that the top retrieved article answers the question, and why. */
export function scoreConfidence(
  result: RetrievalResult,
  weights: Weights = DEFAULT_WEIGHTS,
): { confidence: number; reason: string; evidence: Evidence | null } {
  const e = evidenceOf(result);
  if (!e) {
    return {
      confidence: 0,
      reason: result.queryTerms.length ? 'no article matches the question' : 'the question has no searchable words',
      evidence: null,
    };
  }
  const confidence = Math.round(logistic(weights, featureVector(e)) * 1000) / 1000;
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const reason =
    `best article covers ${pct(e.coverage)} of the question's terms (${pct(e.titleCoverage)} in its title); ` +
    `lead over the runner-up ${pct(e.margin)}; match strength ${e.strength.toFixed(2)}`;
  return { confidence, reason, evidence: e };
}

/**
 * Plain logistic regression by gradient descent (a few hundred examples, six weights, milliseconds).
 * `weight` scales an example's pull: out-of-KB questions count more, as a confident wrong answer costs more
 * than a draft an agent has to approve.
 */
export function fitLogistic(
  examples: readonly { x: readonly number[]; y: 0 | 1; weight?: number }[],
  iterations = 4000,
): Weights {
  const w = [0, 0, 0, 0, 0, 0];
  const rate = 0.5;
  const l2 = 1e-3;
  for (let it = 0; it < iterations; it++) {
    const grad = [0, 0, 0, 0, 0, 0];
    let total = 0;
    for (const { x, y, weight = 1 } of examples) {
      const p = logistic(w as unknown as Weights, x);
      total += weight;
      for (let i = 0; i < w.length; i++) grad[i] = (grad[i] ?? 0) + weight * (p - y) * (x[i] ?? 0);
    }
    for (let i = 0; i < w.length; i++)
      w[i] = (w[i] ?? 0) - rate * ((grad[i] ?? 0) / total + (i ? l2 * (w[i] ?? 0) : 0));
  }
  return w.map((v) => Math.round(v * 100) / 100) as unknown as Weights;
}
