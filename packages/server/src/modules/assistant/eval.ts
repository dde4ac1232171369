import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { EvalKbSchema, type EvalQuestion, EvalQuestionsSchema } from '@switchboard/protocol';
import { type IndexableArticle, LexicalIndex } from '../knowledge/lexical-index.js';
import type { VectorHit } from '../knowledge/vector-index.js';
import { DEFAULT_WEIGHTS, evidenceOf, featureVector, fitLogistic, logistic, type Weights } from './confidence.js';

export type { EvalQuestion };

export async function readQuestions(file: string): Promise<EvalQuestion[]> {
  return EvalQuestionsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

export async function readKb(file: string): Promise<IndexableArticle[]> {
  return EvalKbSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

export interface ThresholdRow {
  threshold: number;
  /** Share of in-scope questions sent without review. */
  autoSent: number;
  /** Share of those sent whose top article was right. */
  precision: number;
  /** Share of held-out articles' questions, their articles removed, sent without review (each one wrong). */
  outOfScopeAutoSent: number;
  /** Share of the file's `expected: []` questions sent without review. */
  authoredAutoSent: number;
}

/** The figures of one question set: retrieval hit@k and the routing table. */
export interface SplitReport {
  /** In-scope questions measured. */
  questions: number;
  /** Out-of-scope questions measured: the same questions with their articles removed from the KB. */
  outOfScope: number;
  /** The file's `expected: []` questions, measured against the whole KB. */
  authored: number;
  hitAt1: number;
  hitAt3: number;
  thresholds: ThresholdRow[];
}

export interface EvalReport {
  articles: number;
  /** Every in-scope question of the file (the phrasings the defaults were chosen on). */
  all: SplitReport;
  /**
   * The questions of the held-out articles (fold 0 of 5, every 5th article): with `fit`, the weights never
   * saw a phrasing of these articles, so these are the figures to trust.
   */
  heldOut: SplitReport;
  latencyMs: { mean: number; p95: number };
  weights: Weights;
  /** Weights fitted by cross-validation over the other folds, when asked (`fit`). */
  fitted?: Weights;
  /** Even-half questions were indexed as learned phrasings; every number is on the odd half. */
  learned?: boolean;
  /** Retrieval fused lexical and vector rankings with this embedding model. */
  hybrid?: string;
}

/** How much more a confidently answered out-of-scope question costs than a correct answer sent for review. */
export const OUT_OF_KB_WEIGHT = 3;

/** Articles are split into this many folds by position; fold 0 is held out for reporting. */
export const FOLDS = 5;
const HELD_OUT = 0;

export const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

function indexOf(articles: readonly IndexableArticle[]): LexicalIndex {
  const index = new LexicalIndex();
  for (const a of articles) index.upsert(a);
  return index;
}

interface Measured {
  /** The fold of the question's article; -1 for an authored out-of-scope question. */
  fold: number;
  /** Evidence against the whole KB. */
  x: number[];
  right: boolean;
  top3: boolean;
  /** Evidence with the question's article's fold removed (the question is then out of scope). */
  xOut: number[];
}

/** Share auto-sent, its precision and the out-of-scope share sent, at each threshold. */
export function thresholdTable(
  inScope: readonly { c: number; right: boolean }[],
  outOfScope: readonly number[],
  authored: readonly number[] = [],
  thresholds: readonly number[] = THRESHOLDS,
): ThresholdRow[] {
  return thresholds.map((threshold) => {
    const sent = inScope.filter((q) => q.c >= threshold);
    return {
      threshold,
      autoSent: sent.length / Math.max(1, inScope.length),
      precision: sent.length ? sent.filter((q) => q.right).length / sent.length : 1,
      outOfScopeAutoSent: outOfScope.filter((c) => c >= threshold).length / Math.max(1, outOfScope.length),
      authoredAutoSent: authored.filter((c) => c >= threshold).length / Math.max(1, authored.length),
    };
  });
}

/**
 * Retrieval and routing quality of the built-in responder on a question set, split by article, never by
 * row: articles fall into 5 folds by position; fold 0 is held out. Its questions are measured twice — with
 * their articles in the KB (in scope: hit@k, auto-sent, precision) and with them removed (out of scope:
 * anything auto-sent is wrong), which is the hardest out-of-scope test as the removed articles' neighbours
 * stay. `expected: []` entries are out of scope throughout. With `fit`, the confidence weights are fitted
 * on folds 1-4 only (their own out-of-scope examples from removing each of those folds in turn).
 */
export function runEval(
  kb: readonly IndexableArticle[],
  allQuestions: readonly EvalQuestion[],
  opts: {
    weights?: Weights;
    fit?: boolean;
    learn?: boolean;
    /** Hybrid retrieval: the KB's articles ranked by similarity to a question, and the model's name. */
    vectors?: { model: string; rank(question: string): VectorHit[] };
  } = {},
): EvalReport {
  // `learn`: the even half plays approved past questions (learned phrasings), the odd half is measured.
  const learned = new Map<string, string[]>();
  if (opts.learn)
    allQuestions.forEach((q, i) => {
      const id = q.expected[0];
      if (i % 2 === 0 && id) learned.set(id, [...(learned.get(id) ?? []), q.question]);
    });
  const articles = kb.map((a) => ({ ...a, phrasings: [...(a.phrasings ?? []), ...(learned.get(a.id) ?? [])] }));
  const questions = opts.learn ? allQuestions.filter((_, i) => i % 2 === 1) : allQuestions;
  const foldOf = new Map(articles.map((a, i) => [a.id, i % FOLDS]));
  const full = indexOf(articles);
  const without = Array.from({ length: FOLDS }, (_, f) => indexOf(articles.filter((_, i) => i % FOLDS !== f)));
  const times: number[] = [];
  const measured: Measured[] = questions.map((q) => {
    const near = opts.vectors?.rank(q.question);
    const t0 = performance.now();
    const r = full.search(q.question, 5, near);
    times.push(performance.now() - t0);
    const ids = r.hits.map((h) => h.articleId);
    const e = evidenceOf(r);
    const x = e ? featureVector(e) : [];
    const fold = q.expected.length ? (foldOf.get(q.expected[0] ?? '') ?? -1) : -1;
    if (fold < 0) return { fold, x, right: false, top3: false, xOut: x };
    // The partial index ignores the removed articles' vectors: it ranks only what it holds.
    const eOut = evidenceOf((without[fold] as LexicalIndex).search(q.question, 5, near));
    return {
      fold,
      x,
      right: q.expected.includes(ids[0] ?? ''),
      top3: ids.slice(0, 3).some((id) => q.expected.includes(id)),
      xOut: eOut ? featureVector(eOut) : [],
    };
  });
  let weights = opts.weights ?? DEFAULT_WEIGHTS;
  let fitted: Weights | undefined;
  if (opts.fit) {
    const train = measured.filter((m) => m.fold >= 0 && m.fold !== HELD_OUT);
    fitted = fitLogistic([
      ...train.filter((m) => m.x.length).map((m) => ({ x: m.x, y: (m.right ? 1 : 0) as 0 | 1 })),
      ...train.filter((m) => m.xOut.length).map((m) => ({ x: m.xOut, y: 0 as const, weight: OUT_OF_KB_WEIGHT })),
    ]);
    weights = fitted;
  }
  const conf = (x: number[]) => (x.length ? logistic(weights, x) : 0);
  const authored = measured.filter((m) => m.fold < 0).map((m) => conf(m.x));
  const split = (rows: Measured[]): SplitReport => ({
    questions: rows.length,
    outOfScope: rows.length,
    authored: authored.length,
    hitAt1: rows.filter((m) => m.right).length / Math.max(1, rows.length),
    hitAt3: rows.filter((m) => m.top3).length / Math.max(1, rows.length),
    thresholds: thresholdTable(
      rows.map((m) => ({ c: conf(m.x), right: m.right })),
      rows.map((m) => conf(m.xOut)),
      authored,
    ),
  });
  times.sort((a, b) => a - b);
  return {
    articles: kb.length,
    all: split(measured.filter((m) => m.fold >= 0)),
    heldOut: split(measured.filter((m) => m.fold === HELD_OUT)),
    latencyMs: {
      mean: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
      p95: times[Math.floor(times.length * 0.95)] ?? 0,
    },
    weights,
    ...(fitted ? { fitted } : {}),
    ...(opts.learn ? { learned: true } : {}),
    ...(opts.vectors ? { hybrid: opts.vectors.model } : {}),
  };
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The routing table as the CLI prints it (also used for an org's own decisions). */
export function formatThresholds(rows: readonly ThresholdRow[], authored = true): string[] {
  return [
    `threshold  auto-sent  precision  article removed: auto-sent${authored ? '  expected []: auto-sent' : ''}`,
    ...rows.map(
      (t) =>
        `${t.threshold.toFixed(2).padStart(9)}  ${pct(t.autoSent).padStart(9)}  ${pct(t.precision).padStart(9)}  ${pct(t.outOfScopeAutoSent).padStart(26)}` +
        (authored ? `  ${pct(t.authoredAutoSent).padStart(22)}` : ''),
    ),
  ];
}

/** The report as the CLI prints it. */
export function formatReport(r: EvalReport): string {
  const block = (name: string, s: SplitReport) => [
    `${name}: ${s.questions} in-scope questions (also asked with their articles removed), ${s.authored} expected []`,
    `  hit@1 ${pct(s.hitAt1)}  hit@3 ${pct(s.hitAt3)}`,
    ...formatThresholds(s.thresholds, s.authored > 0).map((l) => `  ${l}`),
  ];
  const lines = [
    `articles ${r.articles}${r.hybrid ? ` — retrieval hybrid: lexical + ${r.hybrid} vectors` : ''}`,
    `latency per question: mean ${r.latencyMs.mean.toFixed(2)} ms, p95 ${r.latencyMs.p95.toFixed(2)} ms`,
    `weights ${JSON.stringify(r.weights)}${r.fitted ? ' (fitted on folds 1-4: the held-out articles never seen)' : ' (shipped)'}`,
    ...(r.learned ? ['even-half questions indexed as learned phrasings; every number below is on the odd half'] : []),
    '',
    ...block('held out (every 5th article)', r.heldOut),
    '',
    ...block('all questions', r.all),
  ];
  return `${lines.join('\n')}\n`;
}
