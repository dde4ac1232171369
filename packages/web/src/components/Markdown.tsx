import './markdown.css';
import { Fragment, type ReactNode } from 'react';
import { type Block, type Inline, parseMarkdown } from './markdown';

function inlineNode(n: Inline, key: number): ReactNode {
  switch (n.kind) {
    case 'text':
      return <Fragment key={key}>{n.text}</Fragment>;
    case 'br':
      return <br key={key} />;
    case 'code':
      return <code key={key}>{n.text}</code>;
    case 'strong':
      return <strong key={key}>{n.children.map(inlineNode)}</strong>;
    case 'em':
      return <em key={key}>{n.children.map(inlineNode)}</em>;
    case 'link':
      return (
        <a key={key} href={n.href} target="_blank" rel="noopener noreferrer nofollow">
          {n.children.map(inlineNode)}
        </a>
      );
  }
}

function InlineNodes({ nodes }: { nodes: Inline[] }) {
  // The nodes of one parsed string never reorder: their position is their key.
  return <>{nodes.map(inlineNode)}</>;
}

function BlockNode({ block }: { block: Block }) {
  if (block.kind === 'pre') return <pre className="sb-md-pre">{block.text}</pre>;
  if (block.kind === 'p')
    return (
      <p className="sb-md-p">
        <InlineNodes nodes={block.children} />
      </p>
    );
  const items = block.items.map((item, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: list items of one parsed string never reorder
    <li key={i}>
      <InlineNodes nodes={item} />
    </li>
  ));
  return block.kind === 'ul' ? <ul className="sb-md-list">{items}</ul> : <ol className="sb-md-list">{items}</ol>;
}

/**
 * Message text as markdown, the same in the widget, the messenger and the console. Safe by construction: it
 * builds React elements from a parsed tree (see `markdown.ts`), never HTML, and links only to http(s)/mailto.
 */
export function Markdown({ text }: { text: string }) {
  const blocks = parseMarkdown(text);
  return (
    <div className="sb-md">
      {blocks.map((b, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks of one parsed string never reorder
        <BlockNode key={i} block={b} />
      ))}
    </div>
  );
}
