import MiniSearch from 'minisearch';
import { chunk, plainText, term, terms } from './text.js';
import { reciprocalRankFusion, type VectorHit } from './vector-index.js';

/** What the index needs of an article (published articles only are indexed). */
export interface IndexableArticle {
  id: string;
  title: string;
  body: string;
  topics: readonly string[];
  /** Customer questions this article is known to answer (learned from approved drafts). */
  phrasings?: readonly string[];
  /** The article in other languages: each is indexed as a document of its own that stands for the article. */
  translations?: readonly { lang: string; title: string; body: string }[];
}

/** One retrieved article with the passage of it that best matches the question and the evidence for it. */
export interface RetrievalHit {
  articleId: string;
  title: string;
  /** BM25 score over title (boosted), body and topics; 0 for an article found by its vector only. */
  score: number;
  /** Cosine similarity of the question to the article's best passage (hybrid retrieval only). */
  similarity?: number;
  /** The best-matching passage (chunk) of the body, markdown as written. */
  passage: string;
  /** Set when the question matched a translation: its language (title and passage are the translation's). */
  lang?: string;
  passageIndex: number;
  /** Share of the question's terms found in the article. */
  coverage: number;
  /** Share of the question's terms found in the title. */
  titleCoverage: number;
  /**
   * Share of the question's IDF mass found in the article: a rare question word the article lacks (or
   * one no article has) counts heavily — the usual sign that the KB does not cover the question.
   */
  idfCoverage: number;
}

export interface RetrievalResult {
  /** The question's distinct terms after stop words and stemming. */
  queryTerms: string[];
  hits: RetrievalHit[];
}

interface Entry {
  article: IndexableArticle;
  /** The translation this document is, if it is one. */
  lang?: string;
  title: string;
  chunks: string[];
  chunkTerms: Set<string>[];
  allTerms: Set<string>;
  titleTerms: Set<string>;
}

/**
 * Field boosts chosen on StackFAQ (docs/ai.md): titles are written like questions, so a title match is
 * worth about three body matches; topics name the product, which paraphrases keep.
 */
export const FIELD_BOOST = { title: 3, body: 1, topics: 3, phrasings: 2 } as const;

/**
 * A per-org lexical index: BM25 (MiniSearch) over whole articles for ranking — a chunk-level index ranked
 * worse on StackFAQ, because the answer's words are spread over paragraphs — and term overlap over the
 * article's chunks to pick the passage to quote. Articles are added, replaced and removed one at a time,
 * so a change to the knowledge base never rebuilds the whole index.
 */
export class LexicalIndex {
  private readonly search_ = new MiniSearch<{
    id: string;
    title: string;
    body: string;
    topics: string;
    phrasings: string;
  }>({
    fields: ['title', 'body', 'topics', 'phrasings'],
    processTerm: (t) => term(t),
  });
  /** One document per article and per translation of it, by document key (the article id for the original). */
  private readonly entries = new Map<string, Entry>();
  /** The document keys of each article. */
  private readonly docs = new Map<string, string[]>();
  /** Articles containing each term, for the IDF weights of `idfCoverage`. */
  private readonly df = new Map<string, number>();

  /** Articles indexed (translations not counted). */
  get size(): number {
    return this.docs.size;
  }

  has(articleId: string): boolean {
    return this.docs.has(articleId);
  }

  upsert(article: IndexableArticle): void {
    this.remove(article.id);
    const versions = [
      { key: article.id, title: article.title, body: article.body, phrasings: article.phrasings ?? [] },
      ...(article.translations ?? []).map((t) => ({
        key: `${article.id}#${t.lang}`,
        ...t,
        phrasings: [],
      })),
    ];
    for (const v of versions) {
      const body = plainText(v.body);
      const chunks = chunk(v.body);
      const entry: Entry = {
        article,
        ...('lang' in v ? { lang: v.lang } : {}),
        title: v.title,
        chunks,
        chunkTerms: chunks.map((c) => new Set(terms(plainText(c)))),
        allTerms: new Set(terms(`${v.title} ${body} ${article.topics.join(' ')}`)),
        titleTerms: new Set(terms(v.title)),
      };
      this.entries.set(v.key, entry);
      for (const t of entry.allTerms) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      this.search_.add({
        id: v.key,
        title: v.title,
        body,
        topics: article.topics.join(' '),
        phrasings: v.phrasings.join('\n'),
      });
    }
    this.docs.set(
      article.id,
      versions.map((v) => v.key),
    );
  }

  remove(articleId: string): void {
    for (const key of this.docs.get(articleId) ?? []) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      this.entries.delete(key);
      for (const t of entry.allTerms) {
        const n = (this.df.get(t) ?? 1) - 1;
        if (n > 0) this.df.set(t, n);
        else this.df.delete(t);
      }
      this.search_.discard(key);
    }
    this.docs.delete(articleId);
  }

  /**
   * The best `limit` articles for `query`, best first. With `vector` (the articles ranked by similarity
   * to the question, hybrid retrieval), the lexical and vector rankings are fused by reciprocal rank;
   * without it the order is BM25's alone.
   */
  search(query: string, limit = 5, vector?: readonly VectorHit[]): RetrievalResult {
    const queryTerms = terms(query);
    if (!queryTerms.length || !this.entries.size) return { queryTerms, hits: [] };
    const n = this.entries.size;
    const idf = new Map(queryTerms.map((t) => [t, Math.log(1 + (n + 1) / ((this.df.get(t) ?? 0) + 0.5))]));
    const idfTotal = [...idf.values()].reduce((a, b) => a + b, 0);
    const found = this.search_.search(query, { boost: FIELD_BOOST, fuzzy: 0.1, combineWith: 'OR' });
    const lexical = new Map(found.map((r) => [String(r.id), r.score]));
    const similar = new Map((vector ?? []).filter((v) => this.entries.has(v.articleId)).map((v) => [v.articleId, v]));
    const order = similar.size
      ? reciprocalRankFusion([[...lexical.keys()], [...similar.keys()]])
      : found.map((r) => String(r.id));
    const hits: RetrievalHit[] = [];
    for (const id of order) {
      if (hits.length >= limit) break;
      const entry = this.entries.get(id);
      // An article found in several languages counts once, in the language that matched best.
      if (!entry || hits.some((h) => h.articleId === entry.article.id)) continue;
      const near = entry.lang ? undefined : similar.get(id);
      const share = (set: Set<string>) => queryTerms.filter((t) => set.has(t)).length / queryTerms.length;
      let passageIndex = 0;
      let best = -1;
      entry.chunkTerms.forEach((set, i) => {
        const s = share(set);
        if (s > best) {
          best = s;
          passageIndex = i;
        }
      });
      // No question word in any passage: quote the passage closest in meaning instead.
      if (best <= 0 && near) passageIndex = near.passageIndex;
      hits.push({
        articleId: entry.article.id,
        title: entry.title,
        ...(entry.lang ? { lang: entry.lang } : {}),
        score: lexical.get(id) ?? 0,
        ...(near ? { similarity: near.similarity } : {}),
        passage: entry.chunks[passageIndex] ?? '',
        passageIndex,
        coverage: share(entry.allTerms),
        titleCoverage: share(entry.titleTerms),
        idfCoverage: queryTerms.reduce((sum, t) => sum + (entry.allTerms.has(t) ? (idf.get(t) ?? 0) : 0), 0) / idfTotal,
      });
    }
    return { queryTerms, hits };
  }
}
