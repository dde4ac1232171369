/** How many of the most similar articles take part in the fusion with the lexical ranking. */
export const VECTOR_DEPTH = 20;

/** One article's place in the vector ranking: its best passage's cosine similarity to the question. */
export interface VectorHit {
  articleId: string;
  similarity: number;
  passageIndex: number;
}

interface Entry {
  /** The content addresses of the article's current passages, in order. */
  hashes: string[];
  vectors: Map<string, Float32Array>;
}

/**
 * A per-org in-memory vector index over article passages: exact cosine similarity in process (a knowledge
 * base is hundreds to a few thousand passages; a scan of them is well under a millisecond per 1,000).
 * Articles are told their current passages (`setPassages`) and receive vectors as they are stored
 * (`addVector`); a vector of a passage the article no longer has is ignored, so a stale row never ranks.
 */
export class VectorIndex {
  private readonly entries = new Map<string, Entry>();

  /** How many articles have at least one vector. */
  get size(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.vectors.size) n++;
    return n;
  }

  setPassages(articleId: string, hashes: readonly string[]): void {
    const old = this.entries.get(articleId);
    const vectors = new Map<string, Float32Array>();
    for (const h of hashes) {
      const v = old?.vectors.get(h);
      if (v) vectors.set(h, v);
    }
    this.entries.set(articleId, { hashes: [...hashes], vectors });
  }

  addVector(articleId: string, hash: string, vector: Float32Array): void {
    const e = this.entries.get(articleId);
    if (e?.hashes.includes(hash)) e.vectors.set(hash, vector);
  }

  remove(articleId: string): void {
    this.entries.delete(articleId);
  }

  /** Whether some current passage of the article has no vector yet (it needs an embedding task). */
  missing(articleId: string): boolean {
    const e = this.entries.get(articleId);
    return !!e && e.hashes.some((h) => !e.vectors.has(h));
  }

  /** The `limit` articles most similar to the unit vector `query`, best first. */
  rank(query: Float32Array, limit: number): VectorHit[] {
    const out: VectorHit[] = [];
    for (const [articleId, e] of this.entries) {
      let best: VectorHit | undefined;
      e.hashes.forEach((h, passageIndex) => {
        const v = e.vectors.get(h);
        if (!v || v.length !== query.length) return;
        let dot = 0;
        for (let i = 0; i < v.length; i++) dot += (v[i] ?? 0) * (query[i] ?? 0);
        if (!best || dot > best.similarity) best = { articleId, similarity: dot, passageIndex };
      });
      if (best) out.push(best);
    }
    return out.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
  }
}

/**
 * Reciprocal rank fusion (Cormack et al., 2009): each ranking gives an item 1 / (k + rank); the sums
 * order the fused list. Rank-based, so BM25 scores and cosine similarities need no common scale; k = 60
 * is the paper's constant, which damps the weight of any single list's top ranks.
 */
export function reciprocalRankFusion(rankings: readonly (readonly string[])[], k = 60): string[] {
  const scores = new Map<string, number>();
  for (const ranking of rankings)
    ranking.forEach((id, i) => {
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + i + 1));
    });
  // Ties keep the first ranking's order (the lexical one), as Map iteration is insertion order.
  return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}
