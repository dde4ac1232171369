/**
 * The small markdown subset messages use, parsed into a tree the `Markdown` component renders as React
 * elements. There is no HTML path at all: text stays text (React escapes it), so `<script>` or raw tags show
 * as typed. Links keep only http(s) and mailto targets; any other scheme (javascript:, data:, vbscript:)
 * renders as plain text.
 *
 * Blocks: paragraphs, `- ` / `* ` bullet lists, `1. ` numbered lists, fenced ``` code. Inline: **bold**,
 * *italic* / _italic_, `code`, [label](url), bare http(s) URLs; a single newline is a line break.
 */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'br' }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'link'; href: string; children: Inline[] };

export type Block =
  | { kind: 'p'; children: Inline[] }
  | { kind: 'ul' | 'ol'; items: Inline[][] }
  | { kind: 'pre'; text: string };

/** The link target when it is safe to follow, else null. */
export function safeHref(raw: string): string | null {
  const href = raw.trim();
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"): refuse any.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is exactly what is being refused
  if (/[\u0000-\u001f\u007f\s]/.test(href)) return null;
  try {
    const url = new URL(href);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? href : null;
  } catch {
    return null;
  }
}

const BULLET = /^\s*[-*]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ kind: 'p', children: parseInline(para.join('\n')) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim().startsWith('```')) {
      flush();
      const body: string[] = [];
      for (i++; i < lines.length && !(lines[i] as string).trim().startsWith('```'); i++) body.push(lines[i] as string);
      blocks.push({ kind: 'pre', text: body.join('\n') });
      continue;
    }
    const listKind = BULLET.test(line) ? 'ul' : NUMBERED.test(line) ? 'ol' : null;
    if (listKind) {
      flush();
      const pattern = listKind === 'ul' ? BULLET : NUMBERED;
      const items: Inline[][] = [];
      for (; i < lines.length && pattern.test(lines[i] as string); i++) {
        items.push(parseInline((pattern.exec(lines[i] as string) as RegExpExecArray)[1] as string));
      }
      i--;
      blocks.push({ kind: listKind, items });
      continue;
    }
    if (line.trim() === '') flush();
    else para.push(line);
  }
  flush();
  return blocks;
}

// One alternation, tried left to right at each position: code first (its content is never parsed), then
// links, bold, italics, bare URLs.
const INLINE =
  /`([^`\n]+)`|\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])|(?<!\w)_(?!\s)([^_\n]+?)_(?!\w)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])|\n/gs;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  const push = (node: Inline) => {
    const prev = out[out.length - 1];
    if (node.kind === 'text' && prev?.kind === 'text') prev.text += node.text;
    else out.push(node);
  };
  for (const m of text.matchAll(INLINE)) {
    const at = m.index ?? 0;
    if (at > last) push({ kind: 'text', text: text.slice(last, at) });
    last = at + m[0].length;
    const [whole, code, label, target, bold, star, under, bare] = m;
    if (code !== undefined) push({ kind: 'code', text: code });
    else if (label !== undefined && target !== undefined) {
      const href = safeHref(target);
      if (href) push({ kind: 'link', href, children: parseInline(label) });
      else push({ kind: 'text', text: whole });
    } else if (bold !== undefined) push({ kind: 'strong', children: parseInline(bold) });
    else if (star !== undefined) push({ kind: 'em', children: parseInline(star) });
    else if (under !== undefined) push({ kind: 'em', children: parseInline(under) });
    else if (bare !== undefined) {
      const href = safeHref(bare);
      push(href ? { kind: 'link', href, children: [{ kind: 'text', text: bare }] } : { kind: 'text', text: bare });
    } else push({ kind: 'br' });
  }
  if (last < text.length) push({ kind: 'text', text: text.slice(last) });
  return out;
}

function inlineText(nodes: Inline[]): string {
  return nodes
    .map((n) => (n.kind === 'br' ? ' ' : n.kind === 'text' || n.kind === 'code' ? n.text : inlineText(n.children)))
    .join('');
}

/** Message text without its markdown, on one line: for previews (inbox rows, notifications), not for reading. */
export function plainText(source: string): string {
  return parseMarkdown(source)
    .map((b) =>
      b.kind === 'pre' ? b.text : b.kind === 'p' ? inlineText(b.children) : b.items.map(inlineText).join(', '),
    )
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
