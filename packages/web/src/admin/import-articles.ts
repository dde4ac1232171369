import { type ImportArticles, ImportArticlesSchema } from '@switchboard/protocol';

/** One file the admin picked: its name and its text. */
export interface PickedFile {
  name: string;
  text: string;
}

export type ParsedImport = { ok: true; body: ImportArticles; count: number } | { ok: false; error: string };

type Draft = ImportArticles['articles'][number];

/**
 * A markdown file becomes one article: the first `# heading` is the title (else the file name), the rest is the
 * body, optional `topics: a, b` on the line after the heading gives topics. The file name is the external id,
 * so importing the same files again updates those articles instead of adding copies.
 */
export function articleFromMarkdown(file: PickedFile): Draft {
  const lines = file.text.replace(/\r\n?/g, '\n').split('\n');
  const stem = file.name.replace(/\.(md|markdown)$/i, '');
  let title = stem;
  let i = 0;
  while (i < lines.length && lines[i]?.trim() === '') i++;
  const heading = lines[i]?.match(/^#\s+(.+)$/);
  if (heading?.[1]) {
    title = heading[1].trim();
    i++;
  }
  let topics: string[] = [];
  const topicLine = lines[i]?.match(/^topics:\s*(.+)$/i);
  if (topicLine?.[1]) {
    topics = topicLine[1]
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    i++;
  }
  return { title, body: lines.slice(i).join('\n').trim(), topics, externalId: file.name };
}

/** A JSON file holds a list of articles, or `{ articles: [...] }`; an `id` (StackFAQ's shape) is the external id. */
function articlesFromJson(file: PickedFile): Draft[] {
  const data: unknown = JSON.parse(file.text);
  const list = Array.isArray(data) ? data : (data as { articles?: unknown })?.articles;
  if (!Array.isArray(list)) throw new Error(`${file.name}: expected a list of articles or { "articles": [...] }`);
  return list.map((raw) => {
    const a = (raw ?? {}) as Record<string, unknown>;
    const externalId = a.externalId ?? (a.id === undefined ? undefined : String(a.id));
    const { id: _id, ...rest } = a;
    return { ...rest, ...(externalId ? { externalId } : {}) } as Draft;
  });
}

/** Turn picked `.json` / `.md` files into one import request, checked with the protocol schema before sending. */
export function parseImportFiles(files: PickedFile[]): ParsedImport {
  if (!files.length) return { ok: false, error: 'Pick one or more .json or .md files.' };
  const articles: Draft[] = [];
  for (const file of files) {
    try {
      if (/\.json$/i.test(file.name)) articles.push(...articlesFromJson(file));
      else if (/\.(md|markdown)$/i.test(file.name)) articles.push(articleFromMarkdown(file));
      else return { ok: false, error: `${file.name}: only .json and .md files can be imported` };
    } catch (err) {
      return { ok: false, error: err instanceof SyntaxError ? `${file.name}: not valid JSON` : String(err) };
    }
  }
  const parsed = ImportArticlesSchema.safeParse({ articles });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (at ${issue.path.join('.')})` : '';
    return { ok: false, error: `${issue?.message ?? 'invalid articles'}${where}` };
  }
  return { ok: true, body: parsed.data, count: parsed.data.articles.length };
}
