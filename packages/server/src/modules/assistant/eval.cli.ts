import { access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Registry } from 'prom-client';
import type { Config } from '../../config.js';
import { SERVER_ROOT } from '../../paths.js';
import { DEMO_ARTICLES } from '../../seed/demo-kb.js';
import { embedder, normalize, passageInputs } from '../knowledge/embeddings.js';
import type { IndexableArticle } from '../knowledge/lexical-index.js';
import { VECTOR_DEPTH, type VectorHit, VectorIndex } from '../knowledge/vector-index.js';
import { type EvalQuestion, formatReport, readKb, readQuestions, runEval } from './eval.js';

/** The bundled sample question set for the demo knowledge base (`--kb demo`). */
export const DEMO_QUESTIONS_FILE = pathToFileURL(path.join(SERVER_ROOT, 'src/seed/demo-questions.json'));

/** Texts per embeddings request: well inside providers' per-request input and token limits. */
const BATCH = 96;

/**
 * `--hybrid`: embed every passage of the KB and every question with the configured embedding model (as
 * the knowledge base does), so retrieval is measured as it runs in production with that model.
 */
async function vectorsFor(
  kb: readonly IndexableArticle[],
  questions: readonly EvalQuestion[],
  ai: Config['ai'],
): Promise<{ model: string; rank(question: string): VectorHit[] }> {
  const emb = embedder(ai, new Registry());
  if (!emb) throw new Error('--hybrid needs an embedding model: set AI_EMBEDDING_MODEL (docs/ai.md)');
  const passages = kb.map((a) => ({ id: a.id, inputs: passageInputs(a, emb.model) }));
  const texts = passages.flatMap((p) => p.inputs.map((i) => i.text));
  const asked = [...new Set(questions.map((q) => q.question))];
  const all = [...texts, ...asked];
  const vectors: Float32Array[] = [];
  for (let i = 0; i < all.length; i += BATCH)
    for (const v of await emb.embedPassages(all.slice(i, i + BATCH))) vectors.push(normalize(Float32Array.from(v)));
  const index = new VectorIndex();
  let k = 0;
  for (const p of passages) {
    index.setPassages(
      p.id,
      p.inputs.map((i) => i.hash),
    );
    for (const i of p.inputs) index.addVector(p.id, i.hash, vectors[k++] ?? new Float32Array());
  }
  const byQuestion = new Map(asked.map((q, i) => [q, vectors[texts.length + i]]));
  return {
    model: emb.model,
    rank: (question) => {
      const v = byQuestion.get(question);
      return v ? index.rank(v, VECTOR_DEPTH) : [];
    },
  };
}

/**
 * `switchboard ai eval FILE [--kb KB] [--out-of-scope FILE2] [--fit] [--learn] [--hybrid]`: FILE (and FILE2)
 * are JSON lists of {question, expected: [article id]}, `expected: []` for a question the KB cannot answer; KB is a JSON list of {id, title, body, topics}, `demo` for the demo org's
 * articles (ids are their external ids), or, when omitted, `kb.json` beside FILE. `--hybrid` measures
 * lexical + vector retrieval with the configured embedding model (`ai`).
 */
export async function aiEvalCommand(
  file: string,
  opts: { kb?: string; outOfScope?: string; fit?: boolean; learn?: boolean; hybrid?: boolean },
  ai?: Config['ai'],
): Promise<string> {
  let kb: IndexableArticle[];
  if (opts.kb === 'demo') {
    kb = DEMO_ARTICLES.map((a) => ({ id: a.externalId, title: a.title, body: a.body, topics: a.topics ?? [] }));
  } else {
    const kbFile = opts.kb ?? path.join(path.dirname(file), 'kb.json');
    await access(kbFile).catch(() => {
      throw new Error(`no knowledge base: pass --kb FILE (or put kb.json beside ${file})`);
    });
    kb = await readKb(kbFile);
  }
  const questions = [...(await readQuestions(file)), ...(opts.outOfScope ? await readQuestions(opts.outOfScope) : [])];
  if (opts.hybrid && !ai) throw new Error('--hybrid needs the configuration (AI_EMBEDDING_MODEL)');
  const vectors = opts.hybrid && ai ? await vectorsFor(kb, questions, ai) : undefined;
  return formatReport(runEval(kb, questions, { fit: opts.fit, learn: opts.learn, ...(vectors ? { vectors } : {}) }));
}
