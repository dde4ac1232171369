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
  /** Share of answerable questions sent without review. */
  autoSent: number;
  /** Share of those sent whose top article was right. */
  precision: number;
  /** Share of out-of-KB questions sent without review (each one a wrong answer). */
  outOfKbAutoSent: number;
}

export interface EvalReport {
  questions: number;
  articles: number;
  hitAt1: number;
  hitAt3: number;
  /** Questions whose articles were removed from the KB (every 5th article). */
  outOfKbQuestions: number;
  thresholds: ThresholdRow[];
  latencyMs: { mean: number; p95: number };
  weights: Weights;
  /** Weights fitted on the calibration half, when asked (`fit`). */
  fitted?: Weights;
  /** Even-half questions were indexed as learned phrasings; every number is on the odd half. */
  learned?: boolean;
  /** Retrieval fused lexical and vector rankings with this embedding model. */
  hybrid?: string;
}

/** How much more a confidently answered out-of-KB question costs than a correct answer sent for review. */
export const OUT_OF_KB_WEIGHT = 3;

const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

function indexOf(articles: readonly IndexableArticle[]): LexicalIndex {
  const index = new LexicalIndex();
  for (const a of articles) index.upsert(a);
  return index;
}

/**
 * Retrieval and routing quality of the built-in responder on a question set: hit@1 / hit@3 over the whole
 * KB; per threshold, the share auto-sent and its precision, and — with every 5th article removed — how
 * many questions the KB cannot answer would still be sent. With `fit`, weights are fitted on even-indexed
 * questions and every number after hit@k is measured on the odd-indexed ones only.
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
  if (opts.fit && opts.learn) throw new Error('--fit and --learn both use the even half: pick one');
  const full = indexOf(articles);
  const removed = new Set(articles.filter((_, i) => i % 5 === 0).map((a) => a.id));
  const partial = indexOf(articles.filter((a) => !removed.has(a.id)));
  let hit1 = 0;
  let hit3 = 0;
  const times: number[] = [];
  const inKb: { i: number; x: number[]; right: boolean }[] = [];
  const outKb: { i: number; x: number[] }[] = [];
  questions.forEach((q, i) => {
    const t0 = performance.now();
    const near = opts.vectors?.rank(q.question);
    const r = full.search(q.question, 5, near);
    times.push(performance.now() - t0);
    const ids = r.hits.map((h) => h.articleId);
    const right = q.expected.includes(ids[0] ?? '');
    if (right) hit1++;
    if (ids.slice(0, 3).some((id) => q.expected.includes(id))) hit3++;
    const e = evidenceOf(r);
    inKb.push({ i, x: e ? featureVector(e) : [], right });
    if (q.expected.every((id) => removed.has(id))) {
      // The partial index ignores the removed articles' vectors: it ranks only what it holds.
      const e2 = evidenceOf(partial.search(q.question, 5, near));
      outKb.push({ i, x: e2 ? featureVector(e2) : [] });
    }
  });
  let weights = opts.weights ?? DEFAULT_WEIGHTS;
  let fitted: Weights | undefined;
  const isTest = (i: number) => !opts.fit || i % 2 === 1;
  if (opts.fit) {
    const train = [
      ...inKb.filter((q) => q.i % 2 === 0 && q.x.length).map((q) => ({ x: q.x, y: (q.right ? 1 : 0) as 0 | 1 })),
      ...outKb
        .filter((q) => q.i % 2 === 0 && q.x.length)
        .map((q) => ({ x: q.x, y: 0 as const, weight: OUT_OF_KB_WEIGHT })),
    ];
    fitted = fitLogistic(train);
    weights = fitted;
  }
  const conf = (x: number[]) => (x.length ? logistic(weights, x) : 0);
  const testIn = inKb.filter((q) => isTest(q.i)).map((q) => ({ c: conf(q.x), right: q.right }));
  const testOut = outKb.filter((q) => isTest(q.i)).map((q) => conf(q.x));
  const thresholds = THRESHOLDS.map((threshold) => {
    const sent = testIn.filter((q) => q.c >= threshold);
    return {
      threshold,
      autoSent: sent.length / Math.max(1, testIn.length),
      precision: sent.length ? sent.filter((q) => q.right).length / sent.length : 1,
      outOfKbAutoSent: testOut.filter((c) => c >= threshold).length / Math.max(1, testOut.length),
    };
  });
  times.sort((a, b) => a - b);
  return {
    questions: questions.length,
    articles: kb.length,
    hitAt1: hit1 / questions.length,
    hitAt3: hit3 / questions.length,
    outOfKbQuestions: outKb.length,
    thresholds,
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

/** The report as the CLI prints it. */
export function formatReport(r: EvalReport): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(7);
  const lines = [
    `questions ${r.questions}, articles ${r.articles}, out-of-KB questions ${r.outOfKbQuestions}`,
    `retrieval${r.hybrid ? ` (hybrid: lexical + ${r.hybrid} vectors)` : ''}: hit@1 ${pct(r.hitAt1).trim()}  hit@3 ${pct(r.hitAt3).trim()}`,
    `latency per question: mean ${r.latencyMs.mean.toFixed(2)} ms, p95 ${r.latencyMs.p95.toFixed(2)} ms`,
    `weights ${JSON.stringify(r.weights)}${r.fitted ? ' (fitted on the even half; rows below on the odd half)' : ''}`,
    ...(r.learned
      ? ['even-half questions indexed as learned phrasings; every number above and below is on the odd half']
      : []),
    '',
    'threshold  auto-sent  precision  out-of-KB auto-sent',
    ...r.thresholds.map(
      (t) =>
        `${t.threshold.toFixed(2).padStart(9)}  ${pct(t.autoSent).padStart(9)}  ${pct(t.precision).padStart(9)}  ${pct(t.outOfKbAutoSent).padStart(19)}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
