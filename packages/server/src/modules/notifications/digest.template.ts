/** One conversation in a digest: who wrote last, a preview, and where to read it. */
export interface DigestItem {
  conversationTitle: string;
  unread: number;
  sender: string;
  preview: string;
  url: string;
}

export interface DigestModel {
  recipientName: string;
  totalUnread: number;
  items: DigestItem[];
  appUrl: string;
  unsubscribeUrl: string;
}

/** The template as blocks; `renderText` and `renderHtml` each draw every block, so both parts say the same. */
type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'item'; title: string; meta: string; quote: string; link: string; linkText: string }
  | { kind: 'footer'; text: string; link: string; linkText: string };

function template(m: DigestModel): { subject: string; blocks: Block[] } {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return {
    subject: `${plural(m.totalUnread, 'unread message', 'unread messages')} on Switchboard`,
    blocks: [
      { kind: 'heading', text: `Hi ${m.recipientName},` },
      {
        kind: 'paragraph',
        text: `you have ${plural(m.totalUnread, 'unread message', 'unread messages')} in ${plural(m.items.length, 'conversation', 'conversations')}.`,
      },
      ...m.items.map(
        (i): Block => ({
          kind: 'item',
          title: i.conversationTitle,
          meta: `${plural(i.unread, 'unread', 'unread')} · latest from ${i.sender}`,
          quote: i.preview,
          link: i.url,
          linkText: 'Open the conversation',
        }),
      ),
      {
        kind: 'footer',
        text: 'You get this digest at most once a day while you are away.',
        link: m.unsubscribeUrl,
        linkText: 'Unsubscribe from email notifications',
      },
    ],
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function textBlock(b: Block): string {
  switch (b.kind) {
    case 'heading':
    case 'paragraph':
      return b.text;
    case 'item':
      return `${b.title} (${b.meta})\n  "${b.quote}"\n  ${b.linkText}: ${b.link}`;
    case 'footer':
      return `--\n${b.text}\n${b.linkText}: ${b.link}`;
  }
}

function renderText(blocks: Block[]): string {
  return `${blocks.map(textBlock).join('\n\n')}\n`;
}

function htmlBlock(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h2>${escapeHtml(b.text)}</h2>`;
    case 'paragraph':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'item':
      return (
        `<div class="item"><strong>${escapeHtml(b.title)}</strong> <span>(${escapeHtml(b.meta)})</span>` +
        `<blockquote>${escapeHtml(b.quote)}</blockquote>` +
        `<a href="${escapeHtml(b.link)}">${escapeHtml(b.linkText)}</a></div>`
      );
    case 'footer':
      return `<hr><p><small>${escapeHtml(b.text)} <a href="${escapeHtml(b.link)}">${escapeHtml(b.linkText)}</a></small></p>`;
  }
}

function renderHtml(blocks: Block[]): string {
  const body = blocks.map(htmlBlock).join('\n');
  return `<!doctype html><html><body style="font-family:sans-serif">\n${body}\n</body></html>\n`;
}

/** The digest email: subject, a text part and an HTML part drawn from one template. */
export function renderDigest(m: DigestModel): { subject: string; text: string; html: string } {
  const { subject, blocks } = template(m);
  return { subject, text: renderText(blocks), html: renderHtml(blocks) };
}
