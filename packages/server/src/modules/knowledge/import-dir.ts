import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImportArticles } from '@switchboard/protocol';

type ImportedArticle = ImportArticles['articles'][number];

/**
 * One markdown file as an article. Title: front matter `title:`, else the first `# heading` (removed from
 * the body), else the file name. Topics: front matter `topics: a, b`. `published: false` in front matter
 * keeps it out of the assistant's reach. The path relative to the folder is the external id, so
 * importing the folder again updates the same articles.
 */
export function parseMarkdownArticle(relativePath: string, text: string): ImportedArticle {
  let body = text.replace(/^\uFEFF/, '');
  const meta: Record<string, string> = {};
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(body);
  if (front?.[1] !== undefined) {
    for (const line of front[1].split(/\r?\n/)) {
      const m = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(line);
      if (m?.[1] && m[2] !== undefined) meta[m[1].toLowerCase()] = m[2].trim().replace(/^["']|["']$/g, '');
    }
    body = body.slice(front[0].length);
  }
  let title = meta.title;
  if (!title) {
    const heading = /^\s*#\s+(.+)\s*$/m.exec(body);
    if (heading?.[1] && body.slice(0, heading.index).trim() === '') {
      title = heading[1].trim();
      body = body.slice(heading.index + heading[0].length);
    }
  }
  title ||= path.basename(relativePath, path.extname(relativePath)).replace(/[-_]+/g, ' ');
  const topics = (meta.topics ?? meta.tags ?? '')
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((t) => t.trim().replace(/^["']|["']$/g, ''))
    .filter(Boolean);
  return {
    title,
    body: body.trim() || title,
    topics,
    published: meta.published !== 'false',
    externalId: relativePath.split(path.sep).join('/'),
  };
}

/** Every `*.md` / `*.markdown` file under `dir` (recursively), as articles to import. */
export async function readMarkdownFolder(dir: string): Promise<ImportedArticle[]> {
  const out: ImportedArticle[] = [];
  async function walk(current: string): Promise<void> {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (/\.(md|markdown)$/i.test(entry.name))
        out.push(parseMarkdownArticle(path.relative(dir, full), await readFile(full, 'utf8')));
    }
  }
  await walk(dir);
  return out.sort((a, b) => (a.externalId ?? '').localeCompare(b.externalId ?? ''));
}
