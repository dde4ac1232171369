import { Fragment } from 'react';

/**
 * Message text with the one piece of markdown answers use, `**bold**`, shown as bold; everything else stays
 * plain text (React escapes it), so nothing a customer or an article writes can become HTML.
 */
export function RichText({ text }: { text: string }) {
  const parts = text.split(/\*\*(.+?)\*\*/gs);
  return (
    <>
      {parts.map((part, i) =>
        // Odd indexes are the captured bold runs.
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string never reorder
        i % 2 === 1 ? <strong key={i}>{part}</strong> : <Fragment key={i}>{part}</Fragment>,
      )}
    </>
  );
}
