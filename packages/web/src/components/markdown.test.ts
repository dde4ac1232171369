import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';
import { type Inline, parseInline, parseMarkdown, plainText, safeHref } from './markdown';

const text = (nodes: Inline[]): string =>
  nodes
    .map((n) => (n.kind === 'text' || n.kind === 'code' ? n.text : n.kind === 'br' ? '\n' : text(n.children)))
    .join('');
const links = (nodes: Inline[]): string[] =>
  nodes.flatMap((n) => (n.kind === 'link' ? [n.href, ...links(n.children)] : 'children' in n ? links(n.children) : []));

describe('markdown renderer (safe subset)', () => {
  it('renders bold, italics, code, links and lists', () => {
    expect(parseInline('a **b** *c* _d_ `e`')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'strong', children: [{ kind: 'text', text: 'b' }] },
      { kind: 'text', text: ' ' },
      { kind: 'em', children: [{ kind: 'text', text: 'c' }] },
      { kind: 'text', text: ' ' },
      { kind: 'em', children: [{ kind: 'text', text: 'd' }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'e' },
    ]);
    expect(parseInline('[docs](https://example.com/a?b=1)')).toEqual([
      { kind: 'link', href: 'https://example.com/a?b=1', children: [{ kind: 'text', text: 'docs' }] },
    ]);
    expect(links(parseInline('see https://example.com/x. and mail [me](mailto:a@b.c)'))).toEqual([
      'https://example.com/x',
      'mailto:a@b.c',
    ]);
    expect(parseMarkdown('Steps:\n- one\n- **two**\n\n1. first\n2. second')).toMatchObject([
      { kind: 'p' },
      { kind: 'ul', items: [[{ text: 'one' }], [{ kind: 'strong' }]] },
      { kind: 'ol', items: [[{ text: 'first' }], [{ text: 'second' }]] },
    ]);
    expect(parseMarkdown('```\n**not bold** <b>\n```')).toEqual([{ kind: 'pre', text: '**not bold** <b>' }]);
    // snake_case words stay words.
    expect(parseInline('my_file_name')).toEqual([{ kind: 'text', text: 'my_file_name' }]);
  });

  it('keeps <script> and raw HTML as text', () => {
    const blocks = parseMarkdown('<script>alert(1)</script>\n<img src=x onerror=alert(1)> <b>hi</b>');
    expect(blocks).toEqual([
      {
        kind: 'p',
        children: [
          { kind: 'text', text: '<script>alert(1)</script>' },
          { kind: 'br' },
          { kind: 'text', text: '<img src=x onerror=alert(1)> <b>hi</b>' },
        ],
      },
    ]);
  });

  it('never links to javascript:, data: or other schemes; they stay as the typed text', () => {
    for (const target of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      '//evil.example',
      'file:///etc/passwd',
    ]) {
      const nodes = parseInline(`[click](${target})`);
      expect(links(nodes), target).toEqual([]);
    }
    const js = parseInline('[click](javascript:alert(1))');
    expect(links(js)).toEqual([]);
    expect(text(js)).toContain('javascript:alert(1)');
    expect(safeHref(' https://ok.example ')).toBe('https://ok.example');
    expect(safeHref('mailto:x@y.z')).toBe('mailto:x@y.z');
    expect(safeHref('javascript:alert(1)')).toBeNull();
  });
});

describe('<Markdown> output', () => {
  it('puts no tag, attribute or scheme from the input into the HTML', () => {
    const html = renderToStaticMarkup(
      createElement(Markdown, {
        text: '<script>alert(1)</script> [x](javascript:alert(1)) <a href="javascript:1" onclick="x">y</a> [ok](https://example.com)',
      }),
    );
    expect(html).not.toMatch(/<script|<a href="javascript|onclick="/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow">ok</a>');
    expect(html.match(/<a /g)).toHaveLength(1);
  });
});

describe('plainText (previews)', () => {
  it('drops the markup, keeps the words, and puts everything on one line', () => {
    expect(plainText('Hi **someone**, see [the guide](https://x.example) or `reset`')).toBe(
      'Hi someone, see the guide or reset',
    );
    expect(plainText('Steps:\n\n1. Open *Settings*\n2. Click _Save_')).toBe('Steps: Open Settings, Click Save');
    expect(plainText('<b>not html</b>')).toBe('<b>not html</b>');
  });
});
