import { stemmer } from 'stemmer';

/**
 * Words that carry no topic in a support question. Dropping them matters more here than in web search:
 * customer questions are short, and "how do I …" would otherwise match every how-to article.
 */
const STOP_WORDS = new Set(
  (
    'a an the and or but of to in on for is are was were be been being it its this that these those with as at by ' +
    'from how do does did can could i im my me mine you your yours we our us what which who whom when where why ' +
    'will would should shall may might must there their them they he she his her not no if so get gets got ' +
    'use using used want wants way any some into out up about than then too very just like make also have has ' +
    'had having am please help know need possible someone anyone thing things'
  ).split(' '),
);

/** Lower-case words and numbers of any script. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** One indexed term: lower-cased, Porter-stemmed, stop words removed (`null`). */
export function term(word: string): string | null {
  const w = word.toLowerCase();
  if (w.length < 2 && !/\d/.test(w)) return null;
  if (STOP_WORDS.has(w)) return null;
  return stemmer(w);
}

/** The distinct terms of a text, in order of first appearance. */
export function terms(text: string): string[] {
  const out = new Set<string>();
  for (const w of words(text)) {
    const t = term(w);
    if (t) out.add(t);
  }
  return [...out];
}

/** Markdown reduced to its words: links keep their text, code fences and markup characters go. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[#>*_`~|]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/**
 * Split an article body into passages of whole paragraphs, about `target` characters each, so the
 * responder can quote the part that answers rather than the whole article.
 */
export function chunk(markdown: string, target = 600): string[] {
  const paragraphs = markdown
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: string[] = [];
  let current = '';
  for (const p of paragraphs) {
    if (current && current.length + p.length + 2 > target) {
      out.push(current);
      current = p;
    } else current = current ? `${current}\n\n${p}` : p;
  }
  if (current) out.push(current);
  return out.length ? out : [markdown.trim()];
}
